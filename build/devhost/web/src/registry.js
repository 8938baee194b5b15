// The plugin registry handed to plugin.initialize(registry, store): the few methods our
// plugin uses, as Mattermost's (positional arguments or one options object, each
// returning an id), and every other register*/unregister* as a no-op through a Proxy.
import React from 'react';

// One registry per plugin; what it collected is read by the page's components, which
// re-render through subscribe/getVersion (useSyncExternalStore).
export function createRegistry(pluginId, store) {
    const state = {
        headerButtons: [], // {id, icon, action, dropdownText, tooltipText}
        appBar: [], // {id, iconUrl, action, tooltipText}
        callButtons: [], // {id, button, dropdownButton, action}
        postTypes: {}, // type -> {id, component}
        wsHandlers: {}, // event -> [{id, handler}]
        translations: [], // fn(locale) -> {id: text}
        ignored: [], // names of no-op calls, for the page's diagnostics
    };
    let version = 0;
    const listeners = new Set();
    const changed = () => {
        version++;
        listeners.forEach((l) => l());
    };
    let seq = 0;
    const newId = () => `${pluginId}_${++seq}`;
    const isOptions = (args) => args.length === 1 && args[0] !== null && typeof args[0] === 'object' &&
        !React.isValidElement(args[0]);
    // Mattermost takes a React element or a component type (rendered without props).
    const isComponentType = (e) => typeof e === 'function' || (e !== null && typeof e === 'object' && '$$typeof' in e && !React.isValidElement(e));
    const asElement = (e) => (isComponentType(e) ? React.createElement(e) : e);

    const methods = {
        registerChannelHeaderButtonAction(...args) {
            const o = isOptions(args) ? args[0] : {icon: args[0], action: args[1], dropdownText: args[2], tooltipText: args[3]};
            const id = newId();
            state.headerButtons = [...state.headerButtons, {id, icon: o.icon, action: o.action, dropdownText: o.dropdownText, tooltipText: o.tooltipText}];
            changed();
            return id;
        },
        registerAppBarComponent(...args) {
            const o = isOptions(args) ? args[0] : {iconUrl: args[0], action: args[1], tooltipText: args[2]};
            const id = newId();
            state.appBar = [...state.appBar, {id, iconUrl: o.iconUrl, action: o.action, tooltipText: o.tooltipText}];
            changed();
            return id;
        },
        // Mattermost's Call button (minimum server 6.5): `button` alone when one plugin
        // registered, else a menu of every `dropdownButton`; a click calls
        // action(channel, channelMember).
        registerCallButtonAction(...args) {
            const o = isOptions(args) ? args[0] : {button: args[0], dropdownButton: args[1], action: args[2]};
            const id = newId();
            state.callButtons = [...state.callButtons, {id, button: asElement(o.button), dropdownButton: asElement(o.dropdownButton), action: o.action}];
            changed();
            return id;
        },
        registerPostTypeComponent(...args) {
            const o = isOptions(args) ? args[0] : {type: args[0], component: args[1]};
            const id = newId();
            state.postTypes = {...state.postTypes, [o.type]: {id, component: o.component}};
            changed();
            return id;
        },
        registerWebSocketEventHandler(event, handler) {
            const id = newId();
            const list = state.wsHandlers[event] || [];
            state.wsHandlers = {...state.wsHandlers, [event]: [...list, {id, handler}]};
            changed();
            return id;
        },
        unregisterWebSocketEventHandler(event) {
            const next = {...state.wsHandlers};
            delete next[event];
            state.wsHandlers = next;
            changed();
        },
        registerTranslations(fn) {
            state.translations = [...state.translations, fn];
            changed();
            return newId();
        },
        registerReducer(reducer) {
            store.addPluginReducer(pluginId, reducer);
            return newId();
        },
        unregisterComponent(id) {
            state.headerButtons = state.headerButtons.filter((b) => b.id !== id);
            state.appBar = state.appBar.filter((b) => b.id !== id);
            state.callButtons = state.callButtons.filter((b) => b.id !== id);
            changed();
        },
        unregisterPostTypeComponent(id) {
            const next = {};
            for (const [type, entry] of Object.entries(state.postTypes)) {
                if (entry.id !== id) {
                    next[type] = entry;
                }
            }
            state.postTypes = next;
            changed();
        },
    };

    const registry = new Proxy(methods, {
        get(target, name) {
            if (name in target) {
                return target[name];
            }
            // Anything else Mattermost offers (registerRootComponent, registerRightHandSidebarComponent, ...)
            // is accepted and ignored. Only register*/unregister*: the registry must not look
            // like a thenable or an iterable.
            if (typeof name === 'string' && /^(un)?register[A-Z]/.test(name)) {
                return (...args) => {
                    state.ignored = [...state.ignored, name];
                    console.info(`devhost: registry.${name} is not implemented here; ignored`, args);
                    return newId();
                };
            }
            return undefined;
        },
    });

    return {
        registry,
        state: () => state,
        getVersion: () => version,
        subscribe(fn) {
            listeners.add(fn);
            return () => listeners.delete(fn);
        },
    };
}
