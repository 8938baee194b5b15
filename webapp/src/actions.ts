// What the buttons and the websocket handler do. Kept out of components so
// the header button, the app bar and the cards share one in-flight guard.
import {RequestError, postJSON} from './client';
import {t, type MessageId} from './i18n';
import {getConnectionId, getCurrentChannelId, getCurrentUserId, getLocale, getOpenThread, getSiteURL} from './selectors';
import type {Channel, Store} from './types';

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
    store.dispatch({
        type: 'RECEIVED_NEW_POST',
        data: {
            id: newId(),
            create_at: now,
            update_at: now,
            edit_at: 0,
            delete_at: 0,
            user_id: getCurrentUserId(store.getState()),
            channel_id: channelId,
            root_id: rootId,
            type: 'system_ephemeral',
            message,
            props: {},
        },
    });
}

function explain(store: Store, err: unknown, id: MessageId, channelId: string, rootId: string) {
    const locale = getLocale(store.getState());
    let reason: string;
    if (err instanceof RequestError && err.detail) {
        reason = err.detail;
    } else if (err instanceof RequestError && err.status) {
        reason = t('zoom.error.status', {status: err.status}, locale);
    } else {
        reason = t('zoom.error.network', {}, locale);
    }
    showEphemeral(store, channelId, rootId, t(id, {error: reason}, locale));
}

// ---- starting meetings -----------------------------------------------------

export interface StartRequest {
    channelId: string;
    rootId?: string;
    topic?: string;
    force?: boolean;
}

/**
 * Asks the server for a meeting. The server opens it in this browser through
 * the `custom_zoom_meeting_started` websocket event (to this connection), so
 * the answer's URL is not opened here a second time. Resolves to true when the
 * server accepted; a second call for a channel already in flight is ignored.
 */
export async function startMeeting(store: Store, req: StartRequest): Promise<boolean> {
    const {channelId, rootId = '', topic = '', force = false} = req;
    if (!channelId || isBusy(channelId)) {
        return false;
    }
    setBusy(channelId, true);
    try {
        const state = store.getState();
        await postJSON(`${getSiteURL(state)}/plugins/zoom/api/v1/meetings${force ? '?force=true' : ''}`, {
            channel_id: channelId,
            root_id: rootId,
            topic,
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

/** Channel header button: the channel in view. */
export function startFromHeader(store: Store, channel?: Channel): Promise<boolean> {
    return startMeeting(store, {channelId: channel?.id || getCurrentChannelId(store.getState())});
}

/**
 * App bar icon: the channel in view; with none, the thread open in the
 * right-hand side (its channel, as a reply to its root).
 */
export function startFromAppBar(store: Store, channel?: Channel): Promise<boolean> {
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

/** Asks the Agents (mattermost-ai) plugin to summarize a post's thread. */
export async function summarizeWithAI(store: Store, post: {id: string; channel_id: string; root_id?: string}): Promise<boolean> {
    const key = `ai:${post.id}`;
    if (isBusy(key)) {
        return false;
    }
    setBusy(key, true);
    try {
        const url = `${getSiteURL(store.getState())}/plugins/mattermost-ai/post/${encodeURIComponent(post.id)}/analyze`;
        await postJSON(url, {analysis_type: AI_ANALYSIS_TYPE});
        return true;
    } catch (err) {
        explain(store, err, 'zoom.error.summarize', post.channel_id, post.root_id || '');
        return false;
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
