/**
 * The PWA layer against the built app: offline start from the precache, a precache that holds every
 * chunk, an installable manifest, and the update flow (held back during a block). Each Playwright test
 * gets a fresh browser context, so every test starts with no service worker and empty caches.
 */
import { cp, mkdtemp, readdir, readFile, rm, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { repoRoot } from '../supabase/local/config.ts';
import { startPreview } from '../scripts/preview-server.ts';
import { signUpStudent } from './api.ts';
import { E2E_API_URL_VAR } from './e2e-env.ts';
import { expect, test } from './fixtures.ts';
import { signInThroughUi, waitForE2EHooks, waitForServiceWorker } from './ui.ts';

const distDir = path.join(repoRoot, 'dist');
const student = { email: 'student@example.com', password: 'rounds-demo' };

/** The URLs vite-plugin-pwa injected into dist/sw.js, relative to the site root. */
async function precacheUrls(): Promise<Set<string>> {
  const sw = await readFile(path.join(distDir, 'sw.js'), 'utf8');
  return new Set([...sw.matchAll(/["']?url["']?\s*:\s*["']([^"']+)["']/g)].map((m) => m[1] ?? ''));
}

test('every built file the app loads is in the precache manifest', async () => {
  const urls = await precacheUrls();
  const assets = (await readdir(path.join(distDir, 'assets'))).filter((f) => /\.(js|css)$/.test(f));
  expect(assets.filter((f) => f.endsWith('.js')).length).toBeGreaterThan(1);
  const missing = assets.map((f) => `assets/${f}`).filter((url) => !urls.has(url));
  expect(missing, 'chunks missing from the precache (they would not load offline)').toEqual([]);
  for (const url of ['index.html', 'manifest.webmanifest', 'icons/icon-192.png', 'icons/icon-512.png', 'icons/icon-maskable-512.png']) {
    expect(urls, url).toContain(url);
  }
});

test('after one visit the app opens offline, and the service worker never answers API requests', async ({ page, consoleErrors }) => {
  // Offline, the browser logs each failed API request; that is expected here.
  consoleErrors.expect(/ERR_INTERNET_DISCONNECTED/);
  const apiOrigin = new URL(process.env[E2E_API_URL_VAR] ?? 'http://127.0.0.1:54329').origin;
  const fromServiceWorker: string[] = [];
  page.on('response', (response) => {
    if (response.fromServiceWorker()) fromServiceWorker.push(response.url());
  });

  await page.goto('/');
  await page.getByLabel('Email').fill(student.email);
  await page.getByLabel('Password').fill(student.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'New block' })).toBeVisible();
  await waitForServiceWorker(page);

  // The install step cached the whole build, not just what this visit happened to load.
  const cached = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  });
  const chunks = (await readdir(path.join(distDir, 'assets'))).filter((f) => f.endsWith('.js'));
  for (const chunk of chunks) expect(cached, chunk).toContain(`/assets/${chunk}`);

  // Same-origin API-looking navigations go to the network (here: the preview server's SPA fallback).
  const callback = await page.goto('/auth/v1/callback');
  expect(callback?.fromServiceWorker()).toBe(false);
  // The app has no page there and says so (the service worker must not serve that address offline).
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to Home' }).click();
  await expect(nav).toBeVisible();

  await page.context().setOffline(true);
  const reloaded = await page.reload();
  expect(reloaded?.fromServiceWorker()).toBe(true);
  await expect(nav.getByRole('link', { name: 'New block' })).toBeVisible();

  // A route whose chunk this visit never loaded still opens: it comes from the precache.
  const settingsChunk = page.waitForResponse((r) => /\/assets\/settings-page-[^/]+\.js$/.test(r.url()));
  await nav.getByRole('link', { name: 'Settings' }).click();
  expect((await settingsChunk).fromServiceWorker()).toBe(true);
  await expect(page).toHaveTitle(/Settings/);

  // Offline, an API path on the app's origin is a network error, never the cached app shell.
  await expect(page.goto('/rest/v1/questions')).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/);

  const apiAnswers = fromServiceWorker.filter((url) => {
    const u = new URL(url);
    return u.origin === apiOrigin || /^\/(rest|auth)\//.test(u.pathname);
  });
  expect(apiAnswers, 'API responses served by the service worker').toEqual([]);
});

test('the web app manifest is served correctly and Chromium considers the app installable', async ({ page, request }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBe('/manifest.webmanifest');

  const response = await request.get('/manifest.webmanifest');
  expect(response.headers()['content-type']).toMatch(/^application\/manifest\+json/);
  expect(response.headers()['cache-control']).toBe('no-cache');
  const manifest: unknown = await response.json();
  expect(manifest).toMatchObject({
    name: 'Rounds — USMLE question bank',
    short_name: 'Rounds',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    theme_color: '#1f4e5f',
    background_color: '#f6f7f5',
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  });
  expect((await request.get('/sw.js')).headers()['cache-control']).toBe('no-cache');

  // Each icon (and the apple-touch-icon) decodes as an image of the declared size.
  const appleTouchIcon = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
  const icons = [
    { src: '/icons/icon-192.png', size: 192 },
    { src: '/icons/icon-512.png', size: 512 },
    { src: '/icons/icon-maskable-512.png', size: 512 },
    { src: appleTouchIcon ?? 'missing apple-touch-icon link', size: 180 },
  ];
  for (const { src, size } of icons) {
    const dimensions = await page.evaluate(async (url) => {
      const img = new Image();
      img.src = url;
      await img.decode();
      return [img.naturalWidth, img.naturalHeight];
    }, src);
    expect(dimensions, src).toEqual([size, size]);
  }

  // Chromium's own verdict (manifest fields, icons, service worker), as used for its install UI.
  await waitForServiceWorker(page);
  const cdp = await page.context().newCDPSession(page);
  const { errors: manifestErrors } = await cdp.send('Page.getAppManifest', {});
  expect(manifestErrors).toEqual([]);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  // Playwright contexts are off-the-record, which Chromium reports as "in-incognito"; it still lists
  // every other problem (checked: a page without a manifest also gets manifest and origin errors).
  expect(installabilityErrors.filter((e) => e.errorId !== 'in-incognito')).toEqual([]);
});

test('"Install app" appears only when the browser offers installation, and goes away once used', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  const install = page.getByRole('button', { name: 'Install app' });
  await expect(install).toHaveCount(0);

  // Headless Chromium does not raise a real install offer (it needs user-engagement heuristics), so this
  // dispatches the event the way Chromium shapes it and checks the app's side of the contract.
  await page.evaluate(() => {
    const offer = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
      prompt: async () => {
        document.documentElement.dataset.installPrompted = 'yes';
      },
      userChoice: Promise.resolve({ outcome: 'accepted', platform: 'web' }),
    });
    window.dispatchEvent(offer);
  });
  await install.click();
  await expect(page.locator('html')).toHaveAttribute('data-install-prompted', 'yes');
  await expect(install).toHaveCount(0);
});

test('the install offer appears without moving the page (phone and desktop widths)', async ({ page }) => {
  await page.goto('/');
  await signInThroughUi(page, student.email, student.password);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  for (const viewport of [
    { width: 412, height: 823 }, // Lighthouse's mobile screen
    { width: 1280, height: 800 },
  ]) {
    await page.setViewportSize(viewport);
    const install = page.getByRole('button', { name: 'Install app' });
    await expect(install).toHaveCount(0);
    const mainTop = async () => (await page.locator('main#main').boundingBox())?.y;
    const before = await mainTop();
    expect(before).toBeGreaterThan(0);
    await page.evaluate(() => {
      const offer = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
        prompt: async () => undefined,
        userChoice: Promise.resolve({ outcome: 'dismissed', platform: 'web' }),
      });
      window.dispatchEvent(offer);
    });
    await expect(install).toBeVisible();
    // A layout shift, as Lighthouse's CLS counted it on the player before the header was reshaped.
    expect(await mainTop(), `main moved at ${viewport.width}px`).toBe(before);
    await install.click(); // dismissed: the offer is used up and the button goes
    await expect(install).toHaveCount(0);
  }
});

test('a new version waits for the end of a block, then Reload activates it', async ({ page }) => {
  // Its own copy of the build on its own origin, so sw.js can change without touching dist/.
  const dir = await mkdtemp(path.join(tmpdir(), 'rounds-sw-update-'));
  await cp(distDir, dir, { recursive: true });
  const preview = await startPreview({ dir, port: 0, host: '127.0.0.1' });
  try {
    const student = await signUpStudent('sw-update');
    await page.goto(`${preview.url}/signin`);
    await page.getByLabel('Email').fill(student.email);
    await page.getByLabel('Password').fill(student.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await waitForServiceWorker(page);
    await waitForE2EHooks(page);
    const banner = page.getByRole('status').filter({ hasText: 'Update available' });

    // A block starts, then a deploy lands: a different sw.js byte-for-byte is a new version.
    await page.evaluate(() => window.__roundsE2E?.setActiveBlock('block-under-test'));
    await appendFile(path.join(dir, 'sw.js'), `\n// deploy ${Date.now()}\n`);
    // The preview serves pre-compressed copies when they exist; a real deploy rebuilds them too.
    await rm(path.join(dir, 'sw.js.br'), { force: true });
    await rm(path.join(dir, 'sw.js.gz'), { force: true });
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration?.update();
    });
    await expect
      .poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state ?? null))
      .toBe('installed');
    // workbox-window announces `waiting` 250 ms after install; give it well over that, then check the
    // banner is still held back because of the block.
    await page.waitForTimeout(1000);
    await expect(banner).toHaveCount(0);

    await page.evaluate(() => window.__roundsE2E?.setActiveBlock(null));
    await expect(banner).toBeVisible();
    const { violations } = await new AxeBuilder({ page }).include('.update-banner').analyze();
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

    // Reload activates the waiting worker and reloads the page into it.
    await page.evaluate(() => {
      document.documentElement.dataset.beforeUpdate = 'yes';
    });
    await banner.getByRole('button', { name: 'Reload' }).click();
    await expect(page.locator('html')).not.toHaveAttribute('data-before-update', 'yes');
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    const after = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      return { waiting: Boolean(registration?.waiting), controlled: navigator.serviceWorker.controller !== null };
    });
    expect(after).toEqual({ waiting: false, controlled: true });
    await expect(banner).toHaveCount(0);
  } finally {
    await preview.close();
    await rm(dir, { recursive: true, force: true });
  }
});
