// What the buttons and the websocket handler do. Kept out of components so
// the header button, the app bar and the cards share one in-flight guard.
import {RequestError, postJSON} from './client';
import {t, type MessageId} from './i18n';
import {AGENTS_PLUGIN_ID, getAgentsTranscriptHandler, getConnectionId, getCurrentChannelId, getCurrentUserId, getLocale, getOpenThread, getSiteURL} from './selectors';
import type {Channel, Post, Store} from './types';

// ---- in-flight guard: one meeting request per channel at a time ----------

const inFlight = new Set<string>();
const listeners = new Set<() => void>();

function setBusy(key: string, busy: boolean) {
    if (busy) {
        inFlight.add(key);
    } else {
        inFlight.delete(key);
    }
    listeners.forEach((l) => l());
}

export const isBusy = (key: string): boolean => inFlight.has(key);
/** Some meeting request is in flight (AI requests use keys starting with "ai:"). */
export const isAnyMeetingBusy = (): boolean => [...inFlight].some((k) => !k.startsWith('ai:'));
export function subscribeBusy(listener: () => void): () => void {
    listeners.add(listener);
    return () => {
        listeners.delete(listener);
    };
}

// ---- errors as ephemeral system messages -----------------------------------

function newId(): string {
    const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
    const bytes = new Uint8Array(26);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => chars[b % 36]).join('');
}

/** Shows `message` to the current user only, in the channel (and thread). */
export function showEphemeral(store: Store, channelId: string, rootId: string, message: string) {
    const now = Date.now();
    const post: Post = {
        id: newId(),
        create_at: now,
        update_at: now,
        edit_at: 0,
        delete_at: 0,
        is_pinned: false,
        user_id: getCurrentUserId(store.getState()),
        channel_id: channelId,
        root_id: rootId,
        original_id: '',
        type: 'system_ephemeral',
        message,
        props: {},
        hashtags: '',
        pending_post_id: '',
        reply_count: 0,
        metadata: {embeds: [], emojis: [], files: [], images: {}},
    };
    store.dispatch({type: 'RECEIVED_NEW_POST', data: post});
}

/** The reason to give for a failed request, in the user's words. */
function reasonFor(err: unknown, locale: string): string {
    if (err instanceof RequestError) {
        if (err.detail) {
            return err.detail;
        }
        return err.status ? t('zoom.error.status', {status: err.status}, locale) : t('zoom.error.network', {}, locale);
    }
    // Mattermost's client errors (thrown by other plugins' handlers) carry status_code.
    const status = (err as {status_code?: unknown} | null)?.status_code;
    if (typeof status === 'number' && status > 0) {
        return t('zoom.error.status', {status}, locale);
    }
    return t('zoom.error.unexpected', {}, locale);
}

function explain(store: Store, err: unknown, id: MessageId, channelId: string, rootId: string) {
    const locale = getLocale(store.getState());
    showEphemeral(store, channelId, rootId, t(id, {error: reasonFor(err, locale)}, locale));
}

// ---- starting meetings -----------------------------------------------------

export interface StartRequest {
    channelId: string;
    rootId?: string;
}

/**
 * Asks the server for a meeting. The server opens it in this browser through
 * the `custom_zoom_meeting_started` websocket event (to this connection), so
 * the answer's URL is not opened here a second time. Resolves to true when the
 * server accepted; a second call for a channel already in flight is ignored.
 */
export async function startMeeting(store: Store, req: StartRequest): Promise<boolean> {
    const {channelId, rootId = ''} = req;
    if (!channelId || isBusy(channelId)) {
        return false;
    }
    setBusy(channelId, true);
    try {
        const state = store.getState();
        await postJSON(`${getSiteURL(state)}/plugins/zoom/api/v1/meetings`, {
            channel_id: channelId,
            root_id: rootId,
            topic: '',
            use_pmi: '',
            connection_id: getConnectionId(state),
        });
        return true;
    } catch (err) {
        explain(store, err, 'zoom.error.start', channelId, rootId);
        return false;
    } finally {
        setBusy(channelId, false);
    }
}

/** Channel header button and Mattermost's Call button: the channel they were clicked in. */
export function startFromHeader(store: Store, channel?: Pick<Channel, 'id'>): Promise<boolean> {
    return startMeeting(store, {channelId: channel?.id || getCurrentChannelId(store.getState())});
}

/**
 * App bar icon: the channel in view; with none, the thread open in the
 * right-hand side (its channel, as a reply to its root).
 */
export function startFromAppBar(store: Store, channel?: Pick<Channel, 'id'>): Promise<boolean> {
    if (channel?.id) {
        return startMeeting(store, {channelId: channel.id});
    }
    const state = store.getState();
    const thread = getOpenThread(state);
    if (thread) {
        return startMeeting(store, thread);
    }
    return startMeeting(store, {channelId: getCurrentChannelId(state)});
}

// ---- the Agents plugin -----------------------------------------------------

// The Agents plugin's thread analysis accepts summarize_thread, action_items
// and open_questions; any other type is refused with 400.
export const AI_ANALYSIS_TYPE = 'summarize_thread';

/** How a summary request went: handed to the Agents plugin's webapp, sent to its server, or failed. */
export type SummaryOutcome = 'handed-off' | 'requested' | 'failed';

/**
 * Asks the Agents plugin to summarize a transcript or chat post. Its webapp's own
 * hand-off comes first (it opens the Agents plugin's right-hand side, as it does
 * for Mattermost Calls); its REST route only when the handler is missing. Any
 * failure, of either, is shown in the thread and never left in the console.
 */
export async function summarizeWithAI(store: Store, post: Post): Promise<SummaryOutcome> {
    const key = `ai:${post.id}`;
    if (isBusy(key)) {
        return 'failed';
    }
    setBusy(key, true);
    try {
        const handOff = getAgentsTranscriptHandler(store.getState());
        if (handOff) {
            await handOff(post);
            return 'handed-off';
        }
        const url = `${getSiteURL(store.getState())}/plugins/${AGENTS_PLUGIN_ID}/post/${encodeURIComponent(post.id)}/analyze`;
        await postJSON(url, {analysis_type: AI_ANALYSIS_TYPE});
        return 'requested';
    } catch (err) {
        explain(store, err, 'zoom.error.summarize', post.channel_id, post.root_id || '');
        return 'failed';
    } finally {
        setBusy(key, false);
    }
}

// ---- websocket ---------------------------------------------------------------

/** True for absolute http(s) URLs only (never javascript:, data:…). */
export function isWebURL(url: unknown): url is string {
    if (typeof url !== 'string') {
        return false;
    }
    try {
        const {protocol} = new URL(url);
        return protocol === 'https:' || protocol === 'http:';
    } catch {
        return false;
    }
}

/** `custom_zoom_meeting_started`: open the meeting in a new tab. */
export function handleMeetingStarted(msg: {data?: {meeting_url?: unknown}}) {
    const url = msg?.data?.meeting_url;
    if (isWebURL(url)) {
        window.open(url, '_blank', 'noopener');
    }
}
