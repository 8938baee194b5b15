// HTTP to Mattermost (and to plugin routes behind it), as the webapp does it:
// session cookie, X-Requested-With, and the CSRF token from the MMCSRF cookie.

export class RequestError extends Error {
    /** 0 when the server could not be reached. */
    status: number;
    /** The server's own words, when it sent any. */
    detail: string;

    constructor(status: number, detail: string) {
        super(detail || `status ${status}`);
        this.status = status;
        this.detail = detail;
    }
}

function csrfToken(): string {
    const m = document.cookie.match(/(?:^|;\s*)MMCSRF=([^;]*)/);
    return m ? decodeURIComponent(m[1]) : '';
}

/** POSTs JSON; resolves to the decoded answer, rejects with a RequestError. */
export async function postJSON(url: string, body: unknown): Promise<Record<string, unknown>> {
    let res: Response;
    try {
        res = await fetch(url, {
            method: 'POST',
            credentials: 'include',
            headers: {
                'Content-Type': 'application/json',
                'X-Requested-With': 'XMLHttpRequest',
                'X-CSRF-Token': csrfToken(),
            },
            body: JSON.stringify(body),
        });
    } catch {
        throw new RequestError(0, '');
    }
    let data: Record<string, unknown> = {};
    try {
        const parsed: unknown = await res.json();
        if (parsed && typeof parsed === 'object') {
            data = parsed as Record<string, unknown>;
        }
    } catch {
        // an empty or non-JSON answer: judged by its status alone
    }
    const detail = data.error || (res.ok ? '' : data.message);
    if (!res.ok || detail) {
        throw new RequestError(res.status, typeof detail === 'string' ? detail : '');
    }
    return data;
}
