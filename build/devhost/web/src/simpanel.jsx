// The "Zoom simulator" panel: the simulator's meetings (GET /devhost/meetings) with
// buttons that make the simulator send the matching signed webhook to the plugin
// (POST /devhost/sim/{action}), and the plugin's answer.
import React, {useCallback, useEffect, useState} from 'react';
import {useSelector} from 'react-redux';

import {request} from './api';

const ACTIONS = [
    {action: 'end', label: 'End meeting'},
    {action: 'recording', label: 'Finish recording'},
    {action: 'transcript', label: 'Finish transcript'},
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

    const send = async (action, body, label) => {
        setBusy(true);
        setStatus({ok: true, text: `${label}: sending…`, pending: true});
        try {
            setStatus(describe(label, await request('POST', `/devhost/sim/${action}`, body)));
        } catch (e) {
            setStatus({ok: false, text: `${label}: ${e.message}`});
        } finally {
            setBusy(false);
            refresh();
        }
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
                            <span className={`tag tag--${String(m.status || '').toLowerCase()}`}>{m.status}</span>
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
                                    onClick={() => send(action, {meeting_id: meetingId(m)}, `${label} ${m.id}`)}
                                >
                                    {label}
                                </button>
                            ))}
                            <button
                                className='btn btn--small btn--quiet'
                                disabled={busy}
                                title='Send meeting.started again'
                                onClick={() => send('start', {meeting_id: meetingId(m)}, `Start ${m.id}`)}
                            >
                                Send started
                            </button>
                        </div>
                    </li>
                ))}
            </ul>
            <button className='btn btn--small btn--danger' disabled={busy || !me} onClick={() => send('deauthorize', {user_id: me}, 'Deauthorize')}>
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
