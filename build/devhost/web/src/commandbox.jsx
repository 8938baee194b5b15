// The message box, for slash commands only: `/zoom ...` → POST /api/v4/commands/execute.
// Replies come back as ephemeral posts over the websocket.
import React, {useState} from 'react';
import {useDispatch, useStore} from 'react-redux';

import {api} from './api';
import {T, localEphemeral} from './store';

const SUGGESTIONS = [
    '/zoom start', '/zoom connect', '/zoom disconnect', '/zoom settings', '/zoom channel-settings',
    '/zoom channel-settings list', '/zoom subscription add ', '/zoom subscription remove ',
    '/zoom subscription list', '/zoom help',
];

export function CommandBox({channelId, rootId = ''}) {
    const dispatch = useDispatch();
    const store = useStore();
    const [text, setText] = useState('');
    const [busy, setBusy] = useState(false);
    const say = (message) => dispatch({type: T.RECEIVED_NEW_POST, data: localEphemeral(store.getState(), channelId, message, rootId)});

    const submit = async (e) => {
        e.preventDefault();
        const command = text.trim();
        if (!command) {
            return;
        }
        if (!command.startsWith('/')) {
            say('This devhost only runs slash commands. Try `/zoom help`.');
            return;
        }
        setBusy(true);
        try {
            const state = store.getState();
            const channel = state.entities.channels.channels[channelId];
            const res = await api('POST', '/api/v4/commands/execute', {
                command,
                channel_id: channelId,
                team_id: channel?.team_id || state.entities.teams.currentTeamId,
                root_id: rootId,
                parent_id: rootId,
            });
            if (res?.goto_location) {
                window.open(res.goto_location, '_blank', 'noopener');
            }
            setText('');
        } catch (err) {
            say(`Command failed: ${err.message}`);
        } finally {
            setBusy(false);
        }
    };

    const listId = `cmds-${rootId || 'center'}`;
    return (
        <form className='command-box' onSubmit={submit}>
            <input
                aria-label={rootId ? 'Reply with a command' : 'Command'}
                data-testid={rootId ? 'thread-command-box' : 'command-box'}
                list={listId}
                value={text}
                disabled={busy}
                placeholder={rootId ? 'Reply with /zoom start …' : 'Type a slash command: /zoom start, /zoom help …'}
                onChange={(e) => setText(e.target.value)}
            />
            <datalist id={listId}>{SUGGESTIONS.map((s) => <option key={s} value={s}/>)}</datalist>
            <button className='btn btn--primary' type='submit' disabled={busy || !text.trim()}>Send</button>
        </form>
    );
}
