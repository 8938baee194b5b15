// The globals a Mattermost plugin bundle expects (webpack externals of type "var"),
// as the real Mattermost webapp provides them. Loaded before page.js and the plugin.
import React from 'react';
import ReactDOM from 'react-dom';
import {createRoot, hydrateRoot} from 'react-dom/client';
import * as Redux from 'redux';
import * as ReactRedux from 'react-redux';
import * as ReactIntl from 'react-intl';
import PropTypes from 'prop-types';

window.React = React;
// Mattermost exposes `react-dom`; we add the React 18 root API so the page (and a
// plugin that wants it) can reach createRoot without a second copy of ReactDOM.
window.ReactDOM = {...ReactDOM, createRoot, hydrateRoot};
window.Redux = {...Redux};
window.ReactRedux = {...ReactRedux};
window.ReactIntl = {...ReactIntl};
window.PropTypes = PropTypes;
