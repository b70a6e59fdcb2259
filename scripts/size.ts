/**
 * `npm run size`: what the first route costs, next to what it could cost at best.
 *
 *   tsx scripts/size.ts [--dist dist]
 *
 * First route = the JS the browser must fetch before the sign-in page renders: the entry chunk and its
 * static `imports`, followed recursively through dist/.vite/manifest.json (not `dynamicImports`), plus
 * the sign-in page's lazy chunk and its static imports. Sizes are per file (that is how they travel) and
 * summed: raw, gzip -9, brotli q11.
 * Floor = a separate build, with the app's shared Vite settings (vite.config.ts `sharedBuild`), of a
 * trivial component that uses the same libraries the entry pulls in (FLOOR_SOURCE below). The ratio
 * first/floor says how much of the first route is the app's own code and library surface beyond the
 * minimum.
 * Human-readable lines first; the LAST line is a JSON summary.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { z } from 'zod';
import { repoRoot } from '../supabase/local/config.ts';
import { sharedBuild } from '../vite.config.ts';

/** The sign-in page module as it appears in the manifest (its key is the source path). */
export const SIGN_IN_PAGE = 'src/app/pages/sign-in-page.tsx';

const manifestSchema = z.record(
  z.string(),
  z.object({
    file: z.string(),
    isEntry: z.boolean().optional(),
    imports: z.array(z.string()).optional(),
  }),
);

export interface Sizes {
  raw: number;
  gzip: number;
  brotli: number;
}

export interface FirstRoute extends Sizes {
  files: string[];
}

async function sizesOf(dir: string, files: string[]): Promise<Sizes> {
  const total: Sizes = { raw: 0, gzip: 0, brotli: 0 };
  for (const f of files) {
    const buf = await readFile(path.join(dir, f));
    total.raw += buf.length;
    total.gzip += gzipSync(buf, { level: 9 }).length;
    total.brotli += brotliCompressSync(buf, {
      params: { [zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: buf.length },
    }).length;
  }
  return total;
}

/** Files (relative to `dir`) the first route loads, entry first; `extraKeys` are lazy chunks to add. */
export async function firstRouteFiles(dir: string, extraKeys: string[]): Promise<string[]> {
  const manifest = manifestSchema.parse(JSON.parse(await readFile(path.join(dir, '.vite/manifest.json'), 'utf8')));
  const entries = Object.entries(manifest).filter(([, c]) => c.isEntry).map(([k]) => k);
  if (entries.length !== 1) throw new Error(`expected one entry in the manifest, found ${entries.length}`);
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} is not in ${dir}/.vite/manifest.json`);
    seen.add(key);
    for (const i of chunk.imports ?? []) visit(i);
  };
  for (const k of [...entries, ...extraKeys]) visit(k);
  return [...seen].map((k) => manifest[k]?.file ?? k).filter((f) => f.endsWith('.js'));
}

export async function measureFirstRoute(dir: string): Promise<FirstRoute> {
  const files = await firstRouteFiles(dir, [SIGN_IN_PAGE]);
  return { files, ...(await sizesOf(dir, files)) };
}

/**
 * The libraries the signed-out start reaches statically (src/main.tsx, src/app/signed-out-app.tsx; checked
 * against the first-route chunks: react, react-dom/client, react-error-boundary for the root boundary,
 * workbox-window for the service worker and its update prompt), each used the least a real app could.
 * supabase-js, TanStack Query, Zod and idb-keyval are not on the first route: they load when the visitor
 * starts on the form or holds a session (docs/decisions/011-signed-out-start.md).
 */
const FLOOR_SOURCE = `
import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { ErrorBoundary } from 'react-error-boundary';
import { Workbox } from 'workbox-window';

if ('serviceWorker' in navigator) void new Workbox('/sw.js').register();

function App() {
  return <form><label>Email <input name="email" /></label><button>Sign in</button></form>;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ErrorBoundary fallback={<p>error</p>}>
      <Suspense>
        <App />
      </Suspense>
    </ErrorBoundary>
  </StrictMode>,
);
`;

/** Builds FLOOR_SOURCE with the app's shared build settings and measures all of its JS. */
export async function measureFloor(): Promise<FirstRoute> {
  // Inside node_modules so the fixture resolves the project's own dependencies, and tsc/eslint/git ignore it.
  const base = path.join(repoRoot, 'node_modules/.tmp');
  await mkdir(base, { recursive: true });
  const root = await mkdtemp(path.join(base, 'size-floor-'));
  try {
    await writeFile(path.join(root, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/main.tsx"></script>\n');
    await writeFile(path.join(root, 'main.tsx'), FLOOR_SOURCE);
    await build({
      root,
      configFile: false,
      logLevel: 'silent',
      plugins: [react()],
      build: { ...sharedBuild, outDir: path.join(root, 'dist'), emptyOutDir: true },
    });
    const dist = path.join(root, 'dist');
    const files = await firstRouteFiles(dist, []);
    return { files, ...(await sizesOf(dist, files)) };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

export interface SizeReport {
  firstRoute: FirstRoute;
  floor: FirstRoute;
  ratio: Sizes;
}

export async function sizeReport(distDir: string): Promise<SizeReport> {
  const firstRoute = await measureFirstRoute(distDir);
  const floor = await measureFloor();
  const r = (k: keyof Sizes) => Math.round((firstRoute[k] / floor[k]) * 100) / 100;
  return { firstRoute, floor, ratio: { raw: r('raw'), gzip: r('gzip'), brotli: r('brotli') } };
}

if (process.argv[1] === import.meta.filename) {
  const { values } = parseArgs({ options: { dist: { type: 'string', default: path.join(repoRoot, 'dist') } } });
  const report = await sizeReport(path.resolve(values.dist));
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`.padStart(10);
  const line = (label: string, s: Sizes) => `${label.padEnd(12)} raw ${kb(s.raw)}  gzip ${kb(s.gzip)}  brotli ${kb(s.brotli)}`;
  console.log(`First route (sign-in page), ${report.firstRoute.files.length} files:`);
  for (const f of report.firstRoute.files) console.log(`  ${f}`);
  console.log(line('first route', report.firstRoute));
  console.log(line('floor', report.floor));
  console.log(`ratio        raw ${report.ratio.raw}×  gzip ${report.ratio.gzip}×  brotli ${report.ratio.brotli}×`);
  const { files: _f, ...first } = report.firstRoute;
  const { files: _g, ...floor } = report.floor;
  console.log(JSON.stringify({ firstRoute: first, floor, ratio: report.ratio }));
}
