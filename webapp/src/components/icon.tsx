import React from 'react';

// A video camera in the spirit of Zoom's: a rounded body and a lens wedge.
const BODY = 'M2 8a3 3 0 0 1 3-3h8a3 3 0 0 1 3 3v8a3 3 0 0 1-3 3H5a3 3 0 0 1-3-3z';
const LENS = 'M17.5 10.4 21 7.9c.7-.5 1.5 0 1.5.8v6.6c0 .8-.8 1.3-1.5.8l-3.5-2.5z';

/** The Zoom camera in the surrounding text colour. */
export function ZoomIcon({size = 16}: {size?: number}) {
    return (
        <svg
            width={size}
            height={size}
            viewBox='0 0 24 24'
            fill='currentColor'
            aria-hidden='true'
            focusable='false'
            style={{flex: 'none'}}
        >
            <path d={BODY}/>
            <path d={LENS}/>
        </svg>
    );
}

// The app bar takes an image URL: the same camera, white on Zoom blue, which
// reads on light and dark themes alike.
const APP_BAR_SVG = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'>" +
    "<rect width='32' height='32' rx='8' fill='%230B5CFF'/>" +
    `<g transform='translate(4 4)' fill='%23fff'><path d='${BODY}'/><path d='${LENS}'/></g></svg>`;

export const APP_BAR_ICON_URL = `data:image/svg+xml;utf8,${APP_BAR_SVG}`;
