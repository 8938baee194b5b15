import React from 'react';

import {useT} from '../i18n';
import type {PostProps} from '../types';

import {CardHeader} from './card';

interface Section {
    label: string;
    summary: string;
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** Sections from the post's props, keeping only well-formed ones: props come from the server but are read defensively. */
function sections(v: unknown): Section[] {
    if (!Array.isArray(v)) {
        return [];
    }
    return v.flatMap((s) => (s && typeof s === 'object' ? [{label: text(s.label), summary: text(s.summary)}] : []));
}

function strings(v: unknown): string[] {
    return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s !== '') : [];
}

/**
 * Renderer for `custom_zoom_summary`: Zoom's AI Companion summary of a meeting. The
 * text comes from Zoom, so it is shown as text, never as markdown or HTML.
 */
export function SummaryPost({post}: PostProps) {
    const tr = useT();
    const props = post.props ?? {};
    const title = text(props.summary_title);
    const overview = text(props.summary_overview);
    const details = sections(props.summary_details);
    const steps = strings(props.summary_next_steps);
    return (
        <div
            className='zoom-card'
            role='group'
            aria-label={tr('zoom.summary.title')}
        >
            <CardHeader title={tr('zoom.summary.title')}/>
            {title && <div className='zoom-card__summary-title'>{title}</div>}
            {overview && <p className='zoom-card__message'>{overview}</p>}
            {details.map((d, i) => (
                <section
                    key={i}
                    className='zoom-card__section'
                >
                    {d.label && <h4>{d.label}</h4>}
                    <p>{d.summary}</p>
                </section>
            ))}
            {steps.length > 0 && (
                <section className='zoom-card__section'>
                    <h4>{tr('zoom.summary.nextSteps')}</h4>
                    <ul className='zoom-card__steps'>
                        {steps.map((s, i) => (
                            <li key={i}>
                                <input
                                    type='checkbox'
                                    disabled={true}
                                    aria-label={s}
                                />
                                <span>{s}</span>
                            </li>
                        ))}
                    </ul>
                </section>
            )}
        </div>
    );
}
