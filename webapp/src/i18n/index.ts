// All user-facing strings live in one flat JSON map per language. Components
// take their text from react-intl (useT below) with the English text as the
// default message, so the host's IntlProvider can swap in the translations we
// hand it through registry.registerTranslations. Adding a language means
// adding `xx.json` here, never touching a component.
import {useIntl} from 'react-intl';

import de from './de.json';
import en from './en.json';
import fr from './fr.json';

export type MessageId = keyof typeof en;
export type Values = Record<string, string | number>;
type Messages = Record<string, string>;

// Every language has every id of en.json and no other (test/i18n.test.tsx checks).
const locales: Record<string, Messages> = {en, de, fr};

/** The flat map for a locale ("de", "pt-BR"…), English when we have none. */
export function getTranslations(locale?: string): Messages {
    const lc = (locale || 'en').toLowerCase();
    return locales[lc] || locales[lc.split(/[-_]/)[0]] || en;
}

/** Formats outside React (e.g. a system message): simple {name} placeholders only. */
export function t(id: MessageId, values: Values = {}, locale?: string): string {
    const text = getTranslations(locale)[id] ?? en[id];
    return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

/** Hook for components: `const tr = useT(); tr('zoom.start')`. */
export function useT(): (id: MessageId, values?: Values) => string {
    const intl = useIntl();
    return (id, values) => intl.formatMessage({id, defaultMessage: en[id]}, values);
}
