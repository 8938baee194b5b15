// One small stylesheet, themed only through Mattermost's CSS variables so the
// cards follow light and dark themes. Injected once by the plugin.
export const CSS = `
.mzc{box-sizing:border-box;max-width:100%;margin:4px 0;padding:12px 16px;border:1px solid rgba(var(--center-channel-color-rgb),.16);border-radius:8px;background:var(--center-channel-bg);color:var(--center-channel-color);overflow-wrap:anywhere}
.mzc-h{display:flex;align-items:center;gap:8px;font-weight:600}
.mzc-h svg{color:var(--button-bg)}
.mzc-r{display:flex;flex-wrap:wrap;align-items:center;gap:0 8px;margin-top:4px;color:rgba(var(--center-channel-color-rgb),.72)}
.mzc-p{display:block;overflow-wrap:anywhere}
.mzc-t{padding:0 6px;border-radius:4px;background:rgba(var(--center-channel-color-rgb),.08);color:var(--center-channel-color);font-size:12px;white-space:nowrap}
.mzc-m{margin-top:4px;white-space:pre-wrap}
.mzc-a{display:flex;flex-wrap:wrap;gap:8px;margin-top:12px}
.mzc .mzc-b{display:inline-flex;align-items:center;gap:6px;max-width:100%;padding:8px 16px;border:0;border-radius:4px;background:var(--button-bg);color:var(--button-color);font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
.mzc .mzc-b:hover,.mzc .mzc-b:focus{color:var(--button-color);text-decoration:none}
.mzc .mzc-b2,.mzc .mzc-b2:hover,.mzc .mzc-b2:focus{background:rgba(var(--button-bg-rgb),.08);color:var(--button-bg)}
.mzc .mzc-b:focus-visible{outline:2px solid var(--link-color);outline-offset:2px}
.mzc .mzc-b:disabled{opacity:.6;cursor:default}
.mzc a{color:var(--link-color)}
`.replace(/\n/g, '');

export function injectStyles(doc: Document = document) {
    if (!doc.getElementById('zoom-plugin-css')) {
        const el = doc.createElement('style');
        el.id = 'zoom-plugin-css';
        el.textContent = CSS;
        doc.head.appendChild(el);
    }
}
