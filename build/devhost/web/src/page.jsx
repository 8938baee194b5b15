// "Mattermost in a box": the page. Loads like the real webapp: globals (shim.js), then
// window.plugins + window.registerPlugin, then the plugin bundle by script tag, then
// plugin.initialize(registry, store). See docs/CONTRACTS.md.
import React, {useEffect, useState} from 'react';
import {createRoot} from 'react-dom/client';
import {IntlProvider} from 'react-intl';
import {Provider, useDispatch, useSelector} from 'react-redux';

import './page.css';
import {api, request} from './api';
import {CommandBox} from './commandbox';
import {DialogModal} from './dialog';
import {PluginBoundary, RegistryContext, useRegistry} from './hooks';
import {PostList, ThreadPanel} from './posts';
import {createRegistry} from './registry';
import {SimPanel} from './simpanel';
import {T, currentChannel, currentUser, makeStore} from './store';
import {applyTheme, darkTheme, lightTheme} from './theme';
import {connectWebSocket, parseJSONField} from './ws';

const PLUGIN_ID = 'zoom';
const BUNDLE_URL = `/static/plugins/${PLUGIN_ID}/main.js`;

// ---- plugin loading ---------------------------------------------------------

window.plugins = window.plugins || {};
const registered = {};
window.registerPlugin = (id, plugin) => {
    window.plugins[id] = plugin;
    registered[id]?.(plugin);
};

function loadPlugin(id, url, registry, store) {
    const waiting = new Promise((resolve) => {
        registered[id] = resolve;
    });
    const loaded = new Promise((resolve, reject) => {
        const s = document.createElement('script');
        s.src = url;
        s.onload = resolve;
        s.onerror = () => reject(new Error(`could not load ${url}`));
        document.head.appendChild(s);
    });
    return loaded.then(() => Promise.race([
        waiting,
        new Promise((_, reject) => setTimeout(() => reject(new Error(
            `${url} loaded but never called window.registerPlugin('${id}', …): a missing global? See the console.`)), 3000)),
    ])).then(async (plugin) => {
        await plugin.initialize(registry, store);
        return plugin;
    });
}

// ---- a fake Agents plugin (?agents=1) ---------------------------------------------------

// What the Agents (mattermost-ai) plugin's webapp leaves in the store, enough for other
// plugins to find it: its manifest at plugins.plugins['mattermost-ai'] and, in its own
// reducer's state (plugins-mattermost-ai), the callsPostButtonClickedTranscription
// handler. The fake handler records each post in window.devhost.agentsHandOffs.
function registerFakeAgents(store) {
    const handOffs = [];
    window.devhost.agentsHandOffs = handOffs;
    const handler = async (post) => {
        handOffs.push(post);
    };
    store.addPluginReducer('mattermost-ai', (state = {callsPostButtonClickedTranscription: handler}) => state);
    store.dispatch({type: T.RECEIVED_WEBAPP_PLUGIN, data: {id: 'mattermost-ai', version: 'devhost-fake'}});
}

// ---- channel helpers ---------------------------------------------------------

function channelLabel(channel, profiles, me) {
    if (!channel) {
        return '';
    }
    if (channel.type === 'D') {
        const other = channel.name.split('__').find((id) => id !== me) || me;
        return profiles[other]?.username || channel.display_name || channel.name;
    }
    return channel.display_name || channel.name;
}

const LockIcon = () => (
    <svg width='12' height='12' viewBox='0 0 24 24' aria-hidden='true'>
        <path fill='currentColor' d='M17 9V7A5 5 0 0 0 7 7v2a2 2 0 0 0-2 2v9a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-9a2 2 0 0 0-2-2zM9 7a3 3 0 0 1 6 0v2H9z'/>
    </svg>
);

function channelIcon(channel) {
    return {O: '#', P: <LockIcon/>, D: '@', G: '+'}[channel?.type] || '#';
}

// Meetings in public channels are refused by default (RestrictMeetingCreation), so a
// newcomer lands in a private channel: `design` if present.
function defaultChannel(channels) {
    const list = Object.values(channels);
    return list.find((c) => c.name === 'design') || list.find((c) => c.type === 'P') ||
        list.find((c) => c.type === 'D') || list[0];
}

// ---- components --------------------------------------------------------------

function Hint() {
    const [hidden, setHidden] = useState(() => localStorage.getItem('devhost.hint') === 'hidden');
    if (hidden) {
        return null;
    }
    return (
        <div className='hint' role='note' data-testid='hint'>
            <strong>Try it:</strong>
            <span>1. Click the Zoom button in the header.</span>
            <span>2. Connect to Zoom (pick a user on the simulator page).</span>
            <span>3. End the meeting from the simulator panel.</span>
            <button
                className='link-btn hint__close'
                aria-label='Hide the hint'
                onClick={() => {
                    localStorage.setItem('devhost.hint', 'hidden');
                    setHidden(true);
                }}
            >{'✕'}</button>
        </div>
    );
}

function Sidebar({boot}) {
    const dispatch = useDispatch();
    const channels = useSelector((s) => s.entities.channels.channels);
    const profiles = useSelector((s) => s.entities.users.profiles);
    const me = useSelector((s) => s.entities.users.currentUserId);
    const current = useSelector((s) => s.entities.channels.currentChannelId);
    const teams = useSelector((s) => s.entities.teams.teams);
    const teamId = useSelector((s) => s.entities.teams.currentTeamId);
    const connected = useSelector((s) => s.websocket.connected);
    const list = Object.values(channels).sort((a, b) => channelLabel(a, profiles, me).localeCompare(channelLabel(b, profiles, me)));
    const groups = [
        ['Channels', list.filter((c) => c.type === 'O' || c.type === 'P')],
        ['Direct messages', list.filter((c) => c.type === 'D' || c.type === 'G')],
    ];
    const users = Object.values(profiles).filter((u) => !u.is_bot && !u.delete_at);

    const switchUser = async (userId) => {
        try {
            await api('POST', '/devhost/login', {user_id: userId});
            window.location.reload();
        } catch (e) {
            window.alert(`Login failed: ${e.message}`);
        }
    };

    return (
        <nav className='sidebar' aria-label='Channels'>
            <div className='sidebar__team'>{teams[teamId]?.display_name || 'Mattermost in a box'}</div>
            {groups.map(([title, chans]) => chans.length > 0 && (
                <div key={title} className='sidebar__group'>
                    <div className='sidebar__group-title'>{title}</div>
                    {chans.map((c) => (
                        <button
                            key={c.id}
                            className={`sidebar__channel${c.id === current ? ' sidebar__channel--active' : ''}`}
                            data-channel-name={c.name}
                            aria-current={c.id === current ? 'page' : undefined}
                            onClick={() => selectChannel(dispatch, c)}
                        >
                            <span className='sidebar__icon' aria-hidden='true'>{channelIcon(c)}</span>
                            {channelLabel(c, profiles, me)}
                        </button>
                    ))}
                </div>
            ))}
            <div className='sidebar__footer'>
                <label className='sidebar__label' htmlFor='user-switcher'>Logged in as</label>
                <select id='user-switcher' data-testid='user-switcher' value={me} onChange={(e) => switchUser(e.target.value)}>
                    {users.map((u) => <option key={u.id} value={u.id}>{u.username}</option>)}
                </select>
                <div className='sidebar__status small'>
                    <span className={`dot ${connected ? 'dot--on' : 'dot--off'}`} aria-hidden='true'/>
                    {connected ? 'websocket connected' : 'websocket disconnected'}
                </div>
                <div className='sidebar__status small' data-testid='plugin-status'>{boot.pluginText}</div>
            </div>
        </nav>
    );
}

function selectChannel(dispatch, channel) {
    localStorage.setItem('devhost.channel', channel.name);
    dispatch({type: T.SELECT_CHANNEL, channelId: channel.id, teamId: channel.team_id || undefined});
}

function HeaderButtons({channel}) {
    const {headerButtons} = useRegistry();
    const member = useSelector((s) => s.entities.channels.myMembers[channel?.id]);
    return (
        <div className='header-buttons' data-testid='channel-header-buttons'>
            {headerButtons.map((b) => {
                const label = typeof b.tooltipText === 'string' ? b.tooltipText : (typeof b.dropdownText === 'string' ? b.dropdownText : 'Plugin action');
                return (
                    <button key={b.id} className='header-button' aria-label={label} title={label} onClick={() => b.action?.(channel, member)}>
                        <PluginBoundary name='channel header icon'>{b.icon}</PluginBoundary>
                    </button>
                );
            })}
        </div>
    );
}

// Mattermost's Call button, in every channel header as Mattermost renders it (each plugin
// decides where its button shows): one plugin's `button` in a clickable wrapper, or a
// "Call" menu of every plugin's `dropdownButton`. A click calls action(channel, member).
function CallButton({channel}) {
    const {callButtons} = useRegistry();
    const member = useSelector((s) => s.entities.channels.myMembers[channel?.id]);
    const [open, setOpen] = useState(false);
    if (callButtons.length === 0) {
        return null;
    }
    if (callButtons.length === 1) {
        const [item] = callButtons;
        return (
            <div className='call-button' data-testid='call-button' onClick={() => item.action?.(channel, member)}>
                <PluginBoundary name='call button'>{item.button}</PluginBoundary>
            </div>
        );
    }
    return (
        <div className='call-button call-button--menu' data-testid='call-button'>
            <button className='btn btn--small' aria-expanded={open} aria-haspopup='menu' onClick={() => setOpen(!open)}>{'Call ▾'}</button>
            {open && (
                <ul className='call-button__menu' role='menu' aria-label='Call type selector'>
                    {callButtons.map((item) => (
                        <li
                            key={item.id}
                            role='menuitem'
                            onClick={() => {
                                setOpen(false);
                                item.action?.(channel, member);
                            }}
                        >
                            <PluginBoundary name='call menu option'>{item.dropdownButton}</PluginBoundary>
                        </li>
                    ))}
                </ul>
            )}
        </div>
    );
}

function ChannelHeader({channel}) {
    const dispatch = useDispatch();
    const profiles = useSelector((s) => s.entities.users.profiles);
    const me = useSelector((s) => s.entities.users.currentUserId);
    const dark = useSelector((s) => s.devhost.dark);
    const toggleTheme = () => {
        localStorage.setItem('devhost.dark', dark ? '0' : '1');
        dispatch({type: T.SET_THEME, dark: !dark, theme: dark ? lightTheme : darkTheme});
    };
    return (
        <header className='channel-header'>
            <div className='channel-header__title'>
                <span className='channel-header__icon' aria-hidden='true'>{channelIcon(channel)}</span>
                <h1 data-testid='channel-name'>{channelLabel(channel, profiles, me)}</h1>
                {channel?.header && <span className='channel-header__text muted'>{channel.header}</span>}
            </div>
            <HeaderButtons channel={channel}/>
            <CallButton channel={channel}/>
            <button className='btn btn--small' data-testid='theme-toggle' aria-pressed={dark} onClick={toggleTheme}>
                {dark ? 'Light theme' : 'Dark theme'}
            </button>
        </header>
    );
}

function AppBar({channel}) {
    const {appBar} = useRegistry();
    const member = useSelector((s) => s.entities.channels.myMembers[channel?.id]);
    return (
        <aside className='app-bar' aria-label='App bar' data-testid='app-bar'>
            {appBar.map((b) => {
                const label = typeof b.tooltipText === 'string' ? b.tooltipText : 'Plugin';
                return (
                    <button key={b.id} className='app-bar__item' aria-label={label} title={label} onClick={() => b.action?.(channel, member)}>
                        {b.iconUrl ? <img src={b.iconUrl} alt=''/> : label.slice(0, 1)}
                    </button>
                );
            })}
        </aside>
    );
}

function App({boot}) {
    const dispatch = useDispatch();
    const channel = useSelector(currentChannel);
    const user = useSelector(currentUser);
    const threadOpen = useSelector((s) => Boolean(s.views.rhs.selectedPostId));
    // Counts reconnections (not the first connect): posts may have been missed meanwhile.
    const reconnects = useSelector((s) => Math.max(0, s.websocket.connects - 1));
    const {translations} = useRegistry();
    const [messages, setMessages] = useState({});
    // The user's language, as Mattermost's IntlProvider uses it (?locale= sets it, see main).
    const locale = user?.locale || 'en';

    // Translations: fn(locale) may return a map or a promise of one.
    useEffect(() => {
        Promise.all(translations.map((fn) => Promise.resolve().then(() => fn(locale)).catch(() => ({}))))
            .then((maps) => setMessages(Object.assign({}, ...maps.filter((m) => m && typeof m === 'object'))));
    }, [translations, locale]);

    // Posts of the channel in view; again after a websocket reconnect.
    const channelId = channel?.id;
    useEffect(() => {
        if (!channelId) {
            return;
        }
        api('GET', `/api/v4/channels/${channelId}/posts`).then((list) => {
            dispatch({type: T.RECEIVED_POSTS, posts: Object.values(list?.posts || {})});
        }).catch((e) => console.error('devhost: loading posts failed', e));
    }, [channelId, reconnects, dispatch]);

    return (
        <IntlProvider locale={locale} defaultLocale='en' messages={messages} onError={() => {}}>
            <div className='app'>
                <Hint/>
                {boot.pluginError && <div className='banner banner--error' role='alert' data-testid='plugin-error'>{boot.pluginError}</div>}
                <div className={`layout${threadOpen ? ' layout--thread' : ''}`}>
                    <Sidebar boot={boot}/>
                    <main className='center' aria-label='Channel'>
                        {channel ? (
                            <>
                                <ChannelHeader channel={channel}/>
                                <PostList channelId={channel.id}/>
                                <CommandBox channelId={channel.id}/>
                            </>
                        ) : <p className='muted empty'>{`No channels for ${user?.username || 'this user'}.`}</p>}
                    </main>
                    <div className='right'>
                        {threadOpen && <ThreadPanel/>}
                        <SimPanel simURL={boot.simURL}/>
                    </div>
                    <AppBar channel={channel}/>
                </div>
                <DialogModal/>
            </div>
        </IntlProvider>
    );
}

function Login({users, error}) {
    const login = async (id) => {
        await api('POST', '/devhost/login', {user_id: id});
        window.location.reload();
    };
    return (
        <div className='login'>
            <h1>Mattermost in a box</h1>
            {error && <p className='error-text'>{error}</p>}
            <p>Log in as:</p>
            <div className='login__users'>
                {users.filter((u) => !u.is_bot).map((u) => (
                    <button key={u.id} className='btn btn--primary' data-username={u.username} onClick={() => login(u.id)}>{u.username}</button>
                ))}
            </div>
        </div>
    );
}

// Keeps the page's boot status (plugin loading) outside Redux, re-rendering the root.
function Root({store, reg, bootRef}) {
    const [boot, setBoot] = useState(bootRef.current);
    useEffect(() => {
        bootRef.listener = setBoot;
        setBoot(bootRef.current);
    }, [bootRef]);
    return (
        <Provider store={store}>
            <RegistryContext.Provider value={reg}>
                <App boot={boot}/>
            </RegistryContext.Provider>
        </Provider>
    );
}

// ---- websocket frames ----------------------------------------------------------

function handleFrame(frame, store, reg) {
    const {dispatch} = store;
    dispatch({type: T.WS_FRAME, frame: {event: frame.event, seq: frame.seq, at: new Date().toLocaleTimeString()}});
    switch (frame.event) {
    case 'hello':
        dispatch({type: T.WS_HELLO, connectionId: frame.data?.connection_id});
        break;
    case 'posted':
    case 'ephemeral_message': {
        const post = parseJSONField(frame.data?.post);
        if (post) {
            dispatch({type: T.RECEIVED_NEW_POST, data: post});
        }
        break;
    }
    case 'post_edited': {
        const post = parseJSONField(frame.data?.post);
        if (post) {
            dispatch({type: T.RECEIVED_POST, data: post});
        }
        break;
    }
    case 'post_deleted': {
        const post = parseJSONField(frame.data?.post);
        if (post) {
            dispatch({type: T.POST_DELETED, data: post});
        }
        break;
    }
    case 'open_dialog': {
        const dialog = parseJSONField(frame.data?.dialog);
        if (dialog) {
            dispatch({type: T.OPEN_DIALOG, dialog});
        }
        break;
    }
    default:
    }
    for (const {handler} of reg.state().wsHandlers[frame.event] || []) {
        try {
            handler(frame);
        } catch (e) {
            console.error(`devhost: plugin websocket handler for ${frame.event} threw`, e);
        }
    }
}

// ---- boot ------------------------------------------------------------------------

async function main() {
    const rootEl = document.getElementById('root');
    const root = createRoot(rootEl);
    let state;
    try {
        state = await api('GET', '/devhost/state');
    } catch (e) {
        root.render(<div className='login'><h1>Mattermost in a box</h1><p className='error-text'>{`Cannot reach the devhost: ${e.message}`}</p></div>);
        return;
    }
    if (!state.current_user_id) {
        root.render(<Login users={state.users || []}/>);
        return;
    }
    const me = await request('GET', '/api/v4/users/me');
    if (me.status === 401) {
        root.render(<Login users={state.users || []} error='Your session has ended: log in again.'/>);
        return;
    }

    // ?locale=de: the current user's language on this page (the devhost has no language setting).
    const locale = new URLSearchParams(window.location.search).get('locale');
    if (locale) {
        state.users = (state.users || []).map((u) => (u.id === state.current_user_id ? {...u, locale} : u));
    }

    const store = makeStore();
    const reg = createRegistry(PLUGIN_ID, store);
    window.devhost = {store, registry: reg, state};

    const dark = localStorage.getItem('devhost.dark') === '1';
    store.dispatch({type: T.INIT, state});
    store.dispatch({type: T.SET_THEME, dark, theme: dark ? darkTheme : lightTheme});
    applyTheme(dark ? darkTheme : lightTheme, dark);
    store.subscribe(() => {
        const d = store.getState().devhost.dark;
        if (d !== applyTheme.last) {
            applyTheme.last = d;
            applyTheme(d ? darkTheme : lightTheme, d);
        }
    });

    const channels = store.getState().entities.channels.channels;
    const wanted = new URLSearchParams(window.location.search).get('channel') || localStorage.getItem('devhost.channel');
    const start = Object.values(channels).find((c) => c.name === wanted || c.id === wanted) || defaultChannel(channels);
    const teamId = start?.team_id || state.teams?.[0]?.id || '';
    store.dispatch({type: T.SELECT_CHANNEL, channelId: start?.id || '', teamId});

    const plugin = state.plugin || {};
    if (plugin.active) {
        store.dispatch({type: T.RECEIVED_WEBAPP_PLUGIN, data: {id: PLUGIN_ID, version: plugin.version || ''}});
    }
    if (new URLSearchParams(window.location.search).get('agents') === '1') {
        registerFakeAgents(store);
    }
    const bootRef = {current: {pluginText: `plugin ${PLUGIN_ID} ${plugin.version || ''}: loading…`, pluginError: '', simURL: state.sim_url || ''}};
    const setBoot = (patch) => {
        bootRef.current = {...bootRef.current, ...patch};
        bootRef.listener?.(bootRef.current);
    };
    root.render(<Root store={store} reg={reg} bootRef={bootRef}/>);

    connectWebSocket({
        onFrame: (frame) => handleFrame(frame, store, reg),
        onStatus: (connected) => store.dispatch({type: T.WS_STATUS, connected}),
    });

    if (state.plugin && !plugin.active) {
        setBoot({pluginText: `plugin ${PLUGIN_ID}: not active`, pluginError: `The ${PLUGIN_ID} plugin is not active${plugin.error ? `: ${plugin.error}` : ''}.`});
        return;
    }
    try {
        await loadPlugin(PLUGIN_ID, `${BUNDLE_URL}${plugin.version ? `?v=${encodeURIComponent(plugin.version)}` : ''}`, reg.registry, store);
        setBoot({pluginText: `plugin ${PLUGIN_ID} ${plugin.version || ''}: active`});
        window.devhost.pluginReady = true;
    } catch (e) {
        console.error('devhost: plugin failed', e);
        setBoot({pluginText: `plugin ${PLUGIN_ID}: failed`, pluginError: `The ${PLUGIN_ID} webapp plugin failed: ${e.message}`});
        window.devhost.pluginError = e.message;
    }
}

main();
