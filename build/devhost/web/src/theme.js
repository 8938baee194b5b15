// Mattermost-like themes. The theme object (camelCase keys, as Mattermost's) is what
// plugin post components get as `theme`; the same values become CSS variables on :root
// (--center-channel-bg, --center-channel-color-rgb, ...) as the real webapp sets them.

export const lightTheme = {
    type: 'Denim',
    sidebarBg: '#1e325c',
    sidebarText: '#ffffff',
    sidebarUnreadText: '#ffffff',
    sidebarTextHoverBg: '#28427b',
    sidebarTextActiveBorder: '#5d89ea',
    sidebarTextActiveColor: '#ffffff',
    sidebarHeaderBg: '#192a4d',
    sidebarHeaderTextColor: '#ffffff',
    sidebarTeamBarBg: '#14213e',
    onlineIndicator: '#3db887',
    awayIndicator: '#ffbc1f',
    dndIndicator: '#d24b4e',
    mentionBg: '#ffffff',
    mentionColor: '#1e325c',
    centerChannelBg: '#ffffff',
    centerChannelColor: '#3f4350',
    newMessageSeparator: '#cc8f00',
    linkColor: '#386fe5',
    buttonBg: '#1c58d9',
    buttonColor: '#ffffff',
    errorTextColor: '#d24b4e',
    mentionHighlightBg: '#ffd470',
    mentionHighlightLink: '#1b1d22',
    codeTheme: 'github',
};

export const darkTheme = {
    type: 'Onyx',
    sidebarBg: '#202228',
    sidebarText: '#ffffff',
    sidebarUnreadText: '#ffffff',
    sidebarTextHoverBg: '#2a2d33',
    sidebarTextActiveBorder: '#4a7ce8',
    sidebarTextActiveColor: '#ffffff',
    sidebarHeaderBg: '#24272d',
    sidebarHeaderTextColor: '#ffffff',
    sidebarTeamBarBg: '#121317',
    onlineIndicator: '#3db887',
    awayIndicator: '#f5ab00',
    dndIndicator: '#d24b4e',
    mentionBg: '#4b7ce8',
    mentionColor: '#ffffff',
    centerChannelBg: '#191b1f',
    centerChannelColor: '#e3e4e8',
    newMessageSeparator: '#1370ff',
    linkColor: '#5d89ea',
    buttonBg: '#4a7ce8',
    buttonColor: '#ffffff',
    errorTextColor: '#da6c6e',
    mentionHighlightBg: '#0d6e6e',
    mentionHighlightLink: '#a4f4f4',
    codeTheme: 'monokai',
};

function kebab(key) {
    return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function hexToRgb(hex) {
    const m = /^#([0-9a-f]{6})$/i.exec(hex);
    if (!m) {
        return null;
    }
    const n = parseInt(m[1], 16);
    return `${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}`;
}

export function themeVariables(theme) {
    const vars = {};
    for (const [key, value] of Object.entries(theme)) {
        if (typeof value !== 'string' || !value.startsWith('#')) {
            continue;
        }
        vars[`--${kebab(key)}`] = value;
        const rgb = hexToRgb(value);
        if (rgb) {
            vars[`--${kebab(key)}-rgb`] = rgb;
        }
    }
    // Mattermost's own names for these two.
    vars['--error-text'] = theme.errorTextColor;
    vars['--error-text-color-rgb'] = hexToRgb(theme.errorTextColor);
    return vars;
}

export function applyTheme(theme, dark) {
    const root = document.documentElement;
    for (const [name, value] of Object.entries(themeVariables(theme))) {
        root.style.setProperty(name, value);
    }
    root.dataset.theme = dark ? 'dark' : 'light';
    root.style.colorScheme = dark ? 'dark' : 'light';
}
