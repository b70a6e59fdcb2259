/**
 * `npm run bench:offline [-- --runs 10]`: how fast the app is usable on an OFFLINE REPEAT VISIT, against
 * the same repeat visit online as the baseline, in one run.
 *
 * Setup (once): its own API (PGlite in memory, seeded) on a free port, a production build made for that
 * API URL in a temporary directory (no e2e hooks, dist/ untouched — other runs may be using it), the
 * production-like preview server on a free port, and Chromium (Debian's /usr/bin/chromium, or
 * CHROMIUM_PATH) through Playwright. A new student signs in, the service worker installs, the bank is
 * downloaded for offline use and a tutor block is started — so the session, the bank and the block are
 * stored on the device.
 *
 * Measured, `runs` times each, interleaved (offline, online, offline, …) so drift hits both alike: a new
 * tab opens the block's URL; the figure is the time from navigation start until the first question's
 * choices are in the page, plus the time a choice key then takes to select one (the key alternates a/b
 * so each visit changes the selection), both on the page's clock — the harness's own reaction time is
 * left out. Offline, the context is offline before the tab opens, so everything comes from the service
 * worker and IndexedDB.
 *
 * Prints each sample, p50/p95 per mode and the offline/online ratio of the medians; the last line is the
 * JSON summary.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext } from '@playwright/test';
import { CHROMIUM_ARGS, provideBrowser } from './browser.ts';
import { build } from 'vite';
import { z } from 'zod';
import { DEMO_ANON_KEY, repoRoot } from '../supabase/local/config.ts';
import { startServer } from '../supabase/local/server.ts';
import { startPreview } from './preview-server.ts';
import { nearestRank } from './sampling.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);

const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: Math.round(nearestRank(sorted, 50) ?? NaN), p95: Math.round(nearestRank(sorted, 95) ?? NaN), min: Math.round(sorted[0] ?? NaN), max: Math.round(sorted.at(-1) ?? NaN) };
};

/**
 * Installed in every tab before the app runs: records, on the page's own clock (ms since navigation
 * start), when the first question's choices are in the document and how long a choice key takes to
 * select one. Measured in the page because Playwright's waits poll with growing intervals (up to
 * 500 ms) and would quantise the result.
 */
// A string, not a function: tsx (esbuild keepNames) would wrap the inner functions in a `__name` helper
// that does not exist in the page.
const RECORD_INTERACTIVE = `(() => {
  const marks = {};
  window.__benchMarks = marks;
  new MutationObserver((_, observer) => {
    if (document.querySelector('[role="radiogroup"] input[type="radio"]')) {
      marks.visible = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, childList: true });
  document.addEventListener('keydown', (e) => {
    if (marks.keydown !== undefined) return;
    marks.keydown = performance.now();
    const want = e.key.toUpperCase();
    const check = () => {
      const checked = document.querySelector('[role="radiogroup"] input[type="radio"]:checked');
      if (checked && checked.value === want) marks.selected = performance.now();
      else requestAnimationFrame(check);
    };
    check();
  }, true);
})();`;

/** Opens `url` in a new tab; ms from navigation start to choices shown + the key→selection time. */
async function visit(context: BrowserContext, url: string, key: 'a' | 'b'): Promise<number> {
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'commit' });
    const group = page.getByRole('radiogroup', { name: 'Answer choices for question 1' });
    await group.getByRole('radio').first().waitFor({ state: 'visible' });
    await page.keyboard.press(key);
    await group.getByRole('radio', { name: new RegExp(`^${key.toUpperCase()}\\.`) }).and(page.locator(':checked')).waitFor();
    const marks = await page.waitForFunction(() => {
      const m: unknown = Reflect.get(window, '__benchMarks');
      return typeof m === 'object' && m !== null && 'selected' in m ? m : null;
    });
    const { visible, keydown, selected } = z.object({ visible: z.number(), keydown: z.number(), selected: z.number() }).parse(await marks.jsonValue());
    return visible + (selected - keydown);
  } finally {
    await page.close();
  }
}

const api = await startServer({ port: 0, dataDir: 'memory://', seed: true, logRequests: false });
const outDir = await mkdtemp(path.join(tmpdir(), 'rounds-bench-offline-'));
let preview: Awaited<ReturnType<typeof startPreview>> | undefined;
let browser: Awaited<ReturnType<typeof chromium.launch>> | undefined;
try {
  process.env.VITE_SUPABASE_URL = api.url;
  await build({ root: repoRoot, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  preview = await startPreview({ dir: outDir, port: 0, host: '127.0.0.1' });

  const student = { email: `bench-${Date.now()}@test.local`, password: 'correct-horse-battery' };
  const signup = await fetch(`${api.url}/auth/v1/signup`, {
    method: 'POST',
    headers: { apikey: DEMO_ANON_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ ...student, data: { display_name: 'bench' } }),
  });
  if (signup.status !== 200) throw new Error(`sign-up failed: ${signup.status}`);

  browser = await chromium.launch({ executablePath: provideBrowser().executablePath, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ baseURL: preview.url });
  await context.addInitScript(RECORD_INTERACTIVE);
  const page = await context.newPage();
  await page.goto('/signin');
  await page.getByLabel('Email').fill(student.email);
  await page.getByLabel('Password').fill(student.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (navigator.serviceWorker.controller) return;
    await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  });
  await page.getByRole('button', { name: 'Make available offline' }).click();
  await page.getByText(/\d+ questions are available offline\./).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New block' }).click();
  await page.getByRole('radio', { name: /^Tutor/ }).check();
  await page.getByLabel('Number of questions').fill('20');
  await page.getByRole('button', { name: 'Start block' }).click();
  await page.waitForURL(/\/blocks\/[0-9a-f-]{36}$/);
  await page.getByRole('radiogroup', { name: 'Answer choices for question 1' }).waitFor();
  const blockUrl = page.url();
  // Let the block's creation reach the server, so the online visit is a plain repeat visit.
  await page.getByTestId('sync-status').getByText('All answers synced').waitFor();
  await page.close();

  const samples = { offline: [] as number[], online: [] as number[] };
  // One unmeasured visit each: the first visit after setup warms caches both modes then share.
  let visits = 0;
  for (let i = -1; i < runs; i++) {
    for (const mode of ['offline', 'online'] as const) {
      await context.setOffline(mode === 'offline');
      const ms = await visit(context, blockUrl, visits++ % 2 === 0 ? 'a' : 'b');
      if (i >= 0) {
        samples[mode].push(ms);
        console.log(`${mode.padEnd(7)} #${i + 1}: ${ms.toFixed(0)} ms`);
      }
    }
  }
  await context.setOffline(false);

  const offline = stats(samples.offline);
  const online = stats(samples.online);
  const ratio = Math.round((offline.p50 / online.p50) * 100) / 100;
  console.log(`offline repeat visit → interactive question: p50 ${offline.p50} ms, p95 ${offline.p95} ms (min ${offline.min}, max ${offline.max})`);
  console.log(`online repeat visit  → interactive question: p50 ${online.p50} ms, p95 ${online.p95} ms (min ${online.min}, max ${online.max})`);
  console.log(`ratio offline/online (p50): ${ratio}`);
  console.log(JSON.stringify({ bench: 'offline-repeat-visit', runs, offline, online, ratioP50: ratio }));
} finally {
  await browser?.close();
  await preview?.close();
  await api.close();
  await rm(outDir, { recursive: true, force: true });
}
// Something the in-process vite build or the PGlite server starts keeps the event loop alive after
// everything above is closed; the benchmark is done, so leave.
process.exit(0);
