// The post list: plugin post types render with the plugin's component (props `post`,
// `theme`), everything else as username + message + Slack-style attachments (with
// working action buttons) + file links. Replies sit under their root, indented.
import React, {useEffect, useRef, useState} from 'react';
import {useDispatch, useSelector, useStore} from 'react-redux';

import {api} from './api';
import {CommandBox} from './commandbox';
import {PluginBoundary, useRegistry, useTheme} from './hooks';
import {Markdown} from './markdown';
import {T, isEphemeral, localEphemeral} from './store';

// Roots in time order, each followed by its replies; a reply whose root is not loaded
// stands alone (still marked as a reply).
export function threadedOrder(posts) {
    const byTime = [...posts].sort((a, b) => (a.create_at || 0) - (b.create_at || 0));
    const ids = new Set(byTime.map((p) => p.id));
    const replies = {};
    for (const p of byTime) {
        if (p.root_id && ids.has(p.root_id)) {
            (replies[p.root_id] ||= []).push(p);
        }
    }
    const out = [];
    for (const p of byTime) {
        if (p.root_id && ids.has(p.root_id)) {
            continue;
        }
        out.push({post: p, reply: Boolean(p.root_id)});
        for (const r of replies[p.id] || []) {
            out.push({post: r, reply: true});
        }
    }
    return out;
}

const SLACK_COLORS = {good: '#2eb886', warning: '#daa038', danger: '#a30200'};

function formatTime(ms) {
    if (!ms) {
        return '';
    }
    const d = new Date(ms);
    return d.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'});
}

function ActionButton({post, action}) {
    const dispatch = useDispatch();
    const store = useStore();
    const [busy, setBusy] = useState(false);

    // The server answers {status, trigger_id}; what the integration changed arrives over
    // the websocket (post_edited / post_deleted, ephemeral_message), as in Mattermost.
    const run = async (selected) => {
        setBusy(true);
        try {
            await api('POST', `/api/v4/posts/${post.id}/actions/${encodeURIComponent(action.id)}`,
                {selected_option: selected || '', cookie: action.cookie || ''});
        } catch (e) {
            dispatch({type: T.RECEIVED_NEW_POST, data: localEphemeral(store.getState(), post.channel_id, `Action "${action.name}" failed: ${e.message}`, post.root_id)});
        } finally {
            setBusy(false);
        }
    };

    if (action.type === 'select') {
        return (
            <select aria-label={action.name} disabled={busy} defaultValue='' onChange={(e) => run(e.target.value)}>
                <option value='' disabled>{action.name}</option>
                {(action.options || []).map((o) => <option key={o.value} value={o.value}>{o.text}</option>)}
            </select>
        );
    }
    const style = ['primary', 'danger', 'success', 'good', 'warning'].includes(action.style) ? action.style : 'default';
    return (
        <button className={`btn btn--${style}`} disabled={busy || action.disabled} onClick={() => run('')}>
            {action.name}
        </button>
    );
}

function Attachment({post, att}) {
    const color = SLACK_COLORS[att.color] || att.color || 'rgba(var(--center-channel-color-rgb), 0.24)';
    return (
        <div className='attachment' style={{borderLeftColor: color}} data-testid='attachment'>
            {att.pretext && <Markdown text={att.pretext}/>}
            {att.author_name && <div className='attachment__author'>{att.author_name}</div>}
            {att.title && (
                <div className='attachment__title'>
                    {att.title_link ? <a href={att.title_link} target='_blank' rel='noopener noreferrer'>{att.title}</a> : att.title}
                </div>
            )}
            <Markdown text={att.text}/>
            {Array.isArray(att.fields) && att.fields.length > 0 && (
                <div className='attachment__fields'>
                    {att.fields.map((f, i) => (
                        <div key={i} className={f.short ? 'field field--short' : 'field'}>
                            {f.title && <div className='field__title'>{f.title}</div>}
                            <Markdown text={f.value === undefined || f.value === null ? '' : String(f.value)}/>
                        </div>
                    ))}
                </div>
            )}
            {att.image_url && <img className='attachment__image' src={att.image_url} alt=''/>}
            {Array.isArray(att.actions) && att.actions.length > 0 && (
                <div className='attachment__actions'>
                    {att.actions.map((a, i) => <ActionButton key={a.id || i} post={post} action={a}/>)}
                </div>
            )}
            {att.footer && <div className='attachment__footer'>{att.footer}</div>}
        </div>
    );
}

const FileIcon = () => (
    <svg className='file__icon' width='14' height='14' viewBox='0 0 24 24' aria-hidden='true'>
        <path fill='currentColor' d='M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8zm4 18H6V4h7v5h5z'/>
    </svg>
);

function Files({post}) {
    const ids = post.file_ids || [];
    if (!ids.length) {
        return null;
    }
    const infos = post.metadata?.files || [];
    return (
        <div className='files'>
            {ids.map((id) => {
                const info = infos.find((f) => f.id === id);
                return (
                    <a key={id} className='file' data-testid='file-link' href={`/api/v4/files/${id}?download=1`} target='_blank' rel='noopener noreferrer'>
                        <FileIcon/>{info?.name || `file ${id}`}
                        {info?.size ? <span className='muted'>{` (${Math.ceil(info.size / 1024)} KB)`}</span> : null}
                    </a>
                );
            })}
        </div>
    );
}

export function Post({post, reply, inThread, replyCount}) {
    const dispatch = useDispatch();
    const theme = useTheme();
    const {postTypes} = useRegistry();
    const user = useSelector((s) => s.entities.users.profiles[post.user_id]);
    const me = useSelector((s) => s.entities.users.currentUserId);
    const teamId = useSelector((s) => s.entities.teams.currentTeamId);
    const deleted = post.state === 'DELETED';
    const ephemeral = isEphemeral(post) || deleted;
    const custom = postTypes[post.type];
    const system = post.type === 'system_ephemeral' && post.user_id === me && !post.props?.override_username;
    const name = system ? 'System' : (post.props?.override_username || user?.username || (post.user_id ? post.user_id.slice(0, 8) : 'system'));
    const bot = Boolean(user?.is_bot) || post.props?.from_bot === 'true';
    const attachments = Array.isArray(post.props?.attachments) ? post.props.attachments : [];
    const openThread = () => dispatch({type: T.SELECT_THREAD, postId: post.root_id || post.id, channelId: post.channel_id, teamId});

    return (
        <div
            className={`post${ephemeral ? ' post--ephemeral' : ''}${reply && !inThread ? ' post--reply' : ''}`}
            data-testid='post'
            data-post-id={post.id}
            data-post-type={post.type || ''}
            data-root-id={post.root_id || ''}
        >
            <div className='post__avatar' aria-hidden='true'>{name.slice(0, 1).toUpperCase()}</div>
            <div className='post__content'>
                <div className='post__header'>
                    <span className='post__user'>{name}</span>
                    {bot && <span className='tag'>BOT</span>}
                    <time className='post__time' dateTime={new Date(post.create_at || 0).toISOString()}>{formatTime(post.create_at)}</time>
                    {ephemeral && <span className='post__only-you'>(Only visible to you)</span>}
                    {post.edit_at > 0 && <span className='post__only-you'>(edited)</span>}
                    {!inThread && !ephemeral && (
                        <button className='link-btn post__reply' onClick={openThread} aria-label='Reply in thread'>
                            {replyCount ? `${replyCount} ${replyCount === 1 ? 'reply' : 'replies'}` : 'Reply'}
                        </button>
                    )}
                </div>
                {deleted && <p className='muted' data-testid='post-deleted'>(message deleted)</p>}
                {!deleted && (custom ? (
                    <PluginBoundary name={post.type}>
                        {React.createElement(custom.component, {post, theme, isRHS: Boolean(inThread), compactDisplay: false})}
                    </PluginBoundary>
                ) : (
                    <>
                        <Markdown text={post.message}/>
                        {attachments.map((att, i) => <Attachment key={i} post={post} att={att}/>)}
                    </>
                ))}
                <Files post={post}/>
            </div>
        </div>
    );
}

export function PostList({channelId}) {
    const all = useSelector((s) => s.entities.posts.posts);
    const posts = Object.values(all).filter((p) => p.channel_id === channelId && !p.delete_at);
    const items = threadedOrder(posts);
    const replyCounts = {};
    for (const p of posts) {
        if (p.root_id) {
            replyCounts[p.root_id] = (replyCounts[p.root_id] || 0) + 1;
        }
    }
    const bottom = useRef(null);
    const count = posts.length;
    const lastEdit = posts.reduce((m, p) => Math.max(m, p.update_at || p.edit_at || p.create_at || 0), 0);
    useEffect(() => {
        bottom.current?.scrollIntoView({block: 'end'});
    }, [count, lastEdit, channelId]);

    return (
        <div className='post-list' data-testid='post-list'>
            {items.length === 0 && <p className='muted empty'>No messages yet.</p>}
            {items.map(({post, reply}) => <Post key={post.id} post={post} reply={reply} replyCount={replyCounts[post.id]}/>)}
            <div ref={bottom}/>
        </div>
    );
}

export function ThreadPanel() {
    const dispatch = useDispatch();
    const rootId = useSelector((s) => s.views.rhs.selectedPostId);
    const all = useSelector((s) => s.entities.posts.posts);
    const root = all[rootId];
    const replies = Object.values(all).filter((p) => p.root_id === rootId).sort((a, b) => a.create_at - b.create_at);
    return (
        <section className='thread' aria-label='Thread' data-testid='thread'>
            <header className='panel-header'>
                <h2>Thread</h2>
                <button className='link-btn' onClick={() => dispatch({type: T.CLOSE_THREAD})} aria-label='Close thread'>{'✕'}</button>
            </header>
            <div className='thread__posts'>
                {root ? <Post post={root} inThread={true}/> : <p className='muted'>The root post is not loaded.</p>}
                {replies.map((p) => <Post key={p.id} post={p} inThread={true}/>)}
            </div>
            {root && <CommandBox channelId={root.channel_id} rootId={root.id}/>}
        </section>
    );
}

