// Prints dist/main.js's size, minified and gzipped, against the budget.
import {readFileSync} from 'node:fs';
import {gzipSync} from 'node:zlib';

const MAX_MIN = 35000;
const MAX_GZIP = 12000;

const code = readFileSync(new URL('../dist/main.js', import.meta.url));
const gz = gzipSync(code, {level: 9}).length;
console.log(`dist/main.js: ${code.length} bytes minified (max ${MAX_MIN}), ${gz} bytes gzipped (max ${MAX_GZIP})`);
if (code.length > MAX_MIN || gz > MAX_GZIP) {
    console.error('bundle over budget');
    process.exit(1);
}
