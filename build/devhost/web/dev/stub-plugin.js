// A stand-in for webapp/dist/main.js while the real bundle does not exist: an IIFE that
// uses only the window globals and the registry/store calls of docs/CONTRACTS.md, so
// the page can be developed and checked in Chromium against dev/mock-server.mjs.
(function () {
    'use strict';
    const React = window.React;
    const h = React.createElement;

    function cookie(name) {
        const m = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
        return m ? decodeURIComponent(m.slice(name.length + 1)) : '';
    }

    function ephemeral(store, channelId, message) {
        const s = store.getState();
        store.dispatch({type: 'RECEIVED_NEW_POST', data: {
            id: Math.random().toString(36).slice(2), type: 'system_ephemeral', user_id: s.entities.users.currentUserId,
            channel_id: channelId, message, create_at: Date.now(), props: {},
        }});
    }

    async function startMeeting(store, channelId, rootId, topic, force) {
        const s = store.getState();
        const site = s.entities.general.config.SiteURL || window.location.origin;
        const res = await fetch(`${site}/plugins/zoom/api/v1/meetings${force ? '?force=true' : ''}`, {
            method: 'POST',
            credentials: 'include',
            headers: {'X-Requested-With': 'XMLHttpRequest', 'X-CSRF-Token': cookie('MMCSRF'), 'Content-Type': 'application/json'},
            body: JSON.stringify({channel_id: channelId, root_id: rootId || '', topic: topic || '', use_pmi: '', connection_id: s.websocket.connectionId}),
        });
        const data = await res.json().catch(() => ({}));
        if (!res.ok) {
            ephemeral(store, channelId, data.error || `Could not start a meeting (HTTP ${res.status})`);
        }
    }

    const ZoomIcon = () => h('svg', {width: 20, height: 20, viewBox: '0 0 24 24', 'aria-hidden': true},
        h('path', {fill: 'currentColor', d: 'M3 6h11a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H3a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1zm14 4 5-3v10l-5-3z'}));

    function makeCard(store) {
        return function MeetingCard({post, theme}) {
            const p = post.props || {};
            const box = {border: `1px solid ${theme.centerChannelColor}33`, borderRadius: 4, padding: 12, maxWidth: 480};
            const btn = {background: theme.buttonBg, color: theme.buttonColor, padding: '6px 14px', borderRadius: 4, textDecoration: 'none', fontWeight: 600, display: 'inline-block', marginTop: 8};
            if (p.meeting_status === 'ENDED') {
                const mins = p.meeting_end_time ? Math.max(1, Math.round((p.meeting_end_time - (p.meeting_start_time || post.create_at)) / 60000)) : '?';
                return h('div', {style: box, className: 'stub-zoom-card'},
                    h('strong', null, 'The meeting has ended'),
                    h('div', null, `${new Date(post.create_at).toLocaleDateString()} · ${mins} min`),
                    h('div', {style: {opacity: 0.7}}, `Meeting ID: ${p.meeting_id}`));
            }
            if (p.meeting_status === 'RECENTLY_CREATED') {
                return h('div', {style: box},
                    h('div', null, `${p.meeting_creator_username} already started a meeting here.`),
                    h('a', {href: p.meeting_link, target: '_blank', style: btn}, 'Join existing'), ' ',
                    h('button', {style: btn, onClick: () => startMeeting(store, post.channel_id, post.root_id, p.meeting_topic, true)}, 'Create new'));
            }
            return h('div', {style: box, className: 'stub-zoom-card'},
                h('strong', null, p.meeting_topic || 'Zoom Meeting'),
                h('div', {style: {opacity: 0.7}}, `Meeting ID: ${p.meeting_id}${p.meeting_personal ? ' (personal)' : ''}`),
                h('a', {href: p.meeting_link, target: '_blank', rel: 'noopener noreferrer', style: btn}, 'Join Meeting'));
        };
    }

    function FileReply({post}) {
        return h('div', null, post.message);
    }

    class Plugin {
        async initialize(registry, store) {
            registry.registerChannelHeaderButtonAction(h(ZoomIcon), (channel) => startMeeting(store, channel.id, '', ''), 'Zoom', 'Start Zoom Meeting');
            if (registry.registerAppBarComponent) {
                registry.registerAppBarComponent('/plugins/zoom/public/app-bar-icon.png', (channel) => startMeeting(store, channel.id, '', ''), 'Start Zoom Meeting');
            }
            registry.registerPostTypeComponent('custom_zoom', makeCard(store));
            registry.registerPostTypeComponent('custom_zoom_chat', FileReply);
            registry.registerPostTypeComponent('custom_zoom_transcript', FileReply);
            registry.registerWebSocketEventHandler('custom_zoom_meeting_started', (msg) => {
                window.open(msg.data.meeting_url, '_blank');
            });
            registry.registerTranslations?.(() => ({}));
            registry.registerRootComponent(() => null); // no-op in the devhost; must not throw
        }
    }
    window.registerPlugin('zoom', new Plugin());
}());
