import React, {useState, useSyncExternalStore} from 'react';
import {useSelector, useStore} from 'react-redux';

import {isBusy, subscribeBusy, summarizeWithAI} from '../actions';
import {useT, type MessageId} from '../i18n';
import {isAgentsInstalled} from '../selectors';
import type {PostProps, Store} from '../types';

import {ZoomIcon} from './icon';
import {Message} from './message';

function ArtifactCard({post, title}: PostProps & {title: MessageId}) {
    const tr = useT();
    const store = useStore() as Store;
    const agents = useSelector(isAgentsInstalled);
    const busy = useSyncExternalStore(subscribeBusy, () => isBusy(`ai:${post.id}`));
    const [requested, setRequested] = useState(false);
    const summarize = async () => {
        if (await summarizeWithAI(store, post)) {
            setRequested(true);
        }
    };
    return (
        <div
            className='mzc'
            role='group'
            aria-label={tr(title)}
        >
            <div className='mzc-h'>
                <ZoomIcon size={20}/>
                <span>{tr(title)}</span>
            </div>
            <Message text={post.message}/>
            {agents && (
                <div className='mzc-a'>
                    <button
                        type='button'
                        className='mzc-b mzc-b2'
                        disabled={busy}
                        aria-busy={busy}
                        onClick={() => void summarize()}
                    >
                        {tr('zoom.ai.summarize')}
                    </button>
                </div>
            )}
            {requested && <div className='mzc-r' role='status'>{tr('zoom.ai.requested')}</div>}
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
