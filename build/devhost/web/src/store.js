// The Redux store the plugin gets in initialize(registry, store). It holds what the
// plugin's selectors read (docs/CONTRACTS.md) in Mattermost's shapes, plus a `devhost`
// slice for the page's own UI (open dialog, websocket log). Plugin reducers registered
// with registerReducer live at `plugins-<id>`.
import {applyMiddleware, combineReducers, createStore} from 'redux';
import {thunk} from 'redux-thunk';

import {randomId} from './api';

export const T = {
    INIT: 'DEVHOST_INIT',
    SELECT_CHANNEL: 'SELECT_CHANNEL',
    RECEIVED_POSTS: 'RECEIVED_POSTS',
    RECEIVED_NEW_POST: 'RECEIVED_NEW_POST', // also dispatched by the plugin
    RECEIVED_POST: 'RECEIVED_POST', // an edit
    POST_DELETED: 'POST_DELETED',
    RECEIVED_WEBAPP_PLUGIN: 'RECEIVED_WEBAPP_PLUGIN', // a webapp plugin's manifest, at plugins.plugins[id]
    SELECT_THREAD: 'SELECT_POST', // Mattermost's RHS action name
    CLOSE_THREAD: 'CLOSE_THREAD',
    WS_HELLO: 'WEBSOCKET_HELLO',
    WS_STATUS: 'WEBSOCKET_STATUS',
    WS_FRAME: 'DEVHOST_WS_FRAME',
    SET_THEME: 'DEVHOST_SET_THEME',
    OPEN_DIALOG: 'DEVHOST_OPEN_DIALOG',
    CLOSE_DIALOG: 'DEVHOST_CLOSE_DIALOG',
};

function byId(list) {
    const out = {};
    for (const item of list || []) {
        out[item.id] = item;
    }
    return out;
}

function general(state = {config: {SiteURL: window.location.origin}, license: {}}, action) {
    if (action.type === T.INIT) {
        const siteURL = action.state.site_url || window.location.origin;
        return {...state, config: {...state.config, SiteURL: siteURL, EnableAppBar: 'true'}};
    }
    return state;
}

function users(state = {currentUserId: '', profiles: {}}, action) {
    if (action.type === T.INIT) {
        return {currentUserId: action.state.current_user_id || '', profiles: byId(action.state.users)};
    }
    return state;
}

function channels(state = {currentChannelId: '', channels: {}, myMembers: {}}, action) {
    switch (action.type) {
    case T.INIT: {
        const chans = byId(action.state.channels);
        const me = action.state.current_user_id || '';
        const myMembers = {};
        for (const id of Object.keys(chans)) {
            myMembers[id] = {channel_id: id, user_id: me, roles: 'channel_user'};
        }
        return {...state, channels: chans, myMembers};
    }
    case T.SELECT_CHANNEL:
        return {...state, currentChannelId: action.channelId};
    default:
        return state;
    }
}

function teams(state = {currentTeamId: '', teams: {}, myMembers: {}}, action) {
    switch (action.type) {
    case T.INIT: {
        const all = byId(action.state.teams);
        const myMembers = {};
        for (const id of Object.keys(all)) {
            myMembers[id] = {team_id: id, user_id: action.state.current_user_id || ''};
        }
        return {...state, teams: all, myMembers};
    }
    case T.SELECT_CHANNEL:
        return action.teamId ? {...state, currentTeamId: action.teamId} : state;
    default:
        return state;
    }
}

function upsertPost(posts, post) {
    if (!post || !post.id) {
        return posts;
    }
    return {...posts, [post.id]: post};
}

// As mattermost-redux: a post replaces the stored one only when it is newer (an equal
// update_at is the same version).
function isNewer(post, stored) {
    if (!stored) {
        return true;
    }
    const have = stored.update_at || 0;
    const got = post.update_at || 0;
    return got > have || (!have && !got);
}

// As mattermost-redux on post_deleted (ephemeral posts too): the post stays, marked
// deleted and emptied (the list shows "(message deleted)"), and its replies go.
function markDeleted(posts, id) {
    if (!posts[id]) {
        return posts;
    }
    const next = {};
    for (const [key, p] of Object.entries(posts)) {
        if (p.root_id !== id) {
            next[key] = p;
        }
    }
    next[id] = {...posts[id], state: 'DELETED', message: '', file_ids: [], props: {}};
    return next;
}

function posts(state = {posts: {}}, action) {
    switch (action.type) {
    case T.RECEIVED_POSTS: {
        let next = state.posts;
        for (const p of action.posts) {
            // A fetched list may be older than an edit that arrived over the websocket meanwhile.
            if (isNewer(p, next[p.id])) {
                next = upsertPost(next, p);
            }
        }
        return next === state.posts ? state : {...state, posts: next};
    }
    case T.RECEIVED_NEW_POST:
        return {...state, posts: upsertPost(state.posts, action.data)};
    case T.RECEIVED_POST:
        return action.data && isNewer(action.data, state.posts[action.data.id]) ? {...state, posts: upsertPost(state.posts, action.data)} : state;
    case T.POST_DELETED: {
        const next = markDeleted(state.posts, action.data?.id);
        return next === state.posts ? state : {...state, posts: next};
    }
    default:
        return state;
    }
}

function preferences(state = {myPreferences: {}}, action) {
    if (action.type === T.SET_THEME) {
        const pref = {user_id: '', category: 'theme', name: '', value: JSON.stringify(action.theme)};
        return {...state, myPreferences: {...state.myPreferences, 'theme--': pref}};
    }
    return state;
}

const entities = combineReducers({
    general,
    users,
    channels,
    teams,
    posts,
    preferences,
    bots: (state = {accounts: {}}) => state,
});

function rhs(state = {selectedPostId: '', selectedChannelId: ''}, action) {
    switch (action.type) {
    case T.SELECT_THREAD:
        return {selectedPostId: action.postId, selectedChannelId: action.channelId};
    case T.CLOSE_THREAD:
    case T.SELECT_CHANNEL:
        return {selectedPostId: '', selectedChannelId: ''};
    default:
        return state;
    }
}

function threads(state = {selectedThreadIdInTeam: {}}, action) {
    switch (action.type) {
    case T.SELECT_THREAD:
        return {selectedThreadIdInTeam: {...state.selectedThreadIdInTeam, [action.teamId]: action.postId}};
    case T.CLOSE_THREAD:
    case T.SELECT_CHANNEL:
        return {selectedThreadIdInTeam: {}};
    default:
        return state;
    }
}

const views = combineReducers({rhs, threads});

function websocket(state = {connectionId: '', connected: false, connects: 0}, action) {
    switch (action.type) {
    case T.WS_HELLO:
        return {...state, connectionId: action.connectionId || ''};
    case T.WS_STATUS:
        return {...state, connected: action.connected, connects: state.connects + (action.connected ? 1 : 0)};
    default:
        return state;
    }
}

function devhost(state = {dialog: null, dark: false, frames: []}, action) {
    switch (action.type) {
    case T.SET_THEME:
        return {...state, dark: action.dark};
    case T.OPEN_DIALOG:
        return {...state, dialog: action.dialog};
    case T.CLOSE_DIALOG:
        return {...state, dialog: null};
    case T.WS_FRAME:
        return {...state, frames: [action.frame, ...state.frames].slice(0, 20)};
    default:
        return state;
    }
}

// plugins.plugins: the manifests of the webapp plugins, by id (the Zoom plugin, and the
// fake Agents plugin when the page registers one).
function plugins(state = {plugins: {}}, action) {
    if (action.type === T.RECEIVED_WEBAPP_PLUGIN && action.data?.id) {
        return {...state, plugins: {...state.plugins, [action.data.id]: action.data}};
    }
    return state;
}

const pluginReducers = {};

function rootReducer() {
    return combineReducers({entities, views, websocket, plugins, devhost, ...pluginReducers});
}

export function makeStore() {
    const store = createStore(rootReducer(), applyMiddleware(thunk));
    store.addPluginReducer = (pluginId, reducer) => {
        pluginReducers[`plugins-${pluginId}`] = reducer;
        store.replaceReducer(rootReducer());
    };
    return store;
}

// Selectors used by the page.
export const currentUser = (s) => s.entities.users.profiles[s.entities.users.currentUserId];
export const currentChannel = (s) => s.entities.channels.channels[s.entities.channels.currentChannelId];
export const isEphemeral = (p) => p.type === 'system_ephemeral' || p.type?.startsWith('system_ephemeral');

// A client-side ephemeral post, as Mattermost shows a local error in the channel.
export function localEphemeral(state, channelId, message, rootId = '') {
    return {
        id: randomId(),
        type: 'system_ephemeral',
        user_id: state.entities.users.currentUserId,
        channel_id: channelId,
        root_id: rootId,
        message,
        create_at: Date.now(),
        props: {},
    };
}
