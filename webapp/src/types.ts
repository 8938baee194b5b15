// Mattermost's own types (@mattermost/types, imported as types only, so nothing of
// it reaches the bundle), plus the few parts of the webapp's state that package
// does not describe. The host page may be the real webapp or a small fake of it,
// so every read of the state is optional.
import type {Channel, ChannelMembership} from '@mattermost/types/channels';
import type {Post} from '@mattermost/types/posts';
import type {GlobalState} from '@mattermost/types/store';

export type {Channel, ChannelMembership, Post};

/** The Agents plugin's webapp state, kept by the host under `plugins-mattermost-ai`. */
export interface AgentsPluginState {
    /** Opens the Agents plugin's right-hand side on a summary of a transcript post. */
    callsPostButtonClickedTranscription?: unknown;
}

/** State the Mattermost webapp keeps beside mattermost-redux's (not in @mattermost/types). */
interface WebappState {
    plugins: {plugins: Record<string, {id: string; version?: string}>};
    views: {
        rhs: {selectedPostId: string; selectedChannelId: string};
        threads: {selectedThreadIdInTeam: Record<string, string>};
    };
    'plugins-mattermost-ai': AgentsPluginState;
}

type DeepPartial<T> = T extends (...args: never[]) => unknown ? T : T extends object ? {[K in keyof T]?: DeepPartial<T[K]>} : T;

export type State = DeepPartial<GlobalState & WebappState>;

/** The host's Redux store, as far as the plugin uses it. */
export interface Store {
    getState(): State;
    dispatch(action: {type: string; data?: unknown}): unknown;
    subscribe?(listener: () => void): () => void;
}

/** Props the host gives a post type component (it passes more; these are what we read). */
export interface PostProps {
    post: Post;
}
