// Builds the devhost page into dist/:
//   dist/shim.js    React 18, ReactDOM (+ createRoot), Redux, ReactRedux, ReactIntl, PropTypes on window
//   dist/page.js    the fake Mattermost page; uses the globals above, never its own copy of React
//   dist/page.css   its styles
//   dist/index.html
// `node build.mjs --dev` keeps React's development build (better warnings, bigger file).
import {build} from 'esbuild';
import {copyFile, mkdir} from 'node:fs/promises';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'dist');
const dev = process.argv.includes('--dev');

// The page must share React (and the rest) with the plugin bundle, so its imports of
// these packages resolve to the window globals that shim.js sets.
const globals = {
    'react': 'React',
    'react-dom': 'ReactDOM',
    'react-dom/client': 'ReactDOM',
    'redux': 'Redux',
    'react-redux': 'ReactRedux',
    'react-intl': 'ReactIntl',
    'prop-types': 'PropTypes',
};
const useWindowGlobals = {
    name: 'window-globals',
    setup(b) {
        const filter = new RegExp(`^(${Object.keys(globals).map((k) => k.replace(/[/-]/g, '\\$&')).join('|')})$`);
        b.onResolve({filter}, (args) => ({path: args.path, namespace: 'window-global'}));
        b.onLoad({filter: /.*/, namespace: 'window-global'}, (args) => ({
            contents: `module.exports = window.${globals[args.path]};`,
            loader: 'js',
        }));
    },
};

const common = {
    bundle: true,
    format: 'iife',
    target: 'es2020',
    minify: !dev,
    sourcemap: true,
    logLevel: 'warning',
    define: {'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production')},
};

await mkdir(out, {recursive: true});
await build({...common, entryPoints: [join(here, 'src/shim.js')], outfile: join(out, 'shim.js')});
await build({
    ...common,
    entryPoints: [join(here, 'src/page.jsx')],
    outfile: join(out, 'page.js'),
    plugins: [useWindowGlobals],
    jsx: 'transform',
    loader: {'.svg': 'text'},
});
await copyFile(join(here, 'src/index.html'), join(out, 'index.html'));
console.log(`devhost web: built ${out}${dev ? ' (development React)' : ''}`);
