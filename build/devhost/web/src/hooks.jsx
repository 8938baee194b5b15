import React, {createContext, useContext, useSyncExternalStore} from 'react';
import {useSelector} from 'react-redux';

import {darkTheme, lightTheme} from './theme';

export const RegistryContext = createContext(null);

// The plugin registry's collected items, re-rendering when the plugin registers more.
export function useRegistry() {
    const reg = useContext(RegistryContext);
    useSyncExternalStore(reg.subscribe, reg.getVersion);
    return reg.state();
}

export function useTheme() {
    return useSelector((s) => s.devhost.dark) ? darkTheme : lightTheme;
}

// Keeps a crashing plugin component from taking the page down, and says so.
export class PluginBoundary extends React.Component {
    constructor(props) {
        super(props);
        this.state = {error: null};
    }

    static getDerivedStateFromError(error) {
        return {error};
    }

    componentDidCatch(error) {
        console.error(`devhost: plugin component ${this.props.name} crashed`, error);
    }

    render() {
        if (this.state.error) {
            return (
                <div className='plugin-crash' role='alert'>
                    {`Plugin component ${this.props.name} crashed: ${this.state.error.message}`}
                </div>
            );
        }
        return this.props.children;
    }
}
