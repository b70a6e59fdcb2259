import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', '.scratch/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  // No Intl in the app: its first call starts ICU, 15–50 ms on every cold start (docs/decisions/013).
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-globals': ['error', { name: 'Intl', message: 'Use src/lib/format.ts: Intl starts ICU (decision 013).' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name=/^(localeCompare|toLocaleString|toLocaleDateString|toLocaleTimeString)$/]",
          message: 'Use src/lib/format.ts: these start ICU (decision 013).',
        },
      ],
    },
  },
  // Imports flow one way: lib/components → answer-sync → features → app.
  {
    files: ['src/features/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@/app/*'], message: 'Only src/app composes features.' }] }],
    },
  },
  // Answer sync sits between lib and the features that write answers: it never reaches up into them.
  {
    files: ['src/answer-sync/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@/app/*', '@/features/*'], message: 'answer-sync sits below features and app (docs/decisions/008).' }] },
      ],
    },
  },
  {
    files: ['src/lib/**/*.{ts,tsx}', 'src/components/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@/app/*', '@/features/*'], message: 'lib and components must not depend on features or app.' }] },
      ],
    },
  },
);
