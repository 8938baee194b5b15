// HTTP to the devhost, the way the Mattermost webapp does it: cookies, and on every
// non-GET request X-Requested-With plus X-CSRF-Token from the MMCSRF cookie.

export function getCookie(name) {
    for (const part of document.cookie.split(';')) {
        const [k, ...v] = part.trim().split('=');
        if (k === name) {
            return decodeURIComponent(v.join('='));
        }
    }
    return '';
}

// request returns {ok, status, data} and never throws for an HTTP error status.
export async function request(method, path, body) {
    const headers = {'X-Requested-With': 'XMLHttpRequest'};
    if (method !== 'GET') {
        headers['X-CSRF-Token'] = getCookie('MMCSRF');
    }
    if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
    }
    const res = await fetch(path, {
        method,
        headers,
        credentials: 'include',
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let data = text;
    try {
        data = text ? JSON.parse(text) : null;
    } catch {
        // not JSON: keep the text
    }
    return {ok: res.ok, status: res.status, data};
}

// api is request that throws an Error carrying the server's message on a non-2xx status.
export async function api(method, path, body) {
    const res = await request(method, path, body);
    if (!res.ok) {
        const d = res.data;
        const msg = (d && typeof d === 'object' && (d.message || d.error || d.detailed_error)) ||
            (typeof d === 'string' && d.trim()) || '';
        const err = new Error(`${method} ${path}: HTTP ${res.status}${msg ? `: ${msg}` : ''}`);
        err.status = res.status;
        err.data = d;
        throw err;
    }
    return res.data;
}

export function randomId() {
    const abc = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    for (let i = 0; i < 26; i++) {
        s += abc[Math.floor(Math.random() * abc.length)];
    }
    return s;
}
