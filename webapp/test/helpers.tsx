import {render} from '@testing-library/react';
import React from 'react';
import {IntlProvider} from 'react-intl';
import {Provider} from 'react-redux';

import en from '../src/i18n/en.json';
import type {Channel, Post, State, Store} from '../src/types';

/* eslint-disable @typescript-eslint/no-explicit-any */

export const CHANNEL = 'channelidchannelidchannel1';
export const USER = 'useriduseriduseriduserid01';
export const TEAM = 'teamidteamidteamidteamid01';

/** A channel as Mattermost's store holds it. */
export function channel(type: Channel['type'], extra: Partial<Channel> = {}): Channel {
    return {
        id: CHANNEL,
        create_at: 1,
        update_at: 1,
        delete_at: 0,
        team_id: type === 'D' || type === 'G' ? '' : TEAM,
        type,
        display_name: 'Design',
        name: 'design',
        header: '',
        purpose: '',
        last_post_at: 0,
        last_root_post_at: 0,
        creator_id: USER,
        scheme_id: '',
        group_constrained: false,
        ...extra,
    };
}

export function baseState(extra: Record<string, unknown> = {}) {
    return {
        entities: {
            general: {config: {SiteURL: 'http://mm.test'}},
            channels: {currentChannelId: CHANNEL, channels: {[CHANNEL]: channel('P')}},
            teams: {currentTeamId: TEAM},
            users: {currentUserId: USER, profiles: {[USER]: {id: USER, locale: 'en'}}},
            posts: {posts: {}},
        },
        views: {rhs: {}, threads: {selectedThreadIdInTeam: {}}},
        websocket: {connectionId: 'conn-1'},
        plugins: {plugins: {}},
        ...extra,
    };
}

export interface TestStore extends Store {
    actions: any[];
    setState(s: State): void;
}

export function makeStore(state: State = baseState()): TestStore {
    let current = state;
    const listeners = new Set<() => void>();
    return {
        actions: [],
        getState: () => current,
        dispatch(action: any) {
            this.actions.push(action);
            return action;
        },
        subscribe(l: () => void) {
            listeners.add(l);
            return () => {
                listeners.delete(l);
            };
        },
        setState(s: State) {
            current = s;
            listeners.forEach((l) => l());
        },
    };
}

/** Renders like the host does: inside ReactRedux's Provider and an IntlProvider fed en.json. */
export function renderInHost(ui: React.ReactElement, store: TestStore = makeStore()) {
    const intlErrors: Error[] = [];
    const utils = render(
        <Provider store={store as any}>
            <IntlProvider
                locale='en'
                messages={en}
                onError={(e) => intlErrors.push(e)}
            >
                {ui}
            </IntlProvider>
        </Provider>,
    );
    return {...utils, store, intlErrors};
}

export interface FetchCall {
    url: string;
    init: RequestInit;
    body: any;
}

export const json = (status: number, body: unknown) => new Response(JSON.stringify(body), {
    status,
    headers: {'Content-Type': 'application/json'},
});

/** Replaces global fetch; every call is recorded and answered by `answer`. */
export function mockFetch(answer: (call: FetchCall) => Response | Promise<Response>): FetchCall[] {
    const calls: FetchCall[] = [];
    globalThis.fetch = (async (url: string, init: RequestInit = {}) => {
        const call = {url: String(url), init, body: init.body ? JSON.parse(String(init.body)) : undefined};
        calls.push(call);
        return answer(call);
    }) as typeof fetch;
    return calls;
}

/** A promise the test resolves by hand, to hold a request in flight. */
export function deferred<T>() {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
    });
    return {promise, resolve, reject};
}

/** Lets pending promise callbacks run. */
export const flush = () => new Promise((r) => setTimeout(r, 0));

/** A post as Mattermost hands it to a post type component. */
export function post(props: Record<string, unknown>, extra: Partial<Omit<Post, 'type'>> & {type?: string} = {}): Post {
    const at = Date.UTC(2024, 4, 14, 9, 30);
    return {
        id: 'postidpostidpostidpostid01',
        create_at: at,
        update_at: at,
        edit_at: 0,
        delete_at: 0,
        is_pinned: false,
        user_id: USER,
        channel_id: CHANNEL,
        root_id: '',
        original_id: '',
        message: 'Meeting started',
        props,
        hashtags: '',
        pending_post_id: '',
        reply_count: 0,
        metadata: {embeds: [], emojis: [], files: [], images: {}},
        ...extra,
        // Plugin post types (custom_*) are not in PostType's list of Mattermost's own.
        type: (extra.type ?? 'custom_zoom') as Post['type'],
    };
}
