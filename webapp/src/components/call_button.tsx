import React, {useSyncExternalStore} from 'react';
import {useSelector} from 'react-redux';

import {isAnyMeetingBusy, subscribeBusy} from '../actions';
import {useT} from '../i18n';
import {isDirectOrGroupChannel} from '../selectors';

import {ZoomIcon} from './icon';

// Mattermost's Call button (registry.registerCallButtonAction). The host owns the
// click: it wraps `button` (the only call plugin) or each menu item of
// `dropdownButton` (several call plugins) and calls the action with the channel.
// Zoom offers itself there in direct and group messages only; elsewhere the
// channel header button is the way in.

/** The Call button when Zoom is the only call plugin. */
export function CallButton() {
    const tr = useT();
    const shown = useSelector(isDirectOrGroupChannel);
    const busy = useSyncExternalStore(subscribeBusy, isAnyMeetingBusy);
    if (!shown) {
        return null;
    }
    return (
        <button
            type='button'
            className='zoom-call-button'
            aria-busy={busy}
            aria-label={tr('zoom.start')}
            title={tr('zoom.start')}
        >
            <ZoomIcon/>
            {tr('zoom.call.label')}
        </button>
    );
}

/** Zoom's entry in the Call button's menu when there are several call plugins. */
export function CallMenuOption() {
    const tr = useT();
    const shown = useSelector(isDirectOrGroupChannel);
    if (!shown) {
        return null;
    }
    return (
        <span className='zoom-call-option'>
            <ZoomIcon/>
            {tr('zoom.start')}
        </span>
    );
}
