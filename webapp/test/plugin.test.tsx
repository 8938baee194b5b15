import './setup';

import {act, fireEvent, render, screen} from '@testing-library/react';
import assert from 'node:assert/strict';
import {beforeEach, describe, it} from 'node:test';
import React from 'react';

import {startFromAppBar} from '../src/actions';
import {ChatPost, TranscriptPost} from '../src/components/artifact_post';
import {CallButton, CallMenuOption} from '../src/components/call_button';
import {SummaryPost} from '../src/components/summary_post';
import {ZoomPost} from '../src/components/zoom_post';
import {getTranslations} from '../src/i18n';
import {Plugin, type Registry} from '../src/plugin';
import type {Channel} from '../src/types';

import {CHANNEL, TEAM, USER, baseState, channel as makeChannel, deferred, flush, json, makeStore, mockFetch, renderInHost, type TestStore} from './helpers';

/* eslint-disable @typescript-eslint/no-explicit-any */

interface Registered {
    header?: {icon: React.ReactNode; action: (c?: Channel) => void; dropdown: string; tooltip: string};
    appBar?: {iconUrl: string; action: (c?: Channel) => void; tooltip: string};
    call?: {button: React.ReactNode; dropdownButton: React.ReactNode; action: (c?: Channel) => void};
    posts: Record<string, unknown>;
    ws: Record<string, (m: any) => void>;
    translations?: (locale: string) => Record<string, string>;
}

function fakeRegistry(withOptional = true): {registry: Registry; got: Registered} {
    const got: Registered = {posts: {}, ws: {}};
    const registry: Registry = {
        registerChannelHeaderButtonAction: (icon, action, dropdown, tooltip) => {
            got.header = {icon, action, dropdown, tooltip};
        },
        registerPostTypeComponent: (type, component) => {
            got.posts[type] = component;
        },
        registerWebSocketEventHandler: (event, handler) => {
            got.ws[event] = handler;
        },
    };
    if (withOptional) {
        registry.registerAppBarComponent = (iconUrl, action, tooltip) => {
            got.appBar = {iconUrl, action, tooltip};
        };
        registry.registerTranslations = (fn) => {
            got.translations = fn;
        };
        registry.registerCallButtonAction = (button, dropdownButton, action) => {
            got.call = {button, dropdownButton, action};
        };
    }
    return {registry, got};
}

function setup(state = baseState()) {
    const store = makeStore(state);
    const {registry, got} = fakeRegistry();
    new Plugin().initialize(registry, store);
    return {store, got};
}

const channel = makeChannel('O');

describe('registration', () => {
    it('registers the header button, app bar icon, post types, websocket handler and translations', () => {
        const {got} = setup();
        assert.equal(got.header?.dropdown, 'Start Zoom Meeting');
        assert.equal(got.header?.tooltip, 'Start Zoom Meeting');
        assert.equal(got.appBar?.tooltip, 'Start Zoom Meeting');
        assert.match(got.appBar?.iconUrl || '', /^data:image\/svg\+xml/);
        assert.equal(got.posts.custom_zoom, ZoomPost);
        assert.equal(got.posts.custom_zoom_transcript, TranscriptPost);
        assert.equal(got.posts.custom_zoom_chat, ChatPost);
        assert.equal(got.posts.custom_zoom_summary, SummaryPost);
        assert.equal(typeof got.ws.custom_zoom_meeting_started, 'function');
        assert.equal(got.translations, getTranslations);
        assert.equal(got.translations?.('en')['zoom.start'], 'Start Zoom Meeting');
        assert.ok(document.getElementById('zoom-plugin-css'));
    });

    it('works with a registry that has no app bar, no Call button and no translations', () => {
        const {registry, got} = fakeRegistry(false);
        new Plugin().initialize(registry, makeStore());
        assert.ok(got.header);
        assert.equal(got.appBar, undefined);
        assert.equal(got.call, undefined);
    });

    it('gives the header an icon that renders the camera', () => {
        const {got} = setup();
        const {container} = render(<>{got.header?.icon}</>);
        assert.ok(container.querySelector('svg path'));
        assert.equal(container.querySelector('svg')?.getAttribute('fill'), 'currentColor');
    });

    it('the app bar icon is a well-formed SVG image', () => {
        const {got} = setup();
        const svg = decodeURIComponent((got.appBar?.iconUrl || '').replace(/^data:image\/svg\+xml;utf8,/, ''));
        const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
        assert.equal(doc.getElementsByTagName('parsererror').length, 0);
        assert.equal(doc.documentElement.getElementsByTagName('path').length, 2);
    });
});

describe('channel header button', () => {
    let store: TestStore;
    let got: Registered;
    beforeEach(() => {
        ({store, got} = setup());
    });

    it('starts one meeting on a double click, sending the connection id', async () => {
        const answer = deferred<Response>();
        const calls = mockFetch(() => answer.promise);
        got.header?.action(channel);
        got.header?.action(channel);
        await flush();
        assert.equal(calls.length, 1);
        assert.equal(calls[0].url, 'http://mm.test/plugins/zoom/api/v1/meetings');
        assert.equal(calls[0].init.method, 'POST');
        assert.equal(calls[0].init.credentials, 'include');
        const headers = calls[0].init.headers as Record<string, string>;
        assert.equal(headers['X-Requested-With'], 'XMLHttpRequest');
        assert.deepEqual(calls[0].body, {channel_id: CHANNEL, root_id: '', topic: '', use_pmi: '', connection_id: 'conn-1'});
        answer.resolve(json(200, {meeting_url: 'https://zoom.us/j/1'}));
        await flush();
        assert.deepEqual(store.actions, []);

        // once answered, the button works again
        const again = mockFetch(() => json(200, {meeting_url: ''}));
        got.header?.action(channel);
        await flush();
        assert.equal(again.length, 1);
    });

    it('dims the header icon while a meeting request is in flight', async () => {
        const answer = deferred<Response>();
        mockFetch(() => answer.promise);
        const {container} = render(<>{got.header?.icon}</>);
        const wrapper = container.firstElementChild as HTMLElement;
        assert.equal(wrapper.getAttribute('aria-busy'), 'false');
        act(() => got.header?.action(channel));
        assert.equal(wrapper.getAttribute('aria-busy'), 'true');
        await act(async () => {
            answer.resolve(json(200, {meeting_url: ''}));
            await flush();
        });
        assert.equal(wrapper.getAttribute('aria-busy'), 'false');
    });

    it('sends the CSRF token from the MMCSRF cookie', async () => {
        document.cookie = 'MMCSRF=csrf-token-1';
        const calls = mockFetch(() => json(200, {meeting_url: ''}));
        got.header?.action(channel);
        await flush();
        assert.equal((calls[0].init.headers as Record<string, string>)['X-CSRF-Token'], 'csrf-token-1');
    });

    it('keeps channels apart: a click in another channel is not blocked', async () => {
        const answer = deferred<Response>();
        const calls = mockFetch(() => answer.promise);
        got.header?.action(channel);
        got.header?.action({...channel, id: 'otherchannelotherchannel01'});
        await flush();
        assert.equal(calls.length, 2);
        answer.resolve(json(200, {}));
    });

    it('shows the server\'s {"error"} as an ephemeral system message in the channel', async () => {
        mockFetch(() => json(403, {error: 'You are not a member of this channel.'}));
        got.header?.action(channel);
        await flush();
        await flush();
        assert.equal(store.actions.length, 1);
        const {type, data} = store.actions[0];
        assert.equal(type, 'RECEIVED_NEW_POST');
        assert.equal(data.type, 'system_ephemeral');
        assert.equal(data.channel_id, CHANNEL);
        assert.equal(data.user_id, USER);
        assert.equal(data.message, 'Could not start a Zoom meeting: You are not a member of this channel.');
        assert.match(data.id, /^[a-z0-9]{26}$/);
        assert.ok(Math.abs(data.create_at - Date.now()) < 5000);
    });

    it('shows an {"error"} even with a 200 status', async () => {
        mockFetch(() => json(200, {error: 'Zoom said no.'}));
        got.header?.action(channel);
        await flush();
        await flush();
        assert.equal(store.actions[0]?.data.message, 'Could not start a Zoom meeting: Zoom said no.');
    });

    it('explains a network failure', async () => {
        mockFetch(() => Promise.reject(new TypeError('Failed to fetch')));
        got.header?.action(channel);
        await flush();
        await flush();
        assert.match(store.actions[0]?.data.message, /^Could not start a Zoom meeting: the server could not be reached/);
    });

    it('explains an error status without a body', async () => {
        mockFetch(() => new Response('<html>bad gateway</html>', {status: 502}));
        got.header?.action(channel);
        await flush();
        await flush();
        assert.match(store.actions[0]?.data.message, /status 502/);
    });

    it('uses the current channel when the host passes none', async () => {
        const calls = mockFetch(() => json(200, {meeting_url: ''}));
        got.header?.action();
        await flush();
        assert.equal(calls[0].body.channel_id, CHANNEL);
    });
});

describe('app bar', () => {
    const ROOT = 'rootidrootidrootidrootid01';
    const REPLY = 'replyidreplyidreplyidrepl1';
    const THREAD_CHANNEL = 'threadchannelthreadchann01';

    function stateWithThread(extra: Record<string, unknown>) {
        const s = baseState();
        s.entities.channels.currentChannelId = '';
        s.entities.posts.posts = {
            [ROOT]: {id: ROOT, channel_id: THREAD_CHANNEL, root_id: ''},
            [REPLY]: {id: REPLY, channel_id: THREAD_CHANNEL, root_id: ROOT},
        };
        s.views = {...s.views, ...extra};
        return s;
    }

    it('with no channel in view, starts the meeting in the open thread (global threads view)', async () => {
        const calls = mockFetch(() => json(200, {meeting_url: ''}));
        const {got} = setup(stateWithThread({threads: {selectedThreadIdInTeam: {[TEAM]: ROOT}}}));
        got.appBar?.action(undefined);
        await flush();
        assert.equal(calls.length, 1);
        assert.equal(calls[0].body.channel_id, THREAD_CHANNEL);
        assert.equal(calls[0].body.root_id, ROOT);
        assert.equal(calls[0].body.connection_id, 'conn-1');
    });

    it('with no channel in view, uses the right-hand side\'s selected post, replying to its root', async () => {
        const calls = mockFetch(() => json(200, {meeting_url: ''}));
        const {got} = setup(stateWithThread({rhs: {selectedPostId: REPLY, selectedChannelId: THREAD_CHANNEL}}));
        got.appBar?.action(undefined);
        await flush();
        assert.equal(calls[0].body.channel_id, THREAD_CHANNEL);
        assert.equal(calls[0].body.root_id, ROOT);
    });

    it('with a channel in view, starts the meeting there', async () => {
        const calls = mockFetch(() => json(200, {meeting_url: ''}));
        const {got} = setup(stateWithThread({threads: {selectedThreadIdInTeam: {[TEAM]: ROOT}}}));
        got.appBar?.action(channel);
        await flush();
        assert.equal(calls[0].body.channel_id, CHANNEL);
        assert.equal(calls[0].body.root_id, '');
    });

    it('does nothing without a channel or a thread', async () => {
        const calls = mockFetch(() => json(200, {}));
        const s = baseState();
        s.entities.channels.currentChannelId = '';
        assert.equal(await startFromAppBar(makeStore(s)), false);
        assert.equal(calls.length, 0);
    });
});

describe('Mattermost\'s Call button', () => {
    const dmState = (type: Channel['type']) => {
        const s = baseState();
        s.entities.channels.channels = {[CHANNEL]: makeChannel(type, {name: `${USER}__otheruserotheruserotheruse1`})};
        return s;
    };

    it('registers Zoom with a button and a menu option', () => {
        const {got} = setup();
        assert.equal((got.call?.button as React.ReactElement).type, CallButton);
        assert.equal((got.call?.dropdownButton as React.ReactElement).type, CallMenuOption);
    });

    for (const type of ['D', 'G'] as const) {
        it(`shows "Start Zoom Meeting" in a ${type === 'D' ? 'direct' : 'group'} message`, () => {
            const {got, store} = setup(dmState(type));
            const {intlErrors} = renderInHost(<>{got.call?.button}{got.call?.dropdownButton}</>, store);
            const button = screen.getByRole('button', {name: 'Start Zoom Meeting'});
            assert.equal(button.textContent, 'Zoom');
            assert.ok(screen.getByText('Start Zoom Meeting'));
            assert.deepEqual(intlErrors, []);
        });
    }

    it('offers nothing in a public or private channel, where the header button is', () => {
        for (const type of ['O', 'P'] as const) {
            const {got, store} = setup(dmState(type));
            const {container, unmount} = renderInHost(<>{got.call?.button}{got.call?.dropdownButton}</>, store);
            assert.equal(container.innerHTML, '', type);
            unmount();
        }
    });

    it('starts a meeting in the conversation through the header button\'s path, once', async () => {
        const answer = deferred<Response>();
        const calls = mockFetch(() => answer.promise);
        const {got, store} = setup(dmState('D'));
        const dm = makeChannel('D');
        // The host owns the click: it calls the action with the channel (and membership).
        renderInHost(<div onClick={() => got.call?.action(dm)}>{got.call?.button}</div>, store);
        const button = screen.getByRole('button', {name: 'Start Zoom Meeting'});
        fireEvent.click(button);
        got.header?.action(dm);
        await flush();
        assert.equal(calls.length, 1);
        assert.equal(calls[0].url, 'http://mm.test/plugins/zoom/api/v1/meetings');
        assert.deepEqual(calls[0].body, {channel_id: CHANNEL, root_id: '', topic: '', use_pmi: '', connection_id: 'conn-1'});
        assert.equal(button.getAttribute('aria-busy'), 'true');
        await act(async () => {
            answer.resolve(json(200, {meeting_url: ''}));
            await flush();
        });
        assert.equal(button.getAttribute('aria-busy'), 'false');
        assert.deepEqual(store.actions, []);
    });

    it('shows a refusal in the conversation', async () => {
        mockFetch(() => json(403, {error: 'Zoom is not connected.'}));
        const {got, store} = setup(dmState('G'));
        got.call?.action(makeChannel('G'));
        await flush();
        await flush();
        assert.equal(store.actions[0]?.data.channel_id, CHANNEL);
        assert.equal(store.actions[0]?.data.message, 'Could not start a Zoom meeting: Zoom is not connected.');
    });
});
