import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/build/**', '**/node_modules/**', '**/*.d.ts', 'web/**/*.vue', 'admin/**/*.vue', '.demo/**', 'data/**'],
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
      // Lookups keyed by input use own properties only: `key in obj` is also true for "constructor",
      // "toString", "__proto__"… A literal key (`'result' in response`, TypeScript's narrowing) is fine.
      'no-restricted-syntax': [
        'error',
        {
          selector: "BinaryExpression[operator='in'][left.type!='Literal']",
          message: '`key in obj` finds inherited names too: use Object.hasOwn(obj, key), a Map or a Set.',
        },
      ],
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
