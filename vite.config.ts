import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { BUILD_INFO_FILE, DEFAULT_SUPABASE_URL } from './src/lib/supabase-defaults.ts';

/**
 * Changes on every deploy so persisted caches (React Query `buster`, service-worker caches) can tell a
 * new build from an old one. Netlify sets COMMIT_REF; local builds fall back to the build time.
 */
const buildId = process.env.ROUNDS_BUILD_ID ?? process.env.COMMIT_REF?.slice(0, 12) ?? Date.now().toString(36);

/**
 * Emits dist/build-info.json. The API URL is baked into the bundle at build time, so `npm start` and the
 * Playwright global setup read this file to refuse (or warn about) a dist/ built for another API.
 */
function buildInfo(): Plugin {
  let supabaseUrl = DEFAULT_SUPABASE_URL;
  return {
    name: 'rounds-build-info',
    apply: 'build',
    configResolved(config) {
      const fromEnv: unknown = config.env.VITE_SUPABASE_URL;
      if (typeof fromEnv === 'string') supabaseUrl = fromEnv;
    },
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: BUILD_INFO_FILE,
        source: `${JSON.stringify({ buildId, supabaseUrl }, null, 2)}\n`,
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), buildInfo()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  define: { __BUILD_ID__: JSON.stringify(buildId) },
  build: {
    // ES2022 = every browser that can install the PWA (Safari 16.4+, Chromium 111+, Firefox 114+);
    // no legacy transforms or polyfills for browsers that could not run the service worker anyway.
    target: 'es2022',
  },
  server: { port: 5173, strictPort: true },
  preview: { port: 4173, strictPort: true },
});
