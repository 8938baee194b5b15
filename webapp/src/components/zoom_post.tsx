import React from 'react';
import {useIntl} from 'react-intl';

import {isWebURL} from '../actions';
import {useT} from '../i18n';
import type {PostProps} from '../types';

import {CardHeader, JoinLink} from './card';
import {Message} from './message';
import {ScheduledPost} from './scheduled_post';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function num(v: unknown): number {
    const n = typeof v === 'string' && v.trim() ? Number(v) : v;
    return typeof n === 'number' && Number.isFinite(n) ? n : 0;
}

/**
 * "123 456 789", "123 456 7890", "123 4567 8901" as Zoom writes them, with
 * no-break spaces so a narrow card never splits the number.
 */
export function formatMeetingId(id: unknown): string {
    const s = typeof id === 'number' && Number.isFinite(id) ? String(Math.trunc(id)) : str(id).trim();
    if (!/^\d{9,11}$/.test(s)) {
        return s;
    }
    const mid = s.length === 11 ? 7 : 6;
    return `${s.slice(0, 3)}\u00a0${s.slice(3, mid)}\u00a0${s.slice(mid)}`;
}

function MeetingId({post}: PostProps) {
    const tr = useT();
    const id = formatMeetingId(post.props?.meeting_id);
    if (!id) {
        return null;
    }
    return (
        <div className='zoom-card__row'>
            {tr('zoom.card.meetingId', {id})}
            {post.props?.meeting_personal === true && <span className='zoom-card__tag'>{tr('zoom.card.pmi')}</span>}
        </div>
    );
}

const names = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);

// Names shown on a card before "+N more".
const MAX_NAMES = 10;

/** "3 people in the meeting" / "Attended by 3 people", then the names. */
function People({label, list, count}: {label: 'zoom.card.participants' | 'zoom.ended.attendees'; list: unknown; count: unknown}) {
    const tr = useT();
    const all = names(list);
    const total = Math.max(num(count), all.length);
    if (!total) {
        return null;
    }
    const shown = all.slice(0, MAX_NAMES);
    const more = total - shown.length;
    return (
        <>
            <div className='zoom-card__row'>{tr(label, {count: total})}</div>
            {shown.length > 0 && (
                <div className='zoom-card__row zoom-card__people'>
                    {shown.join(', ')}
                    {more > 0 && ` ${tr('zoom.card.more', {count: more})}`}
                </div>
            )}
        </>
    );
}

function Started({post}: PostProps) {
    const tr = useT();
    const p = post.props || {};
    const topic = str(p.meeting_topic) || tr('zoom.card.defaultTopic');
    const creator = str(p.meeting_creator_username);
    const link = p.meeting_link;
    return (
        <div
            className='zoom-card'
            role='group'
            aria-label={tr('zoom.card.label')}
        >
            <CardHeader title={topic}/>
            <MeetingId post={post}/>
            {creator && <div className='zoom-card__row'>{tr('zoom.card.creator', {username: creator})}</div>}
            <People
                label='zoom.card.participants'
                list={p.meeting_participants}
                count={p.meeting_participants_count}
            />
            {isWebURL(link) && (
                <div className='zoom-card__actions'>
                    <JoinLink
                        link={link}
                        topic={topic}
                    />
                </div>
            )}
        </div>
    );
}

function Ended({post}: PostProps) {
    const tr = useT();
    const intl = useIntl();
    const p = post.props || {};
    const start = num(p.meeting_start_time) || num(post.create_at);
    const end = num(p.meeting_end_time);
    const minutes = start && end >= start ? Math.round((end - start) / 60000) : -1;
    const time = (ms: number) => intl.formatTime(ms, {hour: 'numeric', minute: '2-digit'});
    const topic = str(p.meeting_topic);
    return (
        <div
            className='zoom-card'
            role='group'
            aria-label={tr('zoom.card.label')}
        >
            <CardHeader title={tr('zoom.ended.title')}/>
            {topic && <div className='zoom-card__row'>{topic}</div>}
            <MeetingId post={post}/>
            {start > 0 && (
                <>
                    <div className='zoom-card__row'>
                        {tr('zoom.ended.date', {date: intl.formatDate(start, {year: 'numeric', month: 'short', day: 'numeric'})})}
                    </div>
                    <div className='zoom-card__row'>
                        {end >= start ? tr('zoom.ended.time', {start: time(start), end: time(end)}) : tr('zoom.ended.started', {start: time(start)})}
                    </div>
                </>
            )}
            {minutes >= 0 && <div className='zoom-card__row'>{tr('zoom.ended.length', {minutes})}</div>}
            <People
                label='zoom.ended.attendees'
                list={p.meeting_attendees}
                count={p.meeting_attendees_count}
            />
        </div>
    );
}

/** Renderer for `custom_zoom` posts. */
export function ZoomPost({post}: PostProps) {
    switch (post.props?.meeting_status) {
    case 'STARTED':
        return <Started post={post}/>;
    case 'ENDED':
        return <Ended post={post}/>;
    case 'SCHEDULED':
        return <ScheduledPost post={post}/>;
    default:
        return <Message text={post.message}/>;
    }
}
