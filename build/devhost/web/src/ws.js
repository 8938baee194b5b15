// The Mattermost websocket: frames {event, data, broadcast, seq}. Reconnects with backoff.
// Authentication is the session cookie sent with the upgrade (same origin).
export function connectWebSocket({onFrame, onStatus}) {
    let socket = null;
    let stopped = false;
    let retries = 0;

    const open = () => {
        const url = `${window.location.origin.replace(/^http/, 'ws')}/api/v4/websocket`;
        socket = new WebSocket(url);
        socket.onopen = () => {
            retries = 0;
            onStatus(true);
        };
        socket.onmessage = (ev) => {
            let frame;
            try {
                frame = JSON.parse(ev.data);
            } catch {
                console.warn('devhost: websocket frame is not JSON', ev.data);
                return;
            }
            if (frame && typeof frame.event === 'string') {
                onFrame(frame);
            }
        };
        socket.onclose = () => {
            onStatus(false);
            if (!stopped) {
                setTimeout(open, Math.min(5000, 250 * (2 ** retries++)));
            }
        };
    };
    open();
    return {
        close() {
            stopped = true;
            socket?.close();
        },
    };
}

// data.post / data.dialog travel as JSON strings; accept objects too.
export function parseJSONField(value) {
    if (typeof value !== 'string') {
        return value || null;
    }
    try {
        return JSON.parse(value);
    } catch {
        return null;
    }
}
