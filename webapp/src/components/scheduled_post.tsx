import React, {useState} from 'react';
import {useIntl} from 'react-intl';
import {useSelector, useStore} from 'react-redux';

import {isWebURL, showEphemeral} from '../actions';
import {RequestError, postJSON} from '../client';
import {t, useT} from '../i18n';
import {getCurrentUserId, getLocale, getSiteURL} from '../selectors';
import type {PostProps, State, Store} from '../types';

import {CardHeader, JoinLink} from './card';

// The server's id for the card's cancel button (its attachment action).
const CANCEL_ACTION = 'zoomschedulecancel';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function num(v: unknown): number {
    const n = typeof v === 'string' && v.trim() ? Number(v) : v;
    return typeof n === 'number' && Number.isFinite(n) ? n : 0;
}

/**
 * The reader's Mattermost time zone (Settings > Display > Timezone), or undefined for
 * the browser's own; a zone this browser does not know counts as unset.
 */
function readerZone(state: State): string | undefined {
    const tz = state?.entities?.users?.profiles?.[getCurrentUserId(state)]?.timezone;
    const zone = tz?.useAutomaticTimezone === 'true' ? tz.automaticTimezone : tz?.manualTimezone;
    if (!zone) {
        return undefined;
    }
    try {
        new Intl.DateTimeFormat('en', {timeZone: zone});
        return zone;
    } catch {
        return undefined;
    }
}

/** The creator and system admins see the button; the server decides either way. */
function mayCancel(state: State, creatorId: string): boolean {
    const me = getCurrentUserId(state);
    const roles = state?.entities?.users?.profiles?.[me]?.roles || '';
    return Boolean(me) && (me === creatorId || roles.split(' ').includes('system_admin'));
}

/**
 * A meeting planned with /zoom schedule: the start (UTC ms in meeting_start_time) in
 * the reader's own time zone (their Mattermost setting, else the browser's), the length, the Join link and, for the creator, a
 * Cancel button that presses the card's message action.
 */
export function ScheduledPost({post}: PostProps) {
    const tr = useT();
    const intl = useIntl();
    const store = useStore() as Store;
    const canCancel = useSelector((s: State) => mayCancel(s, post.user_id));
    const timeZone = useSelector(readerZone);
    const [busy, setBusy] = useState(false);
    const p = post.props || {};
    const topic = str(p.meeting_topic) || tr('zoom.card.defaultTopic');
    const start = num(p.meeting_start_time);
    const minutes = num(p.meeting_duration);
    const link = p.meeting_link;
    const cancel = async () => {
        setBusy(true);
        const state = store.getState();
        try {
            await postJSON(`${getSiteURL(state)}/api/v4/posts/${encodeURIComponent(post.id)}/actions/${CANCEL_ACTION}`, {});
        } catch (err) {
            const locale = getLocale(state);
            const reason = err instanceof RequestError && err.status ? t('zoom.error.status', {status: err.status}, locale) : t('zoom.error.network', {}, locale);
            showEphemeral(store, post.channel_id, post.root_id || '', t('zoom.error.cancel', {error: reason}, locale));
        } finally {
            setBusy(false);
        }
    };
    return (
        <div
            className='zoom-card'
            role='group'
            aria-label={tr('zoom.card.label')}
        >
            <CardHeader title={topic}/>
            {start > 0 && (
                <div className='zoom-card__row'>
                    {tr('zoom.scheduled.starts', {
                        date: intl.formatDate(start, {weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone}),
                        time: intl.formatTime(start, {hour: 'numeric', minute: '2-digit', timeZoneName: 'short', timeZone}),
                    })}
                </div>
            )}
            {minutes > 0 && <div className='zoom-card__row'>{tr('zoom.ended.length', {minutes})}</div>}
            <div className='zoom-card__actions'>
                {isWebURL(link) && (
                    <JoinLink
                        link={link}
                        topic={topic}
                    />
                )}
                {canCancel && (
                    <button
                        type='button'
                        className='zoom-card__button zoom-card__button--secondary'
                        disabled={busy}
                        aria-busy={busy}
                        onClick={() => void cancel()}
                    >
                        {tr('zoom.scheduled.cancel')}
                    </button>
                )}
            </div>
        </div>
    );
}
