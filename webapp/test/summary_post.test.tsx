import './setup';

import {screen, within} from '@testing-library/react';
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import React from 'react';

import {SummaryPost} from '../src/components/summary_post';

import {baseState, makeStore, post, renderInHost} from './helpers';

const summary = post({
    meeting_id: 84512367890,
    meeting_uuid: '4444AAAiAAAAAiAiAiiAii==',
    summary_title: 'Design sync: onboarding flow',
    summary_overview: 'The team agreed to ship the shorter sign-up form first.',
    summary_details: [
        {label: 'Sign-up form', summary: 'The group preferred dropping the company field.'},
        {label: 'Release plan', summary: 'Ship behind a flag next Tuesday.'},
    ],
    summary_next_steps: ['Bob removes the company field.', 'Carol prepares the flag.'],
}, {
    id: 'summarypostsummarypost0001',
    root_id: 'rootidrootidrootidrootid01',
    type: 'custom_zoom_summary',
    message: 'Zoom\'s AI Companion summarised **Design sync**:',
});

describe('custom_zoom_summary', () => {
    it('shows the overview, each section under its label and the next steps as a checklist', () => {
        const {intlErrors} = renderInHost(<SummaryPost post={summary}/>);
        const card = screen.getByRole('group', {name: 'Meeting summary by Zoom AI Companion'});
        assert.ok(within(card).getByText('Design sync: onboarding flow'));
        assert.ok(within(card).getByText('The team agreed to ship the shorter sign-up form first.'));
        const headings = within(card).getAllByRole('heading').map((h) => h.textContent);
        assert.deepEqual(headings, ['Sign-up form', 'Release plan', 'Next steps']);
        assert.ok(within(card).getByText('Ship behind a flag next Tuesday.'));
        const boxes = within(card).getAllByRole('checkbox');
        assert.deepEqual(boxes.map((b) => b.getAttribute('aria-label')), ['Bob removes the company field.', 'Carol prepares the flag.']);
        assert.ok(boxes.every((b) => (b as HTMLInputElement).disabled && !(b as HTMLInputElement).checked));
        assert.equal(within(card).queryByRole('button'), null, 'no AI button on a summary');
        assert.deepEqual(intlErrors, []);
    });

    it('shows no AI button even with the Agents plugin installed', () => {
        renderInHost(<SummaryPost post={summary}/>, makeStore(baseState({plugins: {plugins: {'mattermost-ai': {id: 'mattermost-ai'}}}})));
        assert.equal(screen.queryByRole('button'), null);
    });

    it('renders Zoom\'s text as text, never as markup', () => {
        const hostile = post({
            summary_title: '<img src=x onerror=alert(1)>',
            summary_overview: '**bold** [link](javascript:alert(1))',
            summary_details: [{label: '<b>label</b>', summary: '<script>alert(1)</script>'}, 'junk', null],
            summary_next_steps: ['<i>step</i>', 42, ''],
        }, {id: 'summarypostsummarypost0002', type: 'custom_zoom_summary'});
        const {container} = renderInHost(<SummaryPost post={hostile}/>);
        assert.equal(container.querySelector('img, script, b, i, a'), null);
        assert.ok(screen.getByText('<img src=x onerror=alert(1)>'));
        assert.ok(screen.getByText('**bold** [link](javascript:alert(1))'));
        assert.ok(screen.getByText('<script>alert(1)</script>'));
        assert.deepEqual(screen.getAllByRole('checkbox').map((b) => b.getAttribute('aria-label')), ['<i>step</i>']);
    });

    it('shows only the title when Zoom sent nothing else', () => {
        renderInHost(<SummaryPost post={post({summary_title: 'Only a title'}, {id: 'summarypostsummarypost0003', type: 'custom_zoom_summary'})}/>);
        assert.ok(screen.getByText('Only a title'));
        assert.equal(screen.queryAllByRole('heading').length, 0);
        assert.equal(screen.queryAllByRole('checkbox').length, 0);
    });
});
