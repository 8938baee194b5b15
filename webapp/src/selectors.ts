// Readers for the host's Redux state (docs/CONTRACTS.md lists what we may read).
import type {Post, State} from './types';

/** The Agents (AI) plugin's id, as Mattermost keys its webapp plugins and their state. */
export const AGENTS_PLUGIN_ID = 'mattermost-ai';

export function getSiteURL(state: State): string {
    const url: unknown = state?.entities?.general?.config?.SiteURL;
    return (typeof url === 'string' && url ? url : window.location.origin).replace(/\/+$/, '');
}

export const getCurrentChannelId = (state: State): string => state?.entities?.channels?.currentChannelId || '';
export const getCurrentTeamId = (state: State): string => state?.entities?.teams?.currentTeamId || '';
export const getCurrentUserId = (state: State): string => state?.entities?.users?.currentUserId || '';
export const getConnectionId = (state: State): string => state?.websocket?.connectionId || '';
export const isAgentsInstalled = (state: State): boolean => Boolean(state?.plugins?.plugins?.[AGENTS_PLUGIN_ID]);

/** True when the channel in view is a direct or group message. */
export function isDirectOrGroupChannel(state: State): boolean {
    const type = state?.entities?.channels?.channels?.[getCurrentChannelId(state)]?.type;
    return type === 'D' || type === 'G';
}

export type TranscriptHandler = (post: Post) => unknown;

/**
 * The Agents plugin's own hand-off for a transcript post (what Mattermost Calls uses):
 * it asks for the summary and opens the Agents plugin's right-hand side on it.
 * Null when the Agents plugin is absent or too old to offer it.
 */
export function getAgentsTranscriptHandler(state: State): TranscriptHandler | null {
    const handler = state?.[`plugins-${AGENTS_PLUGIN_ID}`]?.callsPostButtonClickedTranscription;
    return typeof handler === 'function' ? (handler as TranscriptHandler) : null;
}

/** The current user's locale when the host has loaded their profile (else English). */
export function getLocale(state: State): string {
    return state?.entities?.users?.profiles?.[getCurrentUserId(state)]?.locale || 'en';
}

/** The thread open in the right-hand side, as the channel and root post to start a meeting in. */
export function getOpenThread(state: State): {channelId: string; rootId: string} | null {
    const rhs = state?.views?.rhs;
    let postId: string = rhs?.selectedPostId || '';
    let channelId: string = rhs?.selectedChannelId || '';
    if (!postId) {
        postId = state?.views?.threads?.selectedThreadIdInTeam?.[getCurrentTeamId(state)] || '';
    }
    if (!postId) {
        return null;
    }
    const post = state?.entities?.posts?.posts?.[postId];
    channelId = post?.channel_id || channelId;
    return channelId ? {channelId, rootId: post?.root_id || postId} : null;
}
