import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

/** Import specifiers of each layer (relative, so matched by folder name). */
const LAYERS = {
  engine: ['**/engine', '**/engine/**'],
  markdown: ['**/markdown', '**/markdown/**'],
  json: ['**/json', '**/json/**'],
  metrics: ['**/metrics', '**/metrics/**'],
  'run-file': ['**/run-file', '**/run-file/**'],
  storage: ['**/storage', '**/storage/**'],
  state: ['**/state', '**/state/**'],
  components: ['**/components', '**/components/**'],
  svelte: ['svelte', 'svelte/*'],
};

/**
 * Forbids the files under `folder` to import the named layers (nothing under src/lib may import
 * src/labs). `typesOnly` layers may be imported for their types only.
 */
function layer(folder, forbidden, { typesOnly = [] } = {}) {
  const group = (name) => [LAYERS[name]].flat();
  return [
    {
      files: [`${folder}/**/*.ts`, `${folder}/**/*.svelte`],
      rules: {
        '@typescript-eslint/no-restricted-imports': [
          'error',
          {
            patterns: [
              { group: ['**/labs', '**/labs/**'], message: 'Nothing under src/lib imports src/labs.' },
              ...forbidden.map((name) => ({
                group: group(name),
                message: `${folder} sits below ${name}: move the shared piece down a layer (docs/ARCHITECTURE.md).`,
              })),
              ...typesOnly.map((name) => ({
                group: group(name),
                allowTypeImports: true,
                message: `${folder} may take only types from ${name}; call state methods instead.`,
              })),
            ],
          },
        ],
      },
    },
  ];
}

export default ts.config(
  { ignores: ['dist', 'node_modules', 'bench/results.json', 'bench/page-dist'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: ts.parser, projectService: true, extraFileExtensions: ['.svelte'] },
    },
  },
  // Layers (docs/ARCHITECTURE.md): labs -> components -> state -> engine / markdown / json /
  // metrics / run-file / storage. Imports point one way; a wrong one fails `npm test`.
  ...layer('src/lib/engine', [
    'storage',
    'state',
    'components',
    'markdown',
    'metrics',
    'run-file',
    'json',
    'svelte',
  ]),
  ...layer('src/lib/markdown', [
    'engine',
    'storage',
    'state',
    'components',
    'metrics',
    'run-file',
    'json',
    'svelte',
  ]),
  // json (the partial-JSON parser) is pure like markdown: it imports nothing from the app.
  ...layer('src/lib/json', [
    'engine',
    'storage',
    'state',
    'components',
    'markdown',
    'metrics',
    'run-file',
    'svelte',
  ]),
  ...layer('src/lib/metrics', [
    'engine',
    'storage',
    'state',
    'components',
    'markdown',
    'run-file',
    'json',
    'svelte',
  ]),
  ...layer('src/lib/run-file', ['storage', 'state', 'components', 'markdown', 'svelte']),
  ...layer('src/lib/storage', ['state', 'components', 'markdown', 'svelte']),
  ...layer('src/lib/state', ['components']),
  ...layer('src/lib/components', [], { typesOnly: ['storage'] }),
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Hash links inside a single-page app are not navigation to resolve.
      'svelte/no-navigation-without-resolve': 'off',
    },
  },
);
