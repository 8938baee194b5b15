// The little of jsdom the tests use (its full typings pull in a tree of @types).
declare module 'jsdom' {
    export class JSDOM {
        constructor(html?: string, options?: Record<string, unknown>);
        window: Window & typeof globalThis;
    }
}
