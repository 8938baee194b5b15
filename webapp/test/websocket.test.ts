import './setup';

import assert from 'node:assert/strict';
import {beforeEach, describe, it} from 'node:test';

import {handleMeetingStarted, isWebURL} from '../src/actions';

describe('custom_zoom_meeting_started', () => {
    let opened: unknown[][];
    beforeEach(() => {
        opened = [];
        window.open = ((...args: unknown[]) => {
            opened.push(args);
            return null;
        }) as typeof window.open;
    });

    const event = (meetingURL: unknown) => ({event: 'custom_zoom_meeting_started', data: {meeting_url: meetingURL}, broadcast: {}});

    it('opens an https meeting URL in a new tab without an opener', () => {
        handleMeetingStarted(event('https://zoom.us/j/81234567890?pwd=abc'));
        assert.deepEqual(opened, [['https://zoom.us/j/81234567890?pwd=abc', '_blank', 'noopener']]);
    });

    it('opens an http URL (an on-premise Zoom)', () => {
        handleMeetingStarted(event('http://zoom.internal/j/1'));
        assert.equal(opened.length, 1);
    });

    for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,<script>1</script>', '/relative/path', 'zoommtg://zoom.us/join', '', 42, null, undefined]) {
        it(`ignores ${JSON.stringify(bad) ?? 'undefined'}`, () => {
            handleMeetingStarted(event(bad));
            assert.deepEqual(opened, []);
        });
    }

    it('ignores a frame without data', () => {
        handleMeetingStarted({} as never);
        assert.deepEqual(opened, []);
    });

    it('isWebURL accepts only absolute http(s)', () => {
        assert.equal(isWebURL('https://a.b/'), true);
        assert.equal(isWebURL(' https://a.b/'), true);
        assert.equal(isWebURL('ftp://a.b/'), false);
    });
});
