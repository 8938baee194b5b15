// The interactive dialog opened by an `open_dialog` frame, as Mattermost's webapp does: renders the
// dialog's elements (text, textarea, select, radio, bool) and submits to
// POST /api/v4/actions/dialogs/submit.
import React, {useState} from 'react';
import {useDispatch, useSelector, useStore} from 'react-redux';

import {api} from './api';
import {Markdown} from './markdown';
import {T} from './store';

function initialValues(elements) {
    const v = {};
    for (const el of elements) {
        if (el.type === 'bool') {
            v[el.name] = el.default === true || el.default === 'true';
        } else {
            v[el.name] = el.default ?? '';
        }
    }
    return v;
}

function optionsFor(el, state) {
    if (el.data_source === 'users') {
        return Object.values(state.entities.users.profiles).map((u) => ({text: u.username, value: u.id}));
    }
    if (el.data_source === 'channels') {
        return Object.values(state.entities.channels.channels).map((c) => ({text: c.display_name || c.name, value: c.id}));
    }
    return el.options || [];
}

function Field({el, value, error, onChange, state}) {
    const id = `dlg-${el.name}`;
    let control;
    switch (el.type) {
    case 'textarea':
        control = <textarea id={id} value={value} placeholder={el.placeholder} maxLength={el.max_length || undefined} onChange={(e) => onChange(e.target.value)}/>;
        break;
    case 'select':
        control = (
            <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
                <option value=''>{el.placeholder || 'Select an option'}</option>
                {optionsFor(el, state).map((o) => <option key={o.value} value={o.value}>{o.text}</option>)}
            </select>
        );
        break;
    case 'radio':
        control = (
            <div role='radiogroup' aria-labelledby={`${id}-label`} className='radio-group'>
                {(el.options || []).map((o) => (
                    <label key={o.value} className='radio'>
                        <input type='radio' name={id} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)}/>
                        {o.text}
                    </label>
                ))}
            </div>
        );
        break;
    case 'bool':
        control = (
            <label className='radio'>
                <input id={id} type='checkbox' checked={Boolean(value)} onChange={(e) => onChange(e.target.checked)}/>
                {el.placeholder || el.display_name}
            </label>
        );
        break;
    default: {
        const sub = ['email', 'number', 'password', 'tel', 'url'].includes(el.subtype) ? el.subtype : 'text';
        control = <input id={id} type={sub} value={value} placeholder={el.placeholder} maxLength={el.max_length || undefined} onChange={(e) => onChange(e.target.value)}/>;
    }
    }
    return (
        <div className='dialog__field'>
            <label id={`${id}-label`} htmlFor={id} className='dialog__label'>
                {el.display_name}{!el.optional && <span className='required' aria-hidden='true'>{' *'}</span>}
            </label>
            {control}
            {el.help_text && <div className='muted small'>{el.help_text}</div>}
            {error && <div className='error-text small' role='alert'>{error}</div>}
        </div>
    );
}

export function DialogModal() {
    const req = useSelector((s) => s.devhost.dialog);
    if (!req) {
        return null;
    }
    // Keyed so a new dialog starts from its own defaults.
    return <DialogForm key={req.trigger_id || req.dialog?.callback_id || 'dialog'} req={req}/>;
}

function DialogForm({req}) {
    const dispatch = useDispatch();
    const store = useStore();
    const state = store.getState();
    const dialog = req.dialog || {};
    const elements = dialog.elements || [];
    const [values, setValues] = useState(() => initialValues(elements));
    const [errors, setErrors] = useState({});
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);

    const send = async (cancelled) => {
        const s = store.getState();
        const channelId = s.entities.channels.currentChannelId;
        const submission = {};
        for (const el of elements) {
            const v = values[el.name];
            submission[el.name] = el.subtype === 'number' && v !== '' ? Number(v) : v;
        }
        return api('POST', '/api/v4/actions/dialogs/submit', {
            url: req.url,
            callback_id: dialog.callback_id || '',
            state: dialog.state || '',
            channel_id: channelId,
            team_id: s.entities.channels.channels[channelId]?.team_id || s.entities.teams.currentTeamId,
            submission: cancelled ? {} : submission,
            cancelled,
        });
    };

    const submit = async (e) => {
        e.preventDefault();
        const missing = {};
        for (const el of elements) {
            if (!el.optional && el.type !== 'bool' && (values[el.name] === '' || values[el.name] === undefined)) {
                missing[el.name] = 'This field is required.';
            }
        }
        if (Object.keys(missing).length) {
            setErrors(missing);
            return;
        }
        setBusy(true);
        try {
            const res = await send(false);
            if (res?.error || (res?.errors && Object.keys(res.errors).length)) {
                setError(res.error || '');
                setErrors(res.errors || {});
            } else {
                dispatch({type: T.CLOSE_DIALOG});
            }
        } catch (err) {
            setError(err.message);
        } finally {
            setBusy(false);
        }
    };

    const cancel = async () => {
        if (dialog.notify_on_cancel) {
            try {
                await send(true);
            } catch (err) {
                console.warn('devhost: dialog cancel notification failed', err);
            }
        }
        dispatch({type: T.CLOSE_DIALOG});
    };

    return (
        <div className='modal-backdrop' onKeyDown={(e) => e.key === 'Escape' && cancel()}>
            <form className='modal' role='dialog' aria-modal='true' aria-labelledby='dialog-title' data-testid='interactive-dialog' onSubmit={submit}>
                <header className='modal__header'>
                    {dialog.icon_url && <img src={dialog.icon_url} alt='' className='modal__icon'/>}
                    <h2 id='dialog-title'>{dialog.title || 'Dialog'}</h2>
                </header>
                <div className='modal__body'>
                    {dialog.introduction_text && <Markdown text={dialog.introduction_text}/>}
                    {elements.map((el) => (
                        <Field
                            key={el.name}
                            el={el}
                            state={state}
                            value={values[el.name]}
                            error={errors[el.name]}
                            onChange={(v) => setValues({...values, [el.name]: v})}
                        />
                    ))}
                    {error && <div className='error-text' role='alert'>{error}</div>}
                </div>
                <footer className='modal__footer'>
                    <button type='button' className='btn' onClick={cancel}>Cancel</button>
                    <button type='submit' className='btn btn--primary' disabled={busy}>{dialog.submit_label || 'Submit'}</button>
                </footer>
            </form>
        </div>
    );
}
