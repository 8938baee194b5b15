// A browser-like global environment for component tests: a jsdom window whose
// globals (document, HTMLElement…) are visible to React and Testing Library.
// Imported first by every test file.
import {JSDOM} from 'jsdom';
import {afterEach} from 'node:test';

const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', {
    url: 'http://localhost:8065/',
    pretendToBeVisual: true,
});

const g = globalThis as Record<string, unknown>;
g.window = dom.window;
g.document = dom.window.document;
for (const key of Object.getOwnPropertyNames(dom.window)) {
    if (!(key in g)) {
        g[key] = (dom.window as unknown as Record<string, unknown>)[key];
    }
}
g.IS_REACT_ACT_ENVIRONMENT = true;
process.env.TZ = 'UTC';

// Testing Library unmounts after each test when it finds a global afterEach.
g.afterEach = afterEach;
