// One small stylesheet, themed only through Mattermost's CSS variables so the
// cards follow light and dark themes. Injected once by the plugin.
export const CSS = `
.zoom-card{box-sizing:border-box;max-width:100%;margin:4px 0;padding:12px 16px;border:1px solid rgba(var(--center-channel-color-rgb),.16);border-radius:8px;background:var(--center-channel-bg);color:var(--center-channel-color);overflow-wrap:anywhere}
.zoom-card__header{display:flex;align-items:center;gap:8px;font-weight:600}
.zoom-card__header svg{color:var(--button-bg)}
.zoom-card__row{display:flex;flex-wrap:wrap;align-items:center;gap:0 8px;margin-top:4px;color:rgba(var(--center-channel-color-rgb),.72)}
.zoom-card__people{display:block;overflow-wrap:anywhere}
.zoom-card__tag{padding:0 6px;border-radius:4px;background:rgba(var(--center-channel-color-rgb),.08);color:var(--center-channel-color);font-size:12px;white-space:nowrap}
.zoom-card__message{margin-top:4px;white-space:pre-wrap}
.zoom-card__actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:12px}
.zoom-card .zoom-card__button{display:inline-flex;align-items:center;gap:6px;max-width:100%;padding:8px 16px;border:0;border-radius:4px;background:var(--button-bg);color:var(--button-color);font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
.zoom-card .zoom-card__button:hover,.zoom-card .zoom-card__button:focus{color:var(--button-color);text-decoration:none}
.zoom-card .zoom-card__button--secondary,.zoom-card .zoom-card__button--secondary:hover,.zoom-card .zoom-card__button--secondary:focus{background:rgba(var(--button-bg-rgb),.08);color:var(--button-bg)}
.zoom-card .zoom-card__button:focus-visible{outline:2px solid var(--link-color);outline-offset:2px}
.zoom-card .zoom-card__button:disabled{opacity:.6;cursor:default}
.zoom-card a{color:var(--link-color)}
.zoom-card__summary-title{margin-top:8px;font-weight:600}
.zoom-card__section h4{margin:12px 0 2px;font-size:14px;font-weight:600}
.zoom-card__section p{margin:0}
.zoom-card__message{margin-bottom:0}
.zoom-card__steps{margin:4px 0 0;padding:0;list-style:none}
.zoom-card__steps li{display:flex;gap:8px;align-items:baseline}
.zoom-call-button{display:inline-flex;align-items:center;gap:6px;height:32px;padding:0 12px;border:0;border-radius:4px;background:rgba(var(--button-bg-rgb),.08);color:var(--button-bg);font:inherit;font-size:14px;font-weight:600;white-space:nowrap;cursor:pointer}
.zoom-call-button:hover{background:rgba(var(--button-bg-rgb),.16)}
.zoom-call-button[aria-busy=true]{opacity:.6}
.zoom-call-option{display:flex;align-items:center;gap:8px}
`.replace(/\n/g, '');

export function injectStyles(doc: Document = document) {
    if (!doc.getElementById('zoom-plugin-css')) {
        const el = doc.createElement('style');
        el.id = 'zoom-plugin-css';
        el.textContent = CSS;
        doc.head.appendChild(el);
    }
}
