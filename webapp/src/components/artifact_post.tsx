import React, {useState, useSyncExternalStore} from 'react';
import {useSelector, useStore} from 'react-redux';

import {isBusy, subscribeBusy, summarizeWithAI} from '../actions';
import {useT, type MessageId} from '../i18n';
import {isAgentsInstalled} from '../selectors';
import type {PostProps, Store} from '../types';

import {CardHeader} from './card';
import {Message} from './message';

function ArtifactCard({post, title}: PostProps & {title: MessageId}) {
    const tr = useT();
    const store = useStore() as Store;
    const agents = useSelector(isAgentsInstalled);
    const busy = useSyncExternalStore(subscribeBusy, () => isBusy(`ai:${post.id}`));
    // Only the REST route needs saying where the answer goes: the Agents plugin's
    // own hand-off opens its right-hand side on the summary.
    const [requested, setRequested] = useState(false);
    const summarize = async () => {
        setRequested(await summarizeWithAI(store, post) === 'requested');
    };
    return (
        <div
            className='zoom-card'
            role='group'
            aria-label={tr(title)}
        >
            <CardHeader title={tr(title)}/>
            <Message text={post.message}/>
            {agents && (
                <div className='zoom-card__actions'>
                    <button
                        type='button'
                        className='zoom-card__button zoom-card__button--secondary'
                        disabled={busy}
                        aria-busy={busy}
                        onClick={() => void summarize()}
                    >
                        {tr('zoom.ai.summarize')}
                    </button>
                </div>
            )}
            {requested && <div className='zoom-card__row' role='status'>{tr('zoom.ai.requested')}</div>}
        </div>
    );
}

/** Renderer for `custom_zoom_transcript` posts. */
export function TranscriptPost(props: PostProps) {
    return <ArtifactCard {...props} title='zoom.transcript.title'/>;
}

/** Renderer for `custom_zoom_chat` posts. */
export function ChatPost(props: PostProps) {
    return <ArtifactCard {...props} title='zoom.chat.title'/>;
}
