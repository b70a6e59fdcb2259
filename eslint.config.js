import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

// Layers from the bottom up; each may import only the layers before it (src/main.tsx and src/sw.ts sit on top).
const layers = [['src/lib', 'src/components'], ['src/answer-sync'], ['src/features'], ['src/app']];
const layerZones = layers.flatMap((targets, i) => {
  const above = layers.slice(i + 1).flat();
  if (above.length === 0) return [];
  return targets.map((target) => ({
    target: `./${target}`,
    from: above.map((dir) => `./${dir}`),
    message: `${target} must not import ${above.join(' or ')}: imports flow lib/components → answer-sync → features → app.`,
  }));
});

// One zone per feature folder on disk, so a new feature is covered without editing this file.
const features = readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const featureZones = features.map((feature) => ({
  target: `./src/features/${feature}`,
  from: './src/features',
  except: [`./${feature}`],
  message: 'A feature imports no other feature: move the shared part to lib, components or answer-sync, or compose in app.',
}));

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
  // ts-fsrs is called through one module, src/features/quiz/model/cards/fsrs.ts: the scheduler's parameters
  // live in one place and an upgrade touches one file (docs/decisions/021-spaced-review.md).
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    ignores: ['src/features/quiz/model/cards/fsrs.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'ts-fsrs', message: 'Call FSRS through src/features/quiz/model/cards/fsrs.ts (decision 021).' }],
          patterns: [{ group: ['ts-fsrs/*'], message: 'Call FSRS through src/features/quiz/model/cards/fsrs.ts (decision 021).' }],
        },
      ],
    },
  },
  // Imports flow one way: lib/components → answer-sync → features → app; a feature imports no other feature
  // (the app composes them); no cycles anywhere in src. Resolved paths, so `@/…` and `../` are judged alike.
  // no-cycle follows runtime edges only: like eslint-plugin-import it skips `import type`, which the build erases.
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: `${root}tsconfig.json` })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: [...layerZones, ...featureZones] }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
);
