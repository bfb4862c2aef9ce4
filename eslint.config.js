import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/build/**', '**/node_modules/**', '**/*.d.ts', 'web/**/*.vue', '.demo/**', 'data/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // Never swallow an error: an empty catch must at least say why.
      'no-empty': ['error', { allowEmptyCatch: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The host's stdout is the protocol channel: only framing.ts may write to it.
    files: ['native-host/src/**/*.ts'],
    ignores: ['native-host/src/**/*.test.ts', 'native-host/src/framing.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': ['error', { object: 'process', property: 'stdout', message: 'stdout carries frames only (framing.ts).' }],
    },
  },
);
