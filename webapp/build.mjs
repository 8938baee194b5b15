// Builds dist/main.js: one minified IIFE. Libraries the Mattermost webapp
// already has are taken from its window globals, never bundled.
import {pathToFileURL} from 'node:url';

import * as esbuild from 'esbuild';

export const GLOBALS = {
    react: 'React',
    'react-dom': 'ReactDOM',
    redux: 'Redux',
    'react-redux': 'ReactRedux',
    'prop-types': 'PropTypes',
    'react-intl': 'ReactIntl',
    'react-bootstrap': 'ReactBootstrap',
    'react-router-dom': 'ReactRouterDom',
};

const names = Object.keys(GLOBALS).join('|');

const hostGlobals = {
    name: 'host-globals',
    setup(build) {
        build.onResolve({filter: new RegExp(`^(${names})$`)}, (args) => ({path: args.path, namespace: 'host-global'}));
        build.onLoad({filter: /.*/, namespace: 'host-global'}, (args) => ({
            contents: `module.exports = window[${JSON.stringify(GLOBALS[args.path])}];`,
            loader: 'js',
        }));

        // Subpaths (react/jsx-runtime, react-dom/client…) have no global: fail
        // the build rather than bundle a second copy of a host library.
        build.onResolve({filter: new RegExp(`^(${names})/`)}, (args) => ({
            errors: [{text: `${args.path} has no host global; import the package root`}],
        }));
    },
};

export const options = {
    entryPoints: [new URL('src/index.ts', import.meta.url).pathname],
    outfile: new URL('dist/main.js', import.meta.url).pathname,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    jsx: 'transform',
    define: {'process.env.NODE_ENV': '"production"'},
    plugins: [hostGlobals],
    logLevel: 'info',
};

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
    await esbuild.build(options);
}
