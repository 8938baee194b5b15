// A very small Markdown renderer for post messages and attachment text: paragraphs,
// line breaks, headings, bullet lists, tables, code fences, and inline `code`,
// **bold**, *italic*/_italic_, [links](url), <url> and bare URLs. Never uses innerHTML.
import React from 'react';

const INLINE = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\[[^\]]+\]\([^)\s]+\))|(<https?:\/\/[^>\s]+>)|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"])|(\*[^*\s][^*]*\*)|(\b_[^_\s][^_]*_\b)/g;

function safeHref(url) {
    return /^(https?:|mailto:|\/)/i.test(url) ? url : '#';
}

function Link({href, children}) {
    return <a href={safeHref(href)} target='_blank' rel='noopener noreferrer'>{children}</a>;
}

export function inline(text, keyPrefix = 'i') {
    const out = [];
    let last = 0;
    let n = 0;
    for (const m of text.matchAll(INLINE)) {
        if (m.index > last) {
            out.push(text.slice(last, m.index));
        }
        const t = m[0];
        const key = `${keyPrefix}${n++}`;
        if (m[1]) {
            out.push(<code key={key}>{t.slice(1, -1)}</code>);
        } else if (m[2]) {
            out.push(<strong key={key}>{inline(t.slice(2, -2), key)}</strong>);
        } else if (m[3]) {
            const mm = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(t);
            out.push(<Link key={key} href={mm[2]}>{inline(mm[1], key)}</Link>);
        } else if (m[4]) {
            out.push(<Link key={key} href={t.slice(1, -1)}>{t.slice(1, -1)}</Link>);
        } else if (m[5]) {
            out.push(<Link key={key} href={t}>{t}</Link>);
        } else {
            out.push(<em key={key}>{inline(t.slice(1, -1), key)}</em>);
        }
        last = m.index + t.length;
    }
    if (last < text.length) {
        out.push(text.slice(last));
    }
    return out;
}

const splitRow = (line) => line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());

export function Markdown({text, className}) {
    if (!text) {
        return null;
    }
    const lines = String(text).split('\n');
    const blocks = [];
    let i = 0;
    while (i < lines.length) {
        const line = lines[i];
        const key = `b${i}`;
        if (/^```/.test(line)) {
            const body = [];
            i++;
            while (i < lines.length && !/^```/.test(lines[i])) {
                body.push(lines[i++]);
            }
            i++;
            blocks.push(<pre key={key}><code>{body.join('\n')}</code></pre>);
        } else if (/^\s*\|/.test(line)) {
            const rows = [];
            while (i < lines.length && /^\s*\|/.test(lines[i])) {
                if (!/^\s*\|?\s*:?-{2,}/.test(lines[i])) {
                    rows.push(splitRow(lines[i]));
                }
                i++;
            }
            const [head, ...body] = rows;
            blocks.push(
                <table key={key} className='md-table'>
                    <thead><tr>{head.map((c, j) => <th key={j}>{inline(c)}</th>)}</tr></thead>
                    <tbody>{body.map((r, k) => <tr key={k}>{r.map((c, j) => <td key={j}>{inline(c)}</td>)}</tr>)}</tbody>
                </table>,
            );
        } else if (/^#{1,6}\s/.test(line)) {
            const level = /^#+/.exec(line)[0].length;
            blocks.push(React.createElement(`h${level}`, {key, className: 'md-h'}, inline(line.replace(/^#+\s*/, ''))));
            i++;
        } else if (/^\s*[-*+]\s/.test(line)) {
            const items = [];
            while (i < lines.length && /^\s*[-*+]\s/.test(lines[i])) {
                items.push(lines[i++].replace(/^\s*[-*+]\s/, ''));
            }
            blocks.push(<ul key={key}>{items.map((it, j) => <li key={j}>{inline(it)}</li>)}</ul>);
        } else if (line.trim() === '') {
            i++;
        } else {
            const para = [];
            while (i < lines.length && lines[i].trim() !== '' && !/^(```|\s*\||#{1,6}\s|\s*[-*+]\s)/.test(lines[i])) {
                para.push(lines[i++]);
            }
            blocks.push(
                <p key={key}>
                    {para.map((l, j) => <React.Fragment key={j}>{j > 0 && <br/>}{inline(l, `${key}-${j}-`)}</React.Fragment>)}
                </p>,
            );
        }
    }
    return <div className={className || 'md'}>{blocks}</div>;
}
