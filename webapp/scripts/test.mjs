// Component tests: esbuild compiles test/*.test.ts(x) (packages stay external,
// so the tests use the real React from node_modules), then node's test runner
// runs them, each file in its own process.
import {spawnSync} from 'node:child_process';
import {readdirSync, rmSync} from 'node:fs';

import * as esbuild from 'esbuild';

const OUT = '.test-build';
const only = process.argv.slice(2);
const entries = readdirSync('test')
    .filter((f) => /\.test\.tsx?$/.test(f))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .map((f) => `test/${f}`);

rmSync(OUT, {recursive: true, force: true});
await esbuild.build({
    entryPoints: entries,
    outdir: OUT,
    outExtension: {'.js': '.cjs'},
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    jsx: 'transform',
    sourcemap: 'inline',
    logLevel: 'warning',
});

const files = entries.map((e) => `${OUT}/${e.slice('test/'.length).replace(/\.tsx?$/, '.cjs')}`);
const run = spawnSync(process.execPath, ['--enable-source-maps', '--test', ...files], {stdio: 'inherit'});
process.exit(run.status ?? 1);
