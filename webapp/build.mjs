// Builds dist/main.js: one minified IIFE. Libraries the Mattermost webapp
// already has are taken from its window globals, never bundled.
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

const hostGlobals = {
    name: 'host-globals',
    setup(build) {
        const filter = new RegExp(`^(${Object.keys(GLOBALS).join('|')})$`);
        build.onResolve({filter}, (args) => ({path: args.path, namespace: 'host-global'}));
        build.onLoad({filter: /.*/, namespace: 'host-global'}, (args) => ({
            contents: `module.exports = window[${JSON.stringify(GLOBALS[args.path])}];`,
            loader: 'js',
        }));
        // Anything under these packages (react/jsx-runtime, react-dom/client…)
        // has no global: fail the build rather than bundle a second copy.
        const deep = new RegExp(`^(${Object.keys(GLOBALS).join('|')})/`);
        build.onResolve({filter: deep}, (args) => ({errors: [{text: `${args.path} has no host global; import the package root`}]}));
    },
};

await esbuild.build({
    entryPoints: ['src/index.ts'],
    outfile: 'dist/main.js',
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
});
