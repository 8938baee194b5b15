import './setup';

import {act, fireEvent, screen, waitFor} from '@testing-library/react';
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import React from 'react';

import {AI_ANALYSIS_TYPE} from '../src/actions';
import {ChatPost, TranscriptPost} from '../src/components/artifact_post';
import type {Post} from '../src/types';

import {CHANNEL, baseState, deferred, flush, json, makeStore, mockFetch, post, renderInHost} from './helpers';

const transcript = post({meeting_id: 81234567890, meeting_uuid: 'uuid=='}, {
    id: 'transcriptposttranscript01',
    root_id: 'rootidrootidrootidrootid01',
    type: 'custom_zoom_transcript',
    message: 'Here is the transcript of the meeting.',
});
const chat = post(transcript.props, {...transcript, id: 'chatpostchatpostchatpost01', type: 'custom_zoom_chat', message: 'Here is the chat history.'});

const AGENTS = {plugins: {plugins: {'mattermost-ai': {id: 'mattermost-ai'}}}};

/** The Agents plugin installed, without its webapp hand-off (an older version). */
const withAgents = () => makeStore(baseState(AGENTS));

/** The Agents plugin installed with its hand-off, as its webapp registers it in its state. */
function withHandOff(handler: (p: Post) => unknown) {
    return makeStore(baseState({...AGENTS, 'plugins-mattermost-ai': {callsPostButtonClickedTranscription: handler}}));
}

// A rejection nobody handles would reach the browser console: record any.
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
before(() => process.on('unhandledRejection', onUnhandled));
after(() => {
    process.off('unhandledRejection', onUnhandled);
    assert.deepEqual(unhandled, []);
});

describe('custom_zoom_transcript', () => {
    it('shows the title and message, and no AI button without the Agents plugin', () => {
        const {intlErrors} = renderInHost(<TranscriptPost post={transcript}/>);
        assert.ok(screen.getByRole('group', {name: 'Meeting transcript'}));
        assert.ok(screen.getByText('Here is the transcript of the meeting.'));
        assert.equal(screen.queryByRole('button'), null);
        assert.deepEqual(intlErrors, []);
    });

    it('shows no AI button for a leftover hand-off when the Agents plugin is gone', () => {
        const store = makeStore(baseState({'plugins-mattermost-ai': {callsPostButtonClickedTranscription: () => undefined}}));
        renderInHost(<TranscriptPost post={transcript}/>, store);
        assert.equal(screen.queryByRole('button'), null);
    });

    it('hands the post to the Agents plugin\'s own handler, once, without a request of ours', async () => {
        const calls = mockFetch(() => json(200, {}));
        const answer = deferred<void>();
        const handed: Post[] = [];
        const store = withHandOff((p) => {
            handed.push(p);
            return answer.promise;
        });
        renderInHost(<TranscriptPost post={transcript}/>, store);
        const button = screen.getByRole('button', {name: 'Summarize with AI'});
        fireEvent.click(button);
        fireEvent.click(button);
        await flush();
        assert.equal(handed.length, 1);
        assert.equal(handed[0], transcript);
        assert.equal((button as HTMLButtonElement).disabled, true);
        await act(async () => {
            answer.resolve();
            await flush();
        });
        assert.equal((button as HTMLButtonElement).disabled, false);
        assert.deepEqual(calls, []);
        assert.deepEqual(store.actions, []);
        // The Agents plugin opens its right-hand side itself: no "answers in a DM" line.
        assert.equal(screen.queryByRole('status'), null);
    });

    it('shows a failed hand-off in the thread (a client error with a status)', async () => {
        const store = withHandOff(() => Promise.reject(Object.assign(new Error(''), {status_code: 503})));
        renderInHost(<TranscriptPost post={transcript}/>, store);
        fireEvent.click(screen.getByRole('button', {name: 'Summarize with AI'}));
        await waitFor(() => assert.equal(store.actions.length, 1));
        const shown = store.actions[0].data;
        assert.equal(shown.type, 'system_ephemeral');
        assert.equal(shown.root_id, 'rootidrootidrootidrootid01');
        assert.equal(shown.message, 'Could not ask the AI agent for a summary: the server answered with status 503. Try again in a moment.');
    });

    it('shows a hand-off that throws at once in the thread', async () => {
        const store = withHandOff(() => {
            throw new TypeError('cannot read properties of undefined');
        });
        renderInHost(<TranscriptPost post={transcript}/>, store);
        fireEvent.click(screen.getByRole('button', {name: 'Summarize with AI'}));
        await waitFor(() => assert.equal(store.actions.length, 1));
        assert.equal(store.actions[0].data.message, 'Could not ask the AI agent for a summary: something went wrong. Try again in a moment.');
        assert.equal((screen.getByRole('button') as HTMLButtonElement).disabled, false);
    });

    it('without the hand-off, asks the Agents plugin\'s REST route to summarize, once, and says so', async () => {
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

    it('without the hand-off, shows the REST route\'s failure in the thread', async () => {
        mockFetch(() => new Response('', {status: 404}));
        const {store} = renderInHost(<TranscriptPost post={transcript}/>, withAgents());
        fireEvent.click(screen.getByRole('button', {name: 'Summarize with AI'}));
        await waitFor(() => assert.equal(store.actions.length, 1));
        const shown = store.actions[0].data;
        assert.equal(shown.type, 'system_ephemeral');
        assert.equal(shown.channel_id, CHANNEL);
        assert.equal(shown.root_id, 'rootidrootidrootidrootid01');
        assert.match(shown.message, /^Could not ask the AI agent for a summary: the server answered with status 404/);
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

    it('hands the chat post to the Agents plugin\'s handler', async () => {
        const handed: Post[] = [];
        renderInHost(<ChatPost post={chat}/>, withHandOff((p) => handed.push(p)));
        fireEvent.click(screen.getByRole('button', {name: 'Summarize with AI'}));
        await waitFor(() => assert.equal(handed.length, 1));
        assert.equal(handed[0], chat);
    });

    it('hides the AI button once the Agents plugin goes away', async () => {
        const store = withAgents();
        renderInHost(<ChatPost post={chat}/>, store);
        assert.ok(screen.getByRole('button'));
        act(() => store.setState(baseState()));
        await waitFor(() => assert.equal(screen.queryByRole('button'), null));
    });
});
