import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/**
 * TypeScript files that one of the type-check configs covers: these get the type-aware rules.
 * Svelte components are type-checked by svelte-check instead, and linted without type information.
 */
const TYPED_FILES = [
  'src/**/*.ts',
  'tests/**/*.ts',
  'bench/**/*.ts',
  'scripts/**/*.ts',
  'examples/**/*.ts',
  '*.config.ts',
];

export default defineConfig(
  globalIgnores([
    '**/dist/',
    '**/dist-*/',
    '**/dev-dist/',
    '**/node_modules/',
    'coverage/',
    'test-results/',
    'playwright-report/',
    'bench/results/',
  ]),

  js.configs.recommended,
  tseslint.configs.recommended,
  svelte.configs['flat/recommended'],
  svelte.configs['flat/prettier'],

  {
    files: TYPED_FILES,
    ignores: ['tests/e2e/pages/**'],
    extends: [tseslint.configs.recommendedTypeCheckedOnly],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.app.json', './tsconfig.worker.json', './tsconfig.node.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },

  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: {
        parser: tseslint.parser,
        extraFileExtensions: ['.svelte'],
        svelteConfig,
      },
    },
  },

  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/require-await': 'off',
      'svelte/no-at-html-tags': 'error',
      // State classes keep private, deliberately non-reactive Maps and Sets (subscriptions, timers,
      // scratch sets in a method); the rule flags every one of them.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },

  {
    files: ['src/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },

  { files: ['src/shared/**'], languageOptions: { globals: { ...globals['shared-node-browser'] } } },
  { files: ['src/store/**', 'src/worker/**'], languageOptions: { globals: { ...globals.worker } } },
  {
    files: ['src/client/**', 'src/ui/**', 'src/*.ts', 'examples/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  { files: ['examples/**/worker.ts'], languageOptions: { globals: { ...globals.worker } } },

  {
    files: ['tests/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }],
    },
  },
  // Node drivers of Playwright: the functions they pass to page.evaluate run in the page.
  { files: ['tests/**'], languageOptions: { globals: { ...globals.node, ...globals.browser } } },
  { files: ['bench/page/**'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['bench/worker/**'], languageOptions: { globals: { ...globals.worker } } },
  { files: ['bench/sw/**'], languageOptions: { globals: { ...globals.serviceworker } } },
  {
    files: [
      'scripts/**',
      '*.config.{js,mjs,ts}',
      'svelte.config.js',
      'bench/vite.config.ts',
      'examples/*/vite.config.ts',
    ],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['bench/*.{js,mjs}', 'bench/lib/**'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
