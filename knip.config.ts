/**
 * Dead code check, a step of `npm test` (scripts/test.ts) run twice:
 *   `knip`                  unused files, exports, types and dependencies, counting tests as users;
 *   `knip --production ...` files and exports that only tests keep alive (patterns marked `!` are what
 *                           ships: src/ and the build that bundles it; the local server is a dev/test stand-in
 *                           for hosted Supabase, so its test-only exports are not flagged).
 * The vite, vitest, playwright and eslint plugins add the entries their configs name (index.html, test
 * files, global setups).
 */
import type { KnipConfig } from 'knip';

const config: KnipConfig = {
  // The plugins find index.html's src/main.tsx, vite-plugin-pwa's src/sw.ts and package.json's scripts.
  entry: ['src/app/prerender.tsx!', 'scripts/*.ts'],
  project: [
    'src/**/*.{ts,tsx}!',
    'supabase/local/**/*.ts',
    'scripts/**/*.ts',
    'tests/**/*.ts',
    'e2e/**/*.ts',
  ],
  // An export that its own module also uses is not dead code, only a wider door than needed (most are
  // exported for their unit test); what dies with nobody using it anywhere is still reported.
  ignoreExportsUsedInFile: true,
  // Both are loaded by path in worker threads (createRequire(...).resolve), which knip cannot follow:
  // supabase/local/pglite-worker.ts and supabase/local/auth/bcrypt-pool.ts.
  ignoreDependencies: ['@electric-sql/pglite', 'bcryptjs'],
};

export default config;
