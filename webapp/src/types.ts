// The slices of Mattermost objects this plugin reads. Everything is optional:
// the host page may be the real webapp or a small fake of it.

export interface Post {
    id: string;
    channel_id: string;
    root_id?: string;
    user_id?: string;
    create_at?: number;
    type?: string;
    message?: string;
    props?: Record<string, unknown>;
}

export interface Channel {
    id: string;
    team_id?: string;
    type?: string;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export type State = any;

export interface Store {
    getState(): State;
    dispatch(action: any): any;
    subscribe?(listener: () => void): () => void;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface PostProps {
    post: Post;
    theme?: Record<string, string>;
}
