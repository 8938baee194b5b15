import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
    {ignores: ['dist/', 'node_modules/', '.test-build/', 'src/manifest.ts']},
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ['**/*.{ts,tsx}'],
        plugins: {'react-hooks': reactHooks},
        languageOptions: {globals: {...globals.browser}},
        rules: {
            ...reactHooks.configs.recommended.rules,
            'react-hooks/exhaustive-deps': 'error',
            eqeqeq: ['error', 'always'],
            'no-console': 'error',
            '@typescript-eslint/consistent-type-imports': ['error', {fixStyle: 'inline-type-imports'}],
        },
    },
    {
        files: ['*.{js,mjs}', 'scripts/**', 'test/**'],
        languageOptions: {globals: {...globals.node}},
    },
    {
        files: ['*.{js,mjs}', 'scripts/**'],
        rules: {'no-console': 'off'},
    },
);
