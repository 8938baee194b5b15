import React from 'react';

interface PostUtils {
    formatText?: (text: string, options?: Record<string, unknown>) => string;
    messageHtmlToComponent?: (html: string) => React.ReactNode;
}

/**
 * A post's message: Mattermost's own markdown rendering when the host exposes
 * it (window.PostUtils), plain text otherwise.
 */
export function Message({text}: {text?: string}) {
    if (!text) {
        return null;
    }
    const utils = (window as unknown as {PostUtils?: PostUtils}).PostUtils;
    let body: React.ReactNode = text;
    if (utils?.formatText && utils.messageHtmlToComponent) {
        try {
            body = utils.messageHtmlToComponent(utils.formatText(text, {atMentions: true}));
        } catch {
            body = text;
        }
    }
    return <div className='zoom-card__message'>{body}</div>;
}
