import React from 'react';

import {handleMeetingStarted, startFromAppBar, startFromHeader} from './actions';
import {ChatPost, TranscriptPost} from './components/artifact_post';
import {CallButton, CallMenuOption} from './components/call_button';
import {HeaderIcon} from './components/header_icon';
import {SummaryPost} from './components/summary_post';
import {APP_BAR_ICON_URL} from './components/icon';
import {ZoomPost} from './components/zoom_post';
import {getTranslations, t} from './i18n';
import {getLocale} from './selectors';
import {injectStyles} from './styles';
import type {Channel, ChannelMembership, Store} from './types';

type ChannelAction = (channel?: Channel, member?: ChannelMembership) => void;

/* eslint-disable @typescript-eslint/no-explicit-any */
/** The part of Mattermost's plugin registry we use (docs/CONTRACTS.md). */
export interface Registry {
    registerChannelHeaderButtonAction(icon: React.ReactNode, action: ChannelAction, dropdownText: string, tooltipText: string): unknown;
    registerAppBarComponent?(iconUrl: string, action: ChannelAction, tooltipText: string): unknown;
    registerCallButtonAction?(button: React.ReactNode, dropdownButton: React.ReactNode, action: ChannelAction): unknown;
    registerPostTypeComponent(type: string, component: React.ComponentType<any>): unknown;
    registerWebSocketEventHandler(event: string, handler: (msg: any) => void): unknown;
    registerTranslations?(getTranslationsForLocale: (locale: string) => Record<string, string>): unknown;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export class Plugin {
    initialize(registry: Registry, store: Store) {
        injectStyles();
        const label = t('zoom.start', {}, getLocale(store.getState()));

        registry.registerChannelHeaderButtonAction(
            <HeaderIcon/>,
            (channel) => {
                void startFromHeader(store, channel);
            },
            label,
            label,
        );
        if (typeof registry.registerAppBarComponent === 'function') {
            registry.registerAppBarComponent(
                APP_BAR_ICON_URL,
                (channel) => {
                    void startFromAppBar(store, channel);
                },
                label,
            );
        }

        // Mattermost's Call button (direct and group messages); servers without it show none.
        if (typeof registry.registerCallButtonAction === 'function') {
            registry.registerCallButtonAction(
                <CallButton/>,
                <CallMenuOption/>,
                (channel) => {
                    void startFromHeader(store, channel);
                },
            );
        }

        registry.registerPostTypeComponent('custom_zoom', ZoomPost);
        registry.registerPostTypeComponent('custom_zoom_transcript', TranscriptPost);
        registry.registerPostTypeComponent('custom_zoom_chat', ChatPost);
        registry.registerPostTypeComponent('custom_zoom_summary', SummaryPost);

        registry.registerWebSocketEventHandler('custom_zoom_meeting_started', handleMeetingStarted);

        if (typeof registry.registerTranslations === 'function') {
            registry.registerTranslations(getTranslations);
        }
    }
}
