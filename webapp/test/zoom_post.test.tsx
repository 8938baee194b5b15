import './setup';

import {screen} from '@testing-library/react';
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import React from 'react';

import {ZoomPost, formatMeetingId} from '../src/components/zoom_post';

import {post, renderInHost} from './helpers';

const START = Date.UTC(2024, 4, 14, 9, 30);

const started = (extra: Record<string, unknown> = {}) => post({
    meeting_id: 81234567890,
    meeting_uuid: 'uuid==',
    meeting_link: 'https://zoom.us/j/81234567890?pwd=x',
    meeting_status: 'STARTED',
    meeting_personal: false,
    meeting_topic: 'Sprint review',
    meeting_creator_username: 'alice',
    meeting_provider: 'Zoom',
    ...extra,
});

describe('custom_zoom STARTED', () => {
    it('shows topic, formatted id, creator and a Join link to the meeting in a new tab', () => {
        const {intlErrors} = renderInHost(<ZoomPost post={started()}/>);
        assert.ok(screen.getByText('Sprint review'));
        assert.ok(screen.getByText('Meeting ID: 812 3456 7890'));
        assert.ok(screen.getByText('Created by @alice'));
        const join = screen.getByRole('link', {name: /Join Meeting/});
        assert.equal(join.getAttribute('href'), 'https://zoom.us/j/81234567890?pwd=x');
        assert.equal(join.getAttribute('target'), '_blank');
        assert.equal(join.getAttribute('rel'), 'noopener noreferrer');
        assert.equal(join.getAttribute('aria-label'), 'Join Meeting: Sprint review');
        assert.equal(screen.queryByText('Personal Meeting ID (PMI)'), null);
        assert.deepEqual(intlErrors, []);
    });

    it('marks a Personal Meeting ID', () => {
        renderInHost(<ZoomPost post={started({meeting_personal: true, meeting_id: 1234567890})}/>);
        assert.ok(screen.getByText('Personal Meeting ID (PMI)'));
        assert.ok(screen.getByText(/Meeting ID: 123 456 7890/));
    });

    it('falls back to a default topic and offers no Join link for a non-web URL', () => {
        renderInHost(<ZoomPost post={started({meeting_topic: '', meeting_link: 'javascript:alert(1)'})}/>);
        assert.ok(screen.getByText('Zoom Meeting'));
        assert.equal(screen.queryByRole('link'), null);
    });

    it('is a labelled group', () => {
        renderInHost(<ZoomPost post={started()}/>);
        assert.ok(screen.getByRole('group', {name: 'Zoom meeting'}));
    });
});

describe('custom_zoom ENDED', () => {
    it('summarises date, time and length, without a Join button', () => {
        const {intlErrors} = renderInHost(
            <ZoomPost
                post={started({
                    meeting_status: 'ENDED',
                    meeting_end_time: START + (45 * 60000) + 20000,
                })}
            />,
        );
        assert.ok(screen.getByText('Meeting ended'));
        assert.ok(screen.getByText('Date: May 14, 2024'));
        assert.ok(screen.getByText(/^Time: 9:30\sAM – 10:15\sAM$/));
        assert.ok(screen.getByText('Length: 45 minutes'));
        assert.ok(screen.getByText('Meeting ID: 812 3456 7890'));
        assert.equal(screen.queryByRole('link'), null);
        assert.equal(screen.queryByRole('button'), null);
        assert.deepEqual(intlErrors, []);
    });

    it('prefers meeting_start_time over the post time, and says "1 minute"', () => {
        renderInHost(
            <ZoomPost
                post={started({
                    meeting_status: 'ENDED',
                    meeting_start_time: START + (10 * 60000),
                    meeting_end_time: START + (11 * 60000),
                })}
            />,
        );
        assert.ok(screen.getByText('Length: 1 minute'));
        assert.ok(screen.getByText(/^Time: 9:40\sAM – 9:41\sAM$/));
    });

    it('leaves out the length when the end is unknown', () => {
        renderInHost(<ZoomPost post={started({meeting_status: 'ENDED'})}/>);
        assert.ok(screen.getByText('Meeting ended'));
        assert.ok(screen.getByText(/^Started at 9:30\sAM$/));
        assert.equal(screen.queryByText(/Length/), null);
    });
});

describe('custom_zoom with another status', () => {
    it('falls back to the post message', () => {
        renderInHost(<ZoomPost post={started({meeting_status: 'SOMETHING'})}/>);
        assert.ok(screen.getByText('Meeting started'));
        assert.equal(screen.queryByRole('link'), null);
    });

    it('renders markdown through the host\'s PostUtils when present', () => {
        const w = window as unknown as Record<string, unknown>;
        w.PostUtils = {
            formatText: (text: string) => `<b>${text}</b>`,
            messageHtmlToComponent: (html: string) => <span data-testid='md'>{html}</span>,
        };
        try {
            renderInHost(<ZoomPost post={started({meeting_status: undefined})}/>);
            assert.equal(screen.getByTestId('md').textContent, '<b>Meeting started</b>');
        } finally {
            delete w.PostUtils;
        }
    });
});

describe('formatMeetingId', () => {
    it('groups 9, 10 and 11 digits as Zoom does', () => {
        const spaced = (s: string) => s.replace(/ /g, '\u00a0');
        assert.equal(formatMeetingId(123456789), spaced('123 456 789'));
        assert.equal(formatMeetingId('1234567890'), spaced('123 456 7890'));
        assert.equal(formatMeetingId(81234567890), spaced('812 3456 7890'));
        assert.equal(formatMeetingId('abc'), 'abc');
        assert.equal(formatMeetingId(undefined), '');
    });
});

describe('custom_zoom participants and attendees', () => {
    it('shows how many are in a started meeting and who', () => {
        const {intlErrors} = renderInHost(
            <ZoomPost post={started({meeting_participants_count: 3, meeting_participants: ['@alice', '@bob', 'Dana Guest']})}/>,
        );
        assert.ok(screen.getByText('3 people in the meeting'));
        assert.ok(screen.getByText('@alice, @bob, Dana Guest'));
        assert.deepEqual(intlErrors, []);
    });

    it('says "1 person", shows no line for nobody, and ignores junk', () => {
        renderInHost(<ZoomPost post={started({meeting_participants_count: 1, meeting_participants: ['@alice', 7, null]})}/>);
        assert.ok(screen.getByText('1 person in the meeting'));
        assert.ok(screen.getByText('@alice'));
    });

    it('shows nothing when nobody is in the meeting', () => {
        renderInHost(<ZoomPost post={started({meeting_participants_count: 0, meeting_participants: []})}/>);
        assert.equal(screen.queryByText(/in the meeting/), null);
    });

    it('caps the names and counts the rest', () => {
        const many = Array.from({length: 12}, (_, i) => `Guest ${i + 1}`);
        renderInHost(<ZoomPost post={started({meeting_participants_count: 60, meeting_participants: many})}/>);
        assert.ok(screen.getByText('60 people in the meeting'));
        assert.ok(screen.getByText(/^Guest 1, .*Guest 10 \+50 more$/));
    });

    it('lists attendees on an ended card, not live participants', () => {
        const {intlErrors} = renderInHost(
            <ZoomPost
                post={started({
                    meeting_status: 'ENDED',
                    meeting_end_time: START + (30 * 60000),
                    meeting_participants_count: 2,
                    meeting_participants: ['@zed'],
                    meeting_attendees: ['@alice', 'Dana Guest'],
                    meeting_attendees_count: 2,
                })}
            />,
        );
        assert.ok(screen.getByText('Attended by 2 people'));
        assert.ok(screen.getByText('@alice, Dana Guest'));
        assert.equal(screen.queryByText(/in the meeting/), null);
        assert.equal(screen.queryByText(/@zed/), null);
        assert.deepEqual(intlErrors, []);
    });
});
