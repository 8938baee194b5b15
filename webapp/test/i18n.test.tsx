import './setup';

import assert from 'node:assert/strict';
import {readFileSync, readdirSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {describe, it} from 'node:test';

import en from '../src/i18n/en.json';
import {getTranslations, t} from '../src/i18n';

const SRC = join(__dirname, '..', 'src');

function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
            return sources(path);
        }
        return /\.tsx?$/.test(name) ? [path] : [];
    });
}

// Every message id is a string literal starting with "zoom." (see src/i18n).
function usedIds(): Map<string, string> {
    const used = new Map<string, string>();
    for (const file of sources(SRC)) {
        for (const m of readFileSync(file, 'utf8').matchAll(/['"`](zoom\.[\w.]+)['"`]/g)) {
            used.set(m[1], file);
        }
    }
    return used;
}

describe('strings', () => {
    it('every id a component uses is in en.json', () => {
        const missing = [...usedIds()].filter(([id]) => !(id in en)).map(([id, file]) => `${id} (${file})`);
        assert.deepEqual(missing, []);
    });

    it('every id in en.json is used', () => {
        const used = usedIds();
        assert.deepEqual(Object.keys(en).filter((id) => !used.has(id)), []);
    });

    it('en.json is a flat map of strings', () => {
        for (const [id, text] of Object.entries(en)) {
            assert.equal(typeof text, 'string', id);
            assert.ok(text.trim(), id);
        }
    });

    it('a locale without a file falls back to English', () => {
        assert.equal(getTranslations('de'), en);
        assert.equal(getTranslations('en-US'), en);
        assert.equal(getTranslations(undefined), en);
    });

    it('t() fills placeholders', () => {
        assert.equal(t('zoom.error.start', {error: 'boom'}), 'Could not start a Zoom meeting: boom');
        assert.equal(t('zoom.error.status', {status: 500}, 'fr'), 'the server answered with status 500. Try again in a moment.');
    });
});
