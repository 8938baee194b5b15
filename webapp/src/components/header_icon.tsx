import React, {useSyncExternalStore} from 'react';

import {isAnyMeetingBusy, subscribeBusy} from '../actions';

import {ZoomIcon} from './icon';

/**
 * The channel header button's icon. The host owns the button itself, so while
 * a meeting request is in flight the icon dims (the action ignores repeats).
 */
export function HeaderIcon() {
    const busy = useSyncExternalStore(subscribeBusy, isAnyMeetingBusy);
    return (
        <span
            aria-busy={busy}
            style={{display: 'inline-flex', opacity: busy ? 0.5 : 1}}
        >
            <ZoomIcon size={18}/>
        </span>
    );
}
