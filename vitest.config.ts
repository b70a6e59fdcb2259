import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'supabase/local/**/*.test.ts', 'tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    setupFiles: ['tests/vitest-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // One server per run is shared by all files; files run in parallel against it.
    pool: 'threads',
  },
});
