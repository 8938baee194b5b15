// Readers for the host's Redux state (docs/CONTRACTS.md lists what we may read).
import type {State} from './types';

export function getSiteURL(state: State): string {
    const url: unknown = state?.entities?.general?.config?.SiteURL;
    return (typeof url === 'string' && url ? url : window.location.origin).replace(/\/+$/, '');
}

export const getCurrentChannelId = (state: State): string => state?.entities?.channels?.currentChannelId || '';
export const getCurrentTeamId = (state: State): string => state?.entities?.teams?.currentTeamId || '';
export const getCurrentUserId = (state: State): string => state?.entities?.users?.currentUserId || '';
export const getConnectionId = (state: State): string => state?.websocket?.connectionId || '';
export const isAgentsInstalled = (state: State): boolean => Boolean(state?.plugins?.plugins?.['mattermost-ai']);

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
