import './setup';

import * as esbuild from 'esbuild';
import {JSDOM} from 'jsdom';
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {before, describe, it} from 'node:test';
import {pathToFileURL} from 'node:url';
import {gzipSync} from 'node:zlib';
import * as React from 'react';
import * as ReactIntl from 'react-intl';
import * as ReactRedux from 'react-redux';

/* eslint-disable @typescript-eslint/no-explicit-any */

// The production bundle, built in memory exactly as `npm run build` does.
let code = '';
let inputs: string[] = [];
before(async () => {
    // build.mjs is an ES module run by node; import it at run time, unbundled.
    const buildScript = pathToFileURL(join(__dirname, '..', 'build.mjs')).href;
    const {options} = await import(buildScript);
    const out = await esbuild.build({...options, write: false, metafile: true, logLevel: 'silent'});
    code = out.outputFiles?.[0]?.text ?? '';
    inputs = Object.keys(out.metafile?.inputs ?? {});
});

function load(globals: Record<string, unknown>) {
    const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', {url: 'http://mm.test/', runScripts: 'outside-only'});
    const win = dom.window as any;
    Object.assign(win, globals);
    const registered: [string, any][] = [];
    win.registerPlugin = (id: string, plugin: any) => registered.push([id, plugin]);
    win.eval(code);
    return {win, registered};
}

describe('production bundle', () => {
    it('fits the size budget', () => {
        assert.ok(code.length <= 35000, `${code.length} bytes minified`);
        assert.ok(gzipSync(code).length <= 12000, `${gzipSync(code).length} bytes gzipped`);
    });

    it('is built from our sources alone (@mattermost/types is types only)', () => {
        assert.ok(inputs.length > 0);
        assert.deepEqual(inputs.filter((f) => !f.startsWith('src/') && !f.startsWith('host-global:')), []);
    });

    it('bundles none of the host libraries', () => {
        for (const marker of ['react.production', 'Minified React error', 'IntlProvider', '@formatjs', 'useSyncExternalStoreWithSelector']) {
            assert.equal(code.includes(marker), false, marker);
        }
    });

    it('takes React, ReactIntl and ReactRedux from window and registers as "zoom"', () => {
        const {win, registered} = load({React, ReactIntl, ReactRedux});
        assert.equal(registered.length, 1);
        assert.equal(registered[0][0], 'zoom');

        const calls: string[] = [];
        const registry = new Proxy({}, {
            get: (_t, name: string) => (...args: any[]) => calls.push(`${name}:${typeof args[0] === 'string' ? args[0] : typeof args[0]}`),
        });
        registered[0][1].initialize(registry, {getState: () => ({}), dispatch: () => null});
        assert.ok(calls.includes('registerPostTypeComponent:custom_zoom'));
        assert.ok(calls.includes('registerPostTypeComponent:custom_zoom_transcript'));
        assert.ok(calls.includes('registerPostTypeComponent:custom_zoom_chat'));
        assert.ok(calls.includes('registerWebSocketEventHandler:custom_zoom_meeting_started'));
        assert.ok(calls.includes('registerChannelHeaderButtonAction:object'));
        assert.ok(calls.some((c) => c.startsWith('registerAppBarComponent:')));
        assert.ok(calls.includes('registerCallButtonAction:object'));
        assert.ok(calls.includes('registerTranslations:function'));
        assert.ok(win.document.getElementById('zoom-plugin-css'));
    });
});
