import './setup';

import {render, screen} from '@testing-library/react';
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import React from 'react';
import {IntlProvider} from 'react-intl';
import {Provider} from 'react-redux';

import {ZoomPost} from '../src/components/zoom_post';
import {Plugin} from '../src/plugin';

import {makeStore, post} from './helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */

// The host asks the plugin for a locale's messages through registerTranslations and
// feeds them to its IntlProvider; a German user then sees a German card.
function hostTranslations(): (locale: string) => Record<string, string> {
    let fn: ((locale: string) => Record<string, string>) | undefined;
    const registry: any = {
        registerChannelHeaderButtonAction: () => undefined,
        registerPostTypeComponent: () => undefined,
        registerWebSocketEventHandler: () => undefined,
        registerTranslations: (f: (locale: string) => Record<string, string>) => {
            fn = f;
        },
    };
    new Plugin().initialize(registry, makeStore());
    assert.ok(fn, 'the plugin registered no translations');
    return fn;
}

function renderAs(locale: string, ui: React.ReactElement) {
    const errors: Error[] = [];
    render(
        <Provider store={makeStore() as any}>
            <IntlProvider
                locale={locale}
                messages={hostTranslations()(locale)}
                onError={(e) => errors.push(e)}
            >
                {ui}
            </IntlProvider>
        </Provider>,
    );
    return errors;
}

const card = (extra: Record<string, unknown> = {}) => post({
    meeting_id: 81234567890,
    meeting_uuid: 'uuid==',
    meeting_link: 'https://zoom.us/j/81234567890?pwd=x',
    meeting_status: 'STARTED',
    meeting_personal: true,
    meeting_topic: 'Sprint review',
    meeting_creator_username: 'alice',
    meeting_provider: 'Zoom',
    ...extra,
});

describe('translated cards', () => {
    it('a German user sees a German meeting card', () => {
        const errors = renderAs('de', <ZoomPost post={card()}/>);
        assert.ok(screen.getByText('Meeting-ID: 812 3456 7890'));
        assert.ok(screen.getByText('Erstellt von @alice'));
        assert.ok(screen.getByText('Persönliche Meeting-ID (PMI)'));
        assert.equal(screen.getByRole('link', {name: /Meeting beitreten/}).getAttribute('aria-label'), 'Meeting beitreten: Sprint review');
        assert.deepEqual(errors, []);
    });

    it('a French user sees a French ended card', () => {
        const errors = renderAs('fr', <ZoomPost post={card({meeting_status: 'ENDED', meeting_end_time: Date.UTC(2024, 4, 14, 10, 0)})}/>);
        assert.ok(screen.getByText('Réunion terminée'));
        assert.deepEqual(errors, []);
    });
});
