import './setup';

import {fireEvent, screen, waitFor} from '@testing-library/react';
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import React from 'react';

import {ZoomPost} from '../src/components/zoom_post';

import {USER, baseState, json, makeStore, mockFetch, post, renderInHost} from './helpers';

// Thursday 2026-03-26 08:30 UTC: 09:30 in Berlin, 04:30 in New York.
const START = Date.UTC(2026, 2, 26, 8, 30);

const scheduled = (extra: Record<string, unknown> = {}) => {
    const p = post({
        meeting_id: 81234567890,
        meeting_link: 'https://zoom.us/j/81234567890?pwd=x',
        meeting_status: 'SCHEDULED',
        meeting_topic: 'Design review',
        meeting_start_time: START,
        meeting_duration: 45,
        meeting_timezone: 'Europe/Berlin',
        ...extra,
    });
    return p;
};

const readerIn = (zone: string, roles = 'system_user') => makeStore(baseState({
    entities: {
        ...baseState().entities,
        users: {currentUserId: USER, profiles: {[USER]: {id: USER, locale: 'en', roles,
            timezone: {useAutomaticTimezone: 'false', manualTimezone: zone, automaticTimezone: ''}}}},
    },
}));

describe('custom_zoom SCHEDULED', () => {
    it("shows the start in the reader's own time zone, the length and a Join link", () => {
        const {intlErrors} = renderInHost(<ZoomPost post={{...scheduled(), user_id: 'someoneelse'}}/>, readerIn('America/New_York'));
        assert.ok(screen.getByText('Design review'));
        assert.ok(screen.getByText(/^Starts Thu, Mar 26, 2026 at 4:30\sAM EDT$/));
        assert.ok(screen.getByText('Length: 45 minutes'));
        assert.equal(screen.getByRole('link', {name: /Join Meeting/}).getAttribute('href'), 'https://zoom.us/j/81234567890?pwd=x');
        assert.equal(screen.queryByRole('button'), null, 'only the creator and admins see Cancel');
        assert.deepEqual(intlErrors, []);
    });

    it('another reader sees their own zone; an unknown zone falls back to the browser (UTC here)', () => {
        renderInHost(<ZoomPost post={scheduled()}/>, readerIn('Europe/Berlin'));
        assert.ok(screen.getByText(/^Starts Thu, Mar 26, 2026 at 9:30\sAM GMT\+1$/));
        renderInHost(<ZoomPost post={scheduled()}/>, readerIn('Mars/Olympus'));
        assert.ok(screen.getByText(/at 8:30\sAM UTC$/));
    });

    it("the creator's Cancel presses the card's action", async () => {
        const calls = mockFetch(() => json(200, {}));
        renderInHost(<ZoomPost post={{...scheduled(), user_id: USER}}/>, readerIn('UTC'));
        fireEvent.click(screen.getByRole('button', {name: 'Cancel meeting'}));
        await waitFor(() => assert.equal(calls.length, 1));
        assert.match(calls[0].url, /^http:\/\/mm\.test\/api\/v4\/posts\/[a-z0-9]+\/actions\/zoomschedulecancel$/);
        assert.equal(calls[0].init.method, 'POST');
    });

    it('a cancelled card shows its message', () => {
        renderInHost(<ZoomPost post={{...scheduled({meeting_status: 'CANCELLED'}), message: 'Meeting cancelled: Design review'}}/>);
        assert.ok(screen.getByText('Meeting cancelled: Design review'));
        assert.equal(screen.queryByRole('button'), null);
    });
});
