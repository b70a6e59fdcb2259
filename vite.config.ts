import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { createServer, defineConfig, type BuildEnvironmentOptions, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { BUILD_INFO_FILE } from './scripts/build-info.ts';
import { DEFAULT_SUPABASE_URL } from './src/lib/supabase-defaults.ts';

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
    // The first request after the shell is to the API (session refresh, then data): open that
    // connection while the scripts download. `crossorigin`: supabase-js fetches are CORS without
    // credentials, which use the anonymous connection pool.
    transformIndexHtml() {
      return [{ tag: 'link', attrs: { rel: 'preconnect', href: new URL(supabaseUrl).origin, crossorigin: '' }, injectTo: 'head' }];
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
 * Adds `<link rel="modulepreload">` for the sign-in page's chunk (and chunks it imports that the entry
 * does not). A first visit is signed out and lands there; without the hint the browser learns about the
 * chunk only after the entry has downloaded and run, one more round trip before anything is painted.
 * Everyone else gets it from the service worker's precache, where the hint costs next to nothing.
 */
function preloadFirstVisitPage(): Plugin {
  const page = 'src/app/pages/sign-in-page.tsx';
  return {
    name: 'rounds-preload-first-visit-page',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {}).filter((c) => c.type === 'chunk');
        const entry = chunks.find((c) => c.isEntry);
        const target = chunks.find((c) => c.facadeModuleId?.replaceAll('\\', '/').endsWith(`/${page}`));
        if (!entry || !target) throw new Error(`preloadFirstVisitPage: no chunk for ${page} or no entry`);
        // What the entry already loads, statically and transitively (Vite preloads those itself).
        const preloaded = new Set<string>();
        const visit = (file: string) => {
          if (preloaded.has(file)) return;
          preloaded.add(file);
          for (const f of chunks.find((c) => c.fileName === file)?.imports ?? []) visit(f);
        };
        visit(entry.fileName);
        const files = [target.fileName, ...target.imports.filter((f) => !preloaded.has(f))];
        return files.map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: '', href: `/${f}` }, injectTo: 'head' }));
      },
    },
  };
}

/** The file a prerendered address is written to (netlify.toml rewrites the address to it). */
function prerenderedFile(pathname: string): string {
  return `${pathname.replace(/^\//, '')}.html`;
}

/**
 * Writes signin.html and signup.html: index.html with the page already rendered into `#root`
 * (src/app/prerender.tsx), marked `data-prerendered` with its address, and the page's title. A first visit
 * then paints the form from the document instead of after React, the entry and the page's chunk have
 * downloaded and run (on a slow phone over 4G, about a second sooner); the entry hydrates it. The render
 * runs the app's own modules in Node through a throwaway Vite server in SSR mode, with the build's
 * __BUILD_ID__ so the footer matches. Not precached (the service worker answers every navigation with
 * index.html, which renders the same page from the precache).
 */
function prerenderSignedOutPages(): Plugin {
  const root = fileURLToPath(new URL('.', import.meta.url));
  return {
    name: 'rounds-prerender-signed-out-pages',
    apply: 'build',
    enforce: 'post',
    generateBundle: {
      order: 'post',
      async handler(_options, bundle) {
        const index = bundle['index.html'];
        if (index?.type !== 'asset' || typeof index.source !== 'string') throw new Error('prerender: no index.html in the bundle');
        // The page is on screen without them: the scripts must not compete with the stylesheet.
        const template = index.source.replace(/<(script type="module"|link rel="modulepreload")/g, '<$1 fetchpriority="low"');
        const emptyRoot = '<div id="root"></div>';
        if (template.split(emptyRoot).length !== 2 || !template.includes('<title>Rounds</title>')) {
          throw new Error('prerender: index.html must have one empty <div id="root"></div> and <title>Rounds</title>');
        }
        const server = await createServer({
          configFile: false,
          root,
          logLevel: 'warn',
          appType: 'custom',
          server: { middlewareMode: true, hmr: false, ws: false, watch: null },
          resolve: { alias: { '@': path.join(root, 'src') } },
          define: { __BUILD_ID__: JSON.stringify(buildId) },
          plugins: [react()],
          // Its package's `main` is a UMD bundle without named exports; the ESM build is its `module`.
          ssr: { noExternal: ['workbox-window'] },
          optimizeDeps: { noDiscovery: true, include: [] },
        });
        try {
          const { PRERENDERED_PATHS, renderSignedOutPage } = (await server.ssrLoadModule('/src/app/prerender.tsx')) as typeof import('./src/app/prerender.tsx');
          for (const pathname of PRERENDERED_PATHS) {
            const { html, title } = await renderSignedOutPage(pathname);
            const escapedTitle = title.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
            this.emitFile({
              type: 'asset',
              fileName: prerenderedFile(pathname),
              source: template
                .replace(emptyRoot, `<div id="root" data-prerendered="${pathname}">${html}</div>`)
                .replace('<title>Rounds</title>', `<title>${escapedTitle}</title>`),
            });
          }
        } finally {
          await server.close();
        }
      },
    },
  };
}

/** Text formats worth compressing; images, fonts and wasm here are already compressed or tiny. */
export const COMPRESSIBLE = /\.(?:html|js|mjs|css|json|webmanifest|svg|txt|xml|map)$/i;
/** Below this, the compressed file plus its Content-Encoding header saves next to nothing. */
const COMPRESS_MIN_BYTES = 1024;

/**
 * Writes `<file>.br` (quality 11) and `<file>.gz` (level 9) next to every compressible output file over
 * 1 KiB, for hosts that serve pre-compressed files (scripts/preview-server.ts does; Netlify compresses
 * on the fly and ignores them). Runs after vite-plugin-pwa has written sw.js (closeBundle, order post),
 * so the worker is compressed too; the precache globs match `.js/.css/.html` only, so the sidecars are
 * never precached. A sidecar that would not be smaller is not written.
 */
function precompress(): Plugin {
  const br = promisify(brotliCompress);
  const gz = promisify(gzip);
  let outDir = '';
  return {
    name: 'rounds-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      async handler() {
        const files = (await readdir(outDir, { recursive: true })).filter((f) => COMPRESSIBLE.test(f));
        await Promise.all(
          files.map(async (rel) => {
            const file = path.join(outDir, rel);
            if ((await stat(file)).size <= COMPRESS_MIN_BYTES) return;
            const raw = await readFile(file);
            const [b, g] = await Promise.all([
              br(raw, {
                params: {
                  [zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY,
                  [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
                  [zlibConstants.BROTLI_PARAM_SIZE_HINT]: raw.length,
                },
              }),
              gz(raw, { level: 9 }),
            ]);
            if (b.length < raw.length) await writeFile(`${file}.br`, b);
            if (g.length < raw.length) await writeFile(`${file}.gz`, g);
          }),
        );
      },
    },
  };
}

/**
 * Build settings shared by the app and by the "floor" build of scripts/size.ts, so the two are measured
 * the same way.
 */
export const sharedBuild: BuildEnvironmentOptions = {
  // ES2022 = every browser that can install the PWA (Safari 16.4+, Chromium 111+, Firefox 114+);
  // no legacy transforms or polyfills for browsers that could not run the service worker anyway.
  target: 'es2022',
  // dist/.vite/manifest.json: scripts/size.ts follows it from the entry to what the first route loads.
  manifest: true,
  rolldownOptions: {
    output: {
      // Libraries change far less often than the app: in their own chunks, a deploy of app code leaves
      // them cached (HTTP and service worker precache, whose revision is the content hash). One group
      // per release train, so upgrading one library does not invalidate the others. Only modules the
      // app imports are grouped; tree-shaking still applies inside each group.
      codeSplitting: {
        groups: [
          // With the app's two small React helpers that the first route shares with lazy chunks
          // (src/lib/store.ts, src/lib/hydration.ts): each on its own was one more first-route file, and a
          // file costs its own compression window (~0.1–0.3 KB brotli) on top of its few hundred bytes.
          { name: 'react', test: /[\\/]node_modules[\\/](?:react|react-dom|scheduler)[\\/]|[\\/]src[\\/]lib[\\/](?:store|hydration)\.ts$/ },
          { name: 'supabase', test: /[\\/]node_modules[\\/]@supabase[\\/]/ },
          { name: 'tanstack-query', test: /[\\/]node_modules[\\/]@tanstack[\\/](?:query-|react-query)/ },
          // With src/lib/zod-config.ts, so Zod is configured as soon as it is evaluated, before any chunk
          // that builds schemas with it (chunks evaluate after the chunks they import).
          { name: 'zod', test: /[\\/]node_modules[\\/]zod[\\/]|[\\/]src[\\/]lib[\\/]zod-config\.ts$/ },
        ],
      },
    },
  },
};

/**
 * The service worker (src/sw.ts) and the web app manifest. `injectManifest` because the worker has
 * project-specific rules (navigation denylist, never touching the API origin, SKIP_WAITING handled
 * directly) that generateSW would hide in options; the plugin still builds sw.ts with Vite and injects
 * the precache list. Registration is ours (src/features/pwa/register-sw.ts), hence `injectRegister:
 * false`; `registerType: 'prompt'` documents that updates wait for the user
 * (docs/offline-outbox.md#service-worker-updates).
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
    // The prerendered signed-out pages are for first visits over the network (netlify.toml rewrites);
    // with the worker, every navigation gets index.html, which renders them from the precache.
    globIgnores: ['signin.html', 'signup.html'],
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
  plugins: [react(), buildInfo(), preloadFirstVisitPage(), prerenderSignedOutPages(), pwa, precompress()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  define: { __BUILD_ID__: JSON.stringify(buildId) },
  build: sharedBuild,
  server: { port: 5173, strictPort: true },
  preview: { port: 4173, strictPort: true },
});
