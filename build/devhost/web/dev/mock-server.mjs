// A tiny in-memory stand-in for the Go devhost (docs/CONTRACTS.md, "Devhost HTTP
// surface"), for developing the page without Go, the plugin or the Zoom simulator.
// It fakes the plugin's server side too, roughly as SPEC.md §3–§6 describe.
//   node dev/mock-server.mjs [--port 8066]   (PORT=0 picks a free port)
//   MOCK_BUNDLE=/abs/webapp/dist/main.js     serve a real webapp bundle instead of dev/stub-plugin.js
// Prints "devhost: listening on http://127.0.0.1:<port>" like the real one.
import {randomBytes} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import {createServer} from 'node:http';
import {dirname, extname, join, normalize} from 'node:path';
import {fileURLToPath} from 'node:url';

import {WebSocketServer} from 'ws';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', 'dist');
const argPort = process.argv.indexOf('--port');
const port = Number(argPort > 0 ? process.argv[argPort + 1] : (process.env.PORT ?? 8066));
const id = () => randomBytes(13).toString('hex').slice(0, 26);

// ---- data -------------------------------------------------------------------
const team = {id: id(), name: 'test', display_name: 'Test Team', type: 'O'};
const mkUser = (username, extra = {}) => ({id: id(), username, email: `${username}@example.com`, first_name: username, roles: 'system_user', ...extra});
const alice = mkUser('alice');
const bob = mkUser('bob');
const admin = mkUser('admin', {roles: 'system_admin system_user'});
const bot = mkUser('zoom', {is_bot: true, first_name: 'Zoom'});
const users = [alice, bob, admin, bot];
const mkChannel = (name, type, display) => ({id: id(), team_id: type === 'D' ? '' : team.id, name, display_name: display, type, header: ''});
const channels = [
    mkChannel('town-square', 'O', 'Town Square'),
    mkChannel('design', 'P', 'Design'),
    mkChannel([alice.id, bob.id].sort().join('__'), 'D', ''),
];
channels[1].header = 'Private: meetings allowed';
const posts = new Map();
const sessions = new Map(); // token -> user id
const connected = new Set(); // user ids connected to "Zoom"
const pmi = new Map(); // user id -> 'true' | 'false'
const pending = new Map(); // oauth state -> {userId, channelId, rootId, topic, connectionId}
const meetings = []; // {id, uuid, topic, status, join_url, post_id}
const files = new Map(); // id -> {name, text}
let ephemeralActions = new Map(); // post id -> post (the mock keeps ephemerals for actions)

// ---- websocket --------------------------------------------------------------
const wss = new WebSocketServer({noServer: true});
const sockets = new Set(); // {ws, userId, connectionId}
let seq = 0;
function send(frame, {userId, connectionId, channelId} = {}) {
    for (const s of sockets) {
        if (connectionId && s.connectionId !== connectionId) {
            continue;
        }
        if (userId && s.userId !== userId) {
            continue;
        }
        if (channelId) {
            const c = channels.find((x) => x.id === channelId);
            if (c?.type === 'D' && !c.name.includes(s.userId)) {
                continue;
            }
        }
        s.ws.send(JSON.stringify({...frame, broadcast: {user_id: userId || '', channel_id: channelId || '', connection_id: connectionId || ''}, seq: s.seq++}));
    }
    seq++;
}
const postFrame = (event, post) => ({event, data: {post: JSON.stringify(post)}});

function createPost(p) {
    const post = {id: id(), create_at: Date.now(), update_at: Date.now(), edit_at: 0, delete_at: 0, root_id: '', message: '', type: '', props: {}, ...p};
    posts.set(post.id, post);
    send(postFrame('posted', post), {channelId: post.channel_id});
    return post;
}
function updatePost(post) {
    post.update_at = Date.now();
    post.edit_at = Date.now();
    send(postFrame('post_edited', post), {channelId: post.channel_id});
}
function ephemeral(userId, channelId, message, extra = {}) {
    const post = {id: id(), create_at: Date.now(), user_id: bot.id, channel_id: channelId, root_id: '', message, type: 'system_ephemeral', props: {}, ...extra};
    for (const att of post.props.attachments || []) {
        for (const a of att.actions || []) {
            a.id ||= id().slice(0, 10);
        }
    }
    ephemeralActions.set(post.id, post);
    send(postFrame('ephemeral_message', post), {userId});
    return post;
}

// ---- the plugin's behaviour, faked ----------------------------------------------
const site = () => `http://127.0.0.1:${server.address().port}`;
function startMeeting(userId, {channel_id: channelId, root_id: rootId = '', topic = '', connection_id: connectionId = ''}, force) {
    const channel = channels.find((c) => c.id === channelId);
    if (!channel) {
        return {status: 404, body: {error: 'channel not found'}};
    }
    if (channel.type === 'O') {
        return {status: 403, body: {error: 'Zoom meetings are disabled in public channels. Ask a system admin, or use a private channel.'}};
    }
    if (!connected.has(userId)) {
        const state = id().slice(0, 15);
        pending.set(state, {userId, channelId, rootId, topic, connectionId});
        ephemeral(userId, channelId, `To start a meeting, [connect your Zoom account](${site()}/plugins/zoom/oauth2/connect?state=${state}).`, {root_id: rootId});
        return {status: 200, body: {meeting_url: ''}};
    }
    if (!pmi.has(userId)) {
        const ctx = (action) => ({action, userID: userId, channelID: channelId, rootID: rootId});
        ephemeral(userId, channelId, '', {root_id: rootId, props: {attachments: [{
            pretext: 'Which meeting ID would you like to use?',
            text: 'You can change this later with `/zoom settings`.',
            actions: [
                {name: 'USE PERSONAL MEETING ID', type: 'button', integration: {url: '/plugins/zoom/api/v1/askPMI', context: ctx('USE PERSONAL MEETING ID')}},
                {name: 'USE A UNIQUE MEETING ID', type: 'button', integration: {url: '/plugins/zoom/api/v1/askPMI', context: ctx('USE A UNIQUE MEETING ID')}},
            ],
        }]}});
        return {status: 200, body: {meeting_url: ''}};
    }
    const recent = [...posts.values()].find((p) => p.channel_id === channelId && p.type === 'custom_zoom' && p.props.meeting_status === 'STARTED' && Date.now() - p.create_at < 30000);
    if (recent && !force) {
        ephemeral(userId, channelId, '', {type: 'custom_zoom', props: {...recent.props, meeting_status: 'RECENTLY_CREATED'}, root_id: rootId});
        return {status: 200, body: {meeting_url: ''}};
    }
    const user = users.find((u) => u.id === userId);
    const personal = pmi.get(userId) === 'true';
    const m = {id: personal ? 4155551234 : 80000000000 + meetings.length + 1, uuid: `${id().slice(0, 22)}==`, topic: topic || 'Zoom Meeting', status: 'waiting'}; // as zoomsim: started once the host joins
    m.join_url = `${site()}/j/${m.id}`;
    const post = createPost({
        user_id: userId, channel_id: channelId, root_id: rootId, type: 'custom_zoom', message: `I have started a meeting`,
        props: {
            meeting_id: m.id, meeting_uuid: m.uuid, meeting_link: m.join_url, meeting_status: 'STARTED', meeting_personal: personal,
            meeting_topic: m.topic, meeting_creator_username: user.username, meeting_provider: 'Zoom', meeting_start_time: Date.now(), from_plugin: true,
            attachments: [{pretext: `Meeting started by ${user.username}`, title: m.topic, text: `Meeting ID: [${m.id}](${m.join_url})`}],
        },
    });
    m.post_id = post.id;
    meetings.push(m);
    send({event: 'custom_zoom_meeting_started', data: {meeting_url: m.join_url}}, connectionId ? {connectionId} : {userId});
    return {status: 200, body: {meeting_url: m.join_url}};
}

function command(userId, {command: text, channel_id: channelId, root_id: rootId}) {
    const [, sub = 'help', ...rest] = text.trim().split(/\s+/);
    switch (sub) {
    case 'start':
        startMeeting(userId, {channel_id: channelId, root_id: rootId, topic: rest.join(' ')});
        break;
    case 'connect':
        ephemeral(userId, channelId, connected.has(userId) ? 'You are already connected to Zoom.' : `[Connect your Zoom account](${site()}/plugins/zoom/oauth2/connect?state=${(() => {
            const s = id().slice(0, 15);
            pending.set(s, {userId, connectOnly: true});
            return s;
        })()})`);
        break;
    case 'disconnect':
        connected.delete(userId);
        ephemeral(userId, channelId, 'Zoom account disconnected.');
        break;
    case 'settings':
        ephemeral(userId, channelId, '', {props: {attachments: [{
            title: 'Use your Personal Meeting ID?',
            fields: [{title: 'Current', value: pmi.get(userId) ?? 'Ask', short: true}],
            actions: ['Yes', 'No', 'Ask'].map((a) => ({name: a, type: 'button', integration: {url: '/plugins/zoom/api/v1/updatePMI', context: {action: a}}})),
        }]}});
        break;
    case 'channel-settings':
        if (rest[0] === 'list') {
            ephemeral(userId, channelId, '#### Channel preferences\n| Channel | Preference |\n|---|---|\n| ~design | allow |\n\nDefault: **restrict** in public channels.');
            break;
        }
        send({event: 'open_dialog', data: {dialog: JSON.stringify({trigger_id: id(), url: '/plugins/zoom/api/v1/channel-preference', dialog: {
            callback_id: channelId, title: 'Zoom channel preferences', introduction_text: 'Who may start Zoom meetings in **this channel**?',
            elements: [
                {display_name: 'Preference', name: 'preference', type: 'radio', default: 'default', options: [
                    {text: 'Allow meetings', value: 'allow'}, {text: 'Restrict meetings', value: 'restrict'}, {text: 'Plugin default', value: 'default'}]},
                {display_name: 'Note', name: 'note', type: 'text', optional: true, placeholder: 'optional'},
                {display_name: 'Applies to', name: 'scope', type: 'select', options: [{text: 'This channel', value: 'channel'}]},
            ],
            submit_label: 'Save', notify_on_cancel: false, state: 'x',
        }})}}, {userId});
        break;
    default:
        ephemeral(userId, channelId, '###### Zoom\n* `/zoom start [topic]` start a meeting\n* `/zoom connect` connect your Zoom account\n* `/zoom settings` meeting ID preference\n* `/zoom channel-settings` (admins)');
    }
    return {};
}

// ---- HTTP -----------------------------------------------------------------------
const TYPES = {'.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html; charset=utf-8', '.map': 'application/json', '.svg': 'image/svg+xml'};
const ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="6" fill="#0b5cff"/><path fill="#fff" d="M5 8h8a2 2 0 0 1 2 2v5H7a2 2 0 0 1-2-2zm11 2 3-2v8l-3-2z"/></svg>';

function cookies(req) {
    return Object.fromEntries((req.headers.cookie || '').split(';').map((c) => c.trim().split('=')).filter((kv) => kv[0]));
}
const userOf = (req) => sessions.get(cookies(req).MMAUTHTOKEN) || '';
function json(res, status, body) {
    res.writeHead(status, {'Content-Type': 'application/json'});
    res.end(body === undefined ? '' : JSON.stringify(body));
}
async function body(req) {
    const chunks = [];
    for await (const c of req) {
        chunks.push(c);
    }
    const text = Buffer.concat(chunks).toString();
    return text ? JSON.parse(text) : {};
}
function html(res, title, inner) {
    res.writeHead(200, {'Content-Type': 'text/html; charset=utf-8'});
    res.end(`<!DOCTYPE html><html><head><title>${title}</title><style>body{font-family:sans-serif;margin:40px}a.user{display:block;margin:8px 0;font-size:18px}</style></head><body>${inner}</body></html>`);
}
async function serveFile(res, path, type) {
    try {
        const data = await readFile(path);
        res.writeHead(200, {'Content-Type': type || TYPES[extname(path)] || 'application/octet-stream', 'Cache-Control': 'no-store'});
        res.end(data);
    } catch {
        json(res, 404, {message: 'not found'});
    }
}

async function route(req, res) {
    const url = new URL(req.url, 'http://x');
    const p = url.pathname;
    const me = userOf(req);
    const mutating = req.method !== 'GET';
    // As the real server: cookie auth on non-GET needs the CSRF token or X-Requested-With.
    const csrfOK = !mutating || req.headers['x-csrf-token'] === cookies(req).MMCSRF || req.headers['x-requested-with'] === 'XMLHttpRequest';
    let m;

    if (p === '/') {
        return serveFile(res, join(dist, 'index.html'));
    }
    if (p.startsWith('/devhost/static/')) {
        return serveFile(res, join(dist, normalize(p.slice('/devhost/static/'.length)).replace(/^(\.\.[/\\])+/, '')));
    }
    if (p === '/static/plugins/zoom/main.js') {
        return serveFile(res, process.env.MOCK_BUNDLE || join(here, 'stub-plugin.js'), 'text/javascript');
    }
    if (p.startsWith('/plugins/zoom/public/')) {
        res.writeHead(200, {'Content-Type': 'image/svg+xml'});
        return res.end(ICON);
    }
    if (p === '/devhost/state') {
        return json(res, 200, {site_url: site(), current_user_id: me, users, teams: [team], channels,
            plugin: {id: 'zoom', version: '0.0.0-mock', active: true, error: ''}, sim_url: `${site()}/mock-zoom/`});
    }
    if (p === '/devhost/login' && req.method === 'POST') {
        const {user_id: uid} = await body(req);
        if (!users.some((u) => u.id === uid)) {
            return json(res, 400, {message: 'unknown user'});
        }
        const token = id();
        sessions.set(token, uid);
        res.writeHead(204, {'Set-Cookie': [`MMAUTHTOKEN=${token}; Path=/; HttpOnly`, `MMUSERID=${uid}; Path=/`, `MMCSRF=${id()}; Path=/`]});
        return res.end();
    }
    if (p === '/devhost/meetings') {
        return json(res, 200, meetings.map(({id: mid, uuid, topic, status, join_url: j}) => ({id: mid, uuid, topic, status, join_url: j})));
    }
    if ((m = /^\/devhost\/sim\/(\w+)$/.exec(p)) && req.method === 'POST') {
        const b = await body(req);
        if (m[1] === 'deauthorize') {
            connected.delete(b.user_id);
            const dm = channels.find((c) => c.type === 'D' && c.name.includes(b.user_id));
            if (dm) {
                createPost({user_id: bot.id, channel_id: dm.id, message: 'Your Zoom account was deauthorized. Connect again to start meetings.'});
            }
            return json(res, 200, {status: 200, body: ''});
        }
        const mt = meetings.find((x) => x.id === b.meeting_id);
        if (!mt) {
            return json(res, 200, {status: 404, body: 'meeting not found'});
        }
        const card = posts.get(mt.post_id);
        if (m[1] === 'start') {
            mt.status = 'started';
        } else if (m[1] === 'end') {
            if (mt.status !== 'started') {
                return json(res, 400, {id: 'devhost.bad_request', message: `zoomsim: meeting ${mt.id} is not started`, status_code: 400});
            }
            mt.status = 'waiting';
            card.message = 'The meeting has ended';
            card.props = {...card.props, meeting_status: 'ENDED', meeting_end_time: Date.now() + 7 * 60000,
                attachments: [{title: 'The meeting has ended', fields: [{title: 'Date', value: new Date().toDateString(), short: true}, {title: 'Length', value: '7 minutes', short: true}]}]};
            updatePost(card);
        } else if (m[1] === 'recording' || m[1] === 'transcript') {
            const fid = id();
            const name = m[1] === 'recording' ? 'Chat-history.txt' : 'transcript.vtt';
            files.set(fid, {name, text: m[1] === 'recording' ? '10:00:01 alice: hello\n' : 'WEBVTT\n\n00:00.000 --> 00:02.000\nalice: hello\n'});
            if (m[1] === 'recording') {
                createPost({user_id: bot.id, channel_id: card.channel_id, root_id: card.id, message: `Recording: https://zoom.example/rec/play/${mt.id}`});
            }
            createPost({user_id: bot.id, channel_id: card.channel_id, root_id: card.id, type: m[1] === 'recording' ? 'custom_zoom_chat' : 'custom_zoom_transcript',
                message: m[1] === 'recording' ? 'Here is the chat history.' : 'Here is the transcript.', file_ids: [fid],
                metadata: {files: [{id: fid, name, size: 2048}]}, props: {meeting_id: mt.id, meeting_uuid: mt.uuid}});
        }
        return json(res, 200, {status: 200, body: ''});
    }
    if (p.startsWith('/mock-zoom/oauth/authorize')) {
        const state = url.searchParams.get('state');
        return html(res, 'Zoom simulator: authorize', `<h1>Zoom simulator</h1><p>Pick the Zoom user to authorize:</p>${users.filter((u) => !u.is_bot).map((u) => `<a class="user" href="/plugins/zoom/oauth2/complete?code=${u.id}&state=${state}">${u.username}</a>`).join('')}`);
    }
    if (p.startsWith('/mock-zoom')) {
        return html(res, 'Zoom simulator', `<h1>Zoom simulator</h1><ul>${meetings.map((x) => `<li>${x.id} ${x.status}</li>`).join('')}</ul>`);
    }
    if ((m = /^\/j\/(\d+)$/.exec(p))) {
        return html(res, `Zoom meeting ${m[1]}`, `<h1>Zoom meeting ${m[1]}</h1><p>You have joined the (simulated) meeting.</p>`);
    }
    if ((m = /^\/api\/v4\/files\/(\w+)$/.exec(p))) {
        const f = files.get(m[1]);
        if (!f) {
            return json(res, 404, {message: 'no such file'});
        }
        res.writeHead(200, {'Content-Type': 'text/plain', 'Content-Disposition': `attachment; filename="${f.name}"`});
        return res.end(f.text);
    }
    if (p.startsWith('/plugins/zoom/')) {
        const sub = p.slice('/plugins/zoom'.length);
        if (sub === '/oauth2/connect') {
            res.writeHead(302, {Location: `/mock-zoom/oauth/authorize?state=${url.searchParams.get('state')}`});
            return res.end();
        }
        if (sub === '/oauth2/complete') {
            const pend = pending.get(url.searchParams.get('state'));
            if (!pend || pend.userId !== me) {
                return html(res, 'Zoom', '<p>That connect link has expired or belongs to someone else.</p>');
            }
            pending.delete(url.searchParams.get('state'));
            connected.add(me);
            if (!pend.connectOnly) {
                startMeeting(me, {channel_id: pend.channelId, root_id: pend.rootId, topic: pend.topic, connection_id: pend.connectionId});
            }
            return html(res, 'Zoom connected', '<p>Your Zoom account is connected. You can close this tab.</p><script>window.close()</script>');
        }
        if (!me || !csrfOK) {
            return json(res, 401, {error: 'Not authorized'});
        }
        if (sub === '/api/v1/meetings' && req.method === 'POST') {
            const r = startMeeting(me, await body(req), url.searchParams.get('force') === 'true');
            return json(res, r.status, r.body);
        }
        return json(res, 404, {error: 'not found'});
    }
    if (p.startsWith('/api/v4/')) {
        if (!me) {
            return json(res, 401, {message: 'Invalid or expired session, please login again.', status_code: 401});
        }
        if (!csrfOK) {
            return json(res, 401, {message: 'Token used without the X-Requested-With header or CSRF token'});
        }
        if (p === '/api/v4/users/me') {
            return json(res, 200, users.find((u) => u.id === me));
        }
        if ((m = /^\/api\/v4\/channels\/(\w+)\/posts$/.exec(p))) {
            const list = [...posts.values()].filter((x) => x.channel_id === m[1]).sort((a, b) => b.create_at - a.create_at);
            return json(res, 200, {order: list.map((x) => x.id), posts: Object.fromEntries(list.map((x) => [x.id, x])), next_post_id: '', prev_post_id: ''});
        }
        if (p === '/api/v4/commands/execute' && req.method === 'POST') {
            return json(res, 200, command(me, await body(req)));
        }
        if ((m = /^\/api\/v4\/posts\/(\w+)\/actions\/(\w+)$/.exec(p)) && req.method === 'POST') {
            const post = posts.get(m[1]) || ephemeralActions.get(m[1]);
            const action = post?.props.attachments?.flatMap((a) => a.actions || []).find((a) => a.id === m[2]);
            if (!action) {
                return json(res, 404, {message: 'unknown action'});
            }
            const ctx = action.integration.context;
            if (action.integration.url.endsWith('/askPMI')) {
                pmi.set(me, ctx.action === 'USE PERSONAL MEETING ID' ? 'true' : 'false');
                ephemeral(me, post.channel_id, `You chose: ${ctx.action.toLowerCase()}.`, {id: post.id});
                startMeeting(me, {channel_id: ctx.channelID, root_id: ctx.rootID});
            } else {
                pmi.set(me, ctx.action === 'Yes' ? 'true' : 'false');
                ephemeral(me, post.channel_id, `Saved: use your Personal Meeting ID: **${ctx.action}**.`, {id: post.id});
            }
            return json(res, 200, {status: 'OK'});
        }
        if (p === '/api/v4/actions/dialogs/submit' && req.method === 'POST') {
            const b = await body(req);
            if (b.cancelled) {
                return json(res, 200, {});
            }
            if (b.submission.preference === 'restrict' && !b.submission.note) {
                return json(res, 200, {errors: {note: 'Say why you restrict meetings.'}});
            }
            ephemeral(me, b.channel_id, `Channel preference saved: **${b.submission.preference}**.`);
            return json(res, 200, {});
        }
    }
    return json(res, 404, {message: `mock devhost: no route ${req.method} ${p}`});
}

const server = createServer((req, res) => {
    route(req, res).catch((e) => {
        console.error(e);
        json(res, 500, {message: String(e)});
    });
});
server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url, 'http://x').pathname !== '/api/v4/websocket' || !userOf(req)) {
        socket.destroy();
        return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
        const s = {ws, userId: userOf(req), connectionId: id(), seq: 0};
        sockets.add(s);
        ws.on('close', () => sockets.delete(s));
        ws.send(JSON.stringify({event: 'hello', data: {connection_id: s.connectionId, server_version: 'mock'}, broadcast: {user_id: s.userId}, seq: s.seq++}));
    });
});
server.listen(port, '127.0.0.1', () => {
    console.log(`devhost: listening on ${site()}`);
});
