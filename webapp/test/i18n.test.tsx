import './setup';

import assert from 'node:assert/strict';
import {readFileSync, readdirSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {describe, it} from 'node:test';

import de from '../src/i18n/de.json';
import en from '../src/i18n/en.json';
import fr from '../src/i18n/fr.json';
import {getTranslations, t} from '../src/i18n';

const SRC = join(__dirname, '..', 'src');

function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
            return sources(path);
        }
        return /\.tsx?$/.test(name) ? [path] : [];
    });
}

// Every message id is a string literal starting with "zoom." (see src/i18n).
function usedIds(): Map<string, string> {
    const used = new Map<string, string>();
    for (const file of sources(SRC)) {
        for (const m of readFileSync(file, 'utf8').matchAll(/['"`](zoom\.[\w.]+)['"`]/g)) {
            used.set(m[1], file);
        }
    }
    return used;
}

describe('strings', () => {
    it('every id a component uses is in en.json', () => {
        const missing = [...usedIds()].filter(([id]) => !(id in en)).map(([id, file]) => `${id} (${file})`);
        assert.deepEqual(missing, []);
    });

    it('every id in en.json is used', () => {
        const used = usedIds();
        assert.deepEqual(Object.keys(en).filter((id) => !used.has(id)), []);
    });

    it('en.json is a flat map of strings', () => {
        for (const [id, text] of Object.entries(en)) {
            assert.equal(typeof text, 'string', id);
            assert.ok(text.trim(), id);
        }
    });

    it('a locale without a file falls back to English', () => {
        assert.equal(getTranslations('pt-BR'), en);
        assert.equal(getTranslations('en-US'), en);
        assert.equal(getTranslations(undefined), en);
    });

    it('a regional locale uses its language', () => {
        assert.equal(getTranslations('de-AT'), de);
        assert.equal(getTranslations('fr_CA'), fr);
    });

    it('t() fills placeholders', () => {
        assert.equal(t('zoom.error.start', {error: 'boom'}), 'Could not start a Zoom meeting: boom');
        assert.equal(t('zoom.error.status', {status: 500}, 'ja'), 'the server answered with status 500. Try again in a moment.');
        assert.equal(t('zoom.error.start', {error: 'kaputt'}, 'de'), 'Das Zoom-Meeting konnte nicht gestartet werden: kaputt');
    });
});

// Every language is complete: the same ids as en.json, no more, no fewer, each with
// text and the same {placeholders}.
describe('languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)/g)].map((m) => m[1]).sort();
    for (const [lang, messages] of Object.entries({de, fr} as Record<string, Record<string, string>>)) {
        it(`${lang}.json has every id of en.json`, () => {
            assert.deepEqual(Object.keys(en).filter((id) => !(id in messages)), []);
        });
        it(`${lang}.json has no id en.json lacks`, () => {
            assert.deepEqual(Object.keys(messages).filter((id) => !(id in en)), []);
        });
        it(`${lang}.json keeps the placeholders`, () => {
            for (const [id, text] of Object.entries(en)) {
                assert.ok(messages[id]?.trim(), `${lang} ${id} is empty`);
                assert.deepEqual(placeholders(messages[id]), placeholders(text), `${lang} ${id}`);
            }
        });
        it(`${lang} is served for its locale`, () => {
            assert.equal(getTranslations(lang), messages);
        });
    }
});
