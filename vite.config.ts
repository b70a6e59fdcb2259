import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
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

/**
 * The service worker (src/sw.ts) and the web app manifest. `injectManifest` because the worker has
 * project-specific rules (navigation denylist, never touching the API origin, SKIP_WAITING handled
 * directly) that generateSW would hide in options; the plugin still builds sw.ts with Vite and injects
 * the precache list. Registration is ours (src/features/pwa/register-sw.ts), hence `injectRegister:
 * false`; `registerType: 'prompt'` documents that updates wait for the user (field notes §0 item 5).
 */
const pwa = VitePWA({
  strategies: 'injectManifest',
  srcDir: 'src',
  filename: 'sw.ts',
  registerType: 'prompt',
  injectRegister: false,
  // Public files to precache besides the manifest and its icons, which the plugin adds itself.
  // build-info.json and robots.txt are for tools, not for the offline app.
  includeAssets: ['favicon.svg', 'icons/apple-touch-icon.png'],
  injectManifest: {
    // The built app: index.html, every lazy route chunk and the CSS. e2e/pwa.spec.ts checks every
    // chunk in dist/assets is listed.
    globPatterns: ['**/*.{js,css,html}'],
    // Raised from 2 MiB so a big chunk is precached (and the bundle budget catches it) rather than being
    // silently dropped from the precache, which would only show up as a blank route offline.
    maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
  },
  manifest: {
    id: '/',
    name: 'Rounds — USMLE question bank',
    short_name: 'Rounds',
    description: 'USMLE practice questions that keep working offline.',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    // --accent and --bg (light) in src/styles.css; index.html's theme-color meta matches.
    theme_color: '#1f4e5f',
    background_color: '#f6f7f5',
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  },
});

export default defineConfig({
  plugins: [react(), buildInfo(), pwa],
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
