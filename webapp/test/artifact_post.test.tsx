import './setup';

import {act, fireEvent, screen, waitFor} from '@testing-library/react';
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import React from 'react';

import {AI_ANALYSIS_TYPE} from '../src/actions';
import {ChatPost, TranscriptPost} from '../src/components/artifact_post';

import {CHANNEL, baseState, deferred, flush, json, makeStore, mockFetch, post, renderInHost} from './helpers';

const transcript = post({meeting_id: 81234567890, meeting_uuid: 'uuid=='}, {
    id: 'transcriptposttranscript01',
    root_id: 'rootidrootidrootidrootid01',
    type: 'custom_zoom_transcript',
    message: 'Here is the transcript of the meeting.',
});
const chat = {...transcript, id: 'chatpostchatpostchatpost01', type: 'custom_zoom_chat', message: 'Here is the chat history.'};

const withAgents = () => makeStore(baseState({plugins: {plugins: {'mattermost-ai': {id: 'mattermost-ai'}}}}));

describe('custom_zoom_transcript', () => {
    it('shows the title and message, and no AI button without the Agents plugin', () => {
        const {intlErrors} = renderInHost(<TranscriptPost post={transcript}/>);
        assert.ok(screen.getByRole('group', {name: 'Meeting transcript'}));
        assert.ok(screen.getByText('Here is the transcript of the meeting.'));
        assert.equal(screen.queryByRole('button'), null);
        assert.deepEqual(intlErrors, []);
    });

    it('asks the Agents plugin to summarize, once, and says so', async () => {
        const answer = deferred<Response>();
        const calls = mockFetch(() => answer.promise);
        renderInHost(<TranscriptPost post={transcript}/>, withAgents());
        const button = screen.getByRole('button', {name: 'Summarize with AI'});
        fireEvent.click(button);
        fireEvent.click(button);
        await flush();
        assert.equal(calls.length, 1);
        assert.equal(calls[0].url, 'http://mm.test/plugins/mattermost-ai/post/transcriptposttranscript01/analyze');
        assert.deepEqual(calls[0].body, {analysis_type: AI_ANALYSIS_TYPE});
        assert.equal((button as HTMLButtonElement).disabled, true);
        await act(async () => {
            answer.resolve(json(200, {postid: 'p', channelid: 'c'}));
            await flush();
        });
        await waitFor(() => assert.ok(screen.getByRole('status')));
        assert.equal((button as HTMLButtonElement).disabled, false);
    });

    it('shows an Agents plugin failure in the thread', async () => {
        mockFetch(() => new Response('', {status: 500}));
        const {store} = renderInHost(<TranscriptPost post={transcript}/>, withAgents());
        fireEvent.click(screen.getByRole('button', {name: 'Summarize with AI'}));
        await waitFor(() => assert.equal(store.actions.length, 1));
        const shown = store.actions[0].data;
        assert.equal(shown.type, 'system_ephemeral');
        assert.equal(shown.channel_id, CHANNEL);
        assert.equal(shown.root_id, 'rootidrootidrootidrootid01');
        assert.match(shown.message, /^Could not ask the AI agent for a summary: the server answered with status 500/);
        assert.equal(screen.queryByRole('status'), null);
    });
});

describe('custom_zoom_chat', () => {
    it('shows the title and message, with the AI button when the Agents plugin is installed', () => {
        renderInHost(<ChatPost post={chat}/>, withAgents());
        assert.ok(screen.getByRole('group', {name: 'Meeting chat history'}));
        assert.ok(screen.getByText('Here is the chat history.'));
        assert.ok(screen.getByRole('button', {name: 'Summarize with AI'}));
    });

    it('hides the AI button once the Agents plugin goes away', async () => {
        const store = withAgents();
        renderInHost(<ChatPost post={chat}/>, store);
        assert.ok(screen.getByRole('button'));
        act(() => store.setState(baseState()));
        await waitFor(() => assert.equal(screen.queryByRole('button'), null));
    });
});
