// The "Zoom simulator" panel: the simulator's meetings (GET /devhost/meetings) with
// buttons that make the simulator send the matching signed webhook to the plugin
// (POST /devhost/sim/{action}), and the plugin's answer.
import React, {useCallback, useEffect, useState} from 'react';
import {useSelector} from 'react-redux';

import {request} from './api';

// The simulator's statuses are Zoom's: a meeting is "waiting" until a host joins, and
// again once it ended.
const STATUS_LABELS = {waiting: 'not in progress', started: 'in progress'};

const ACTIONS = [
    {action: 'end', label: 'End meeting'},
    {action: 'recording', label: 'Finish recording'},
    {action: 'transcript', label: 'Finish transcript'},
    {action: 'summary', label: 'AI summary'},
];

function describe(label, res) {
    if (res.ok && res.data && typeof res.data === 'object' && 'status' in res.data) {
        const status = Number(res.data.status);
        let body = typeof res.data.body === 'string' ? res.data.body.trim() : JSON.stringify(res.data.body ?? '');
        if (body.length > 160) {
            body = `${body.slice(0, 160)}…`;
        }
        return {ok: status >= 200 && status < 300, text: `${label}: the plugin answered ${status}${body ? ` (${body})` : ''}`};
    }
    const detail = typeof res.data === 'string' ? res.data : JSON.stringify(res.data);
    return {ok: false, text: `${label}: the devhost answered HTTP ${res.status}${detail ? ` (${detail})` : ''}`};
}

export function SimPanel({simURL}) {
    const me = useSelector((s) => s.entities.users.currentUserId);
    const frames = useSelector((s) => s.devhost.frames);
    const [meetings, setMeetings] = useState([]);
    const [loadError, setLoadError] = useState('');
    const [status, setStatus] = useState(null);
    const [busy, setBusy] = useState(false);

    const refresh = useCallback(async () => {
        try {
            const res = await request('GET', '/devhost/meetings');
            if (res.ok) {
                setMeetings(Array.isArray(res.data) ? res.data : []);
                setLoadError('');
            } else {
                setLoadError(`GET /devhost/meetings: HTTP ${res.status}`);
            }
        } catch (e) {
            setLoadError(e.message);
        }
    }, []);

    useEffect(() => {
        refresh();
        const t = setInterval(refresh, 2000);
        return () => clearInterval(t);
    }, [refresh]);

    // New posts and edits often mean the simulator changed too.
    const lastFrame = frames[0]?.seq;
    useEffect(() => {
        refresh();
    }, [lastFrame, refresh]);

    // steps: [{action, body, label}], sent in order until one is not answered 2xx.
    const send = async (steps) => {
        setBusy(true);
        setStatus({ok: true, text: `${steps[steps.length - 1].label}: sending…`, pending: true});
        const said = [];
        try {
            for (const {action, body, label} of steps) {
                const r = describe(label, await request('POST', `/devhost/sim/${action}`, body));
                said.push(r.text);
                if (!r.ok) {
                    setStatus({ok: false, text: said.join(' · ')});
                    return;
                }
            }
            setStatus({ok: true, text: said.join(' · ')});
        } catch (e) {
            setStatus({ok: false, text: [...said, e.message].join(' · ')});
        } finally {
            setBusy(false);
            refresh();
        }
    };
    // Zoom only ends a meeting that has started (a host joined). A meeting the simulator
    // still has as "waiting" is started first, so "End meeting" always does what it says.
    const stepsFor = (m, action, label) => {
        const body = {meeting_id: meetingId(m)};
        const steps = [{action, body, label: `${label} ${m.id}`}];
        if (action === 'end' && m.status === 'waiting') {
            steps.unshift({action: 'start', body, label: `Start ${m.id}`});
        }
        return steps;
    };

    const meetingId = (m) => (typeof m.id === 'string' && /^\d+$/.test(m.id) ? Number(m.id) : m.id);

    return (
        <section className='sim' aria-label='Zoom simulator' data-testid='sim-panel'>
            <header className='panel-header'>
                <h2>Zoom simulator</h2>
                {simURL && <a href={simURL} target='_blank' rel='noopener noreferrer' className='small'>open it</a>}
            </header>
            {loadError && <p className='error-text small'>{loadError}</p>}
            {meetings.length === 0 && !loadError && (
                <p className='muted small'>No meetings yet. Start one with the Zoom button in the channel header.</p>
            )}
            <ul className='sim__meetings'>
                {meetings.map((m) => (
                    <li key={m.uuid || m.id} className='sim__meeting' data-testid='sim-meeting' data-meeting-id={String(m.id)}>
                        <div>
                            <strong>{m.topic || 'Zoom meeting'}</strong>
                            {' '}
                            <span className={`tag tag--${String(m.status || '').toLowerCase()}`} title={`simulator status: ${m.status}`}>
                                {STATUS_LABELS[m.status] || m.status}
                            </span>
                        </div>
                        <div className='muted small'>
                            {`ID ${m.id}`}
                            {m.join_url && <>{' · '}<a href={m.join_url} target='_blank' rel='noopener noreferrer'>join URL</a></>}
                        </div>
                        <div className='sim__buttons'>
                            {ACTIONS.map(({action, label}) => (
                                <button
                                    key={action}
                                    className='btn btn--small'
                                    disabled={busy}
                                    onClick={() => send(stepsFor(m, action, label))}
                                >
                                    {label}
                                </button>
                            ))}
                            <button
                                className='btn btn--small btn--quiet'
                                disabled={busy}
                                title='The host joins: Zoom sends meeting.started'
                                onClick={() => send(stepsFor(m, 'start', 'Start'))}
                            >
                                Start meeting
                            </button>
                        </div>
                    </li>
                ))}
            </ul>
            <button className='btn btn--small btn--danger' disabled={busy || !me} onClick={() => send([{action: 'deauthorize', body: {user_id: me}, label: 'Deauthorize'}])}>
                Deauthorize me
            </button>
            {status && (
                <div role='status' data-testid='sim-status' className={`sim__status ${status.ok ? 'sim__status--ok' : 'sim__status--error'}`}>
                    {status.text}
                </div>
            )}
            <details className='sim__events'>
                <summary>{`Websocket events (${frames.length})`}</summary>
                <ol>
                    {frames.map((f, i) => (
                        <li key={`${f.seq}-${i}`}><code>{f.event}</code> <span className='muted'>{f.at}</span></li>
                    ))}
                </ol>
            </details>
        </section>
    );
}
