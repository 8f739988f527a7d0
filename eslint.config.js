// Lint: type-aware rules (no floating promises), and the process boundaries in docs/architecture.md
// as restricted imports, so breaking them fails the build instead of relying on memory.
import reactHooks from 'eslint-plugin-react-hooks';
import examineFailure from './eslint-rules/examine-failure.js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'http',
  'https',
  'net',
  'url',
  'stream',
  'zlib',
  'worker_threads',
  'module',
  'util',
  'events',
  'buffer',
  'process',
  'tls',
  'dgram',
  'dns',
];
const nodeImports = [
  { group: ['node:*'], message: 'shared/ and renderer/ run without Node: no node:* imports.' },
  ...NODE_BUILTINS.map((name) => ({
    group: [name, `${name}/*`],
    message: 'No Node built-ins here.',
  })),
];
const electronImport = {
  group: ['electron', 'electron/*', 'electron-store'],
  message: 'Only electron/main and electron/preload may import electron (docs/architecture.md).',
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'release/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'coverage/**',
      '.stryker-tmp/**',
      'reports/**',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.node.json', './tsconfig.web.json', './tsconfig.e2e.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      curly: ['error', 'all'],
      'no-console': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...nodeImports,
            electronImport,
            {
              group: ['react', 'react-dom', 'react-dom/*', 'zustand'],
              message: 'shared/ is UI-free.',
            },
            {
              group: ['**/electron/**', '**/renderer/**'],
              message: 'shared/ imports nothing from electron/ or renderer/.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'navigator',
        'localStorage',
        'process',
        'Buffer',
        'require',
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks, awb: { rules: { 'examine-failure': examineFailure } } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // useLoad (renderer/src/load.ts) takes its dependencies like useEffect: checked the same way.
      'react-hooks/exhaustive-deps': ['warn', { additionalHooks: '^useLoad$' }],
      // No silent failure (issue 22): a callRaw result's failure is looked at (eslint-rules/).
      'awb/examine-failure': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...nodeImports,
            electronImport,
            {
              group: ['**/electron/**'],
              message: 'renderer/ reaches the core only through window.workbench.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main/**', 'electron/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            electronImport,
            { group: ['**/renderer/**'], message: 'The core never imports the UI.' },
          ],
        },
      ],
    },
  },
  {
    // The vault's KDF floor (docs/vault.md): only tests may declare parameters below it.
    files: ['electron/**/*.ts', 'renderer/**/*.{ts,tsx}', 'shared/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportSpecifier[imported.name='belowFloorForTests']",
          message: 'Test-only: shipped code never goes below the KDF floor (docs/vault.md).',
        },
      ],
    },
  },
  {
    // Command-line tools and test/dev tooling talk to a terminal.
    files: ['electron/cli/**', 'electron/dev/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);
