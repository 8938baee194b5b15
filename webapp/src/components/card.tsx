import React from 'react';

import {useT} from '../i18n';

import {ZoomIcon} from './icon';

/** The Zoom icon and a title: the first line of every card the plugin renders. */
export function CardHeader({title}: {title: string}) {
    return (
        <div className='zoom-card__header'>
            <ZoomIcon size={20}/>
            <span>{title}</span>
        </div>
    );
}

/** A card's Join button: opens the meeting's join URL in a new tab. */
export function JoinLink({link, topic}: {link: string; topic: string}) {
    const tr = useT();
    return (
        <a
            className='zoom-card__button'
            href={link}
            target='_blank'
            rel='noopener noreferrer'
            aria-label={tr('zoom.card.joinLabel', {topic})}
        >
            <ZoomIcon/>
            {tr('zoom.card.join')}
        </a>
    );
}
