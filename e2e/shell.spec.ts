import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { signUpStudent } from './api.ts';
import { persistedCache } from './ui.ts';

const student = { email: 'student@example.com', password: 'rounds-demo' };

async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious).toEqual([]);
}

async function signIn(page: Page, password: string): Promise<void> {
  await page.getByLabel('Email').fill(student.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('the sign-in page has no serious accessibility violations', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test('a student signs in, lands on home with the main navigation, and signs out', async ({ page }) => {
  await page.goto('/');
  await signIn(page, student.password);

  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'New block' })).toBeVisible();
  await expect(page).toHaveURL(/\/$/);
  await expectNoSeriousA11yViolations(page);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  // Signing in again in the same tab: the full app's own sign-in page this time, not the signed-out start.
  await signIn(page, student.password);
  await expect(nav.getByRole('link', { name: 'New block' })).toBeVisible();
});

/** Which of the app's lazily loaded chunks the page has requested so far. */
function lazyChunkWatcher(page: Page): () => string[] {
  const seen = new Set<string>();
  page.on('request', (r) => {
    const m = /\/assets\/(supabase|tanstack-query|zod|signed-in-app)-[\w-]+\.js$/.exec(new URL(r.url()).pathname);
    if (m?.[1]) seen.add(m[1]);
  });
  return () => [...seen].sort();
}

test('a first visit loads only the sign-in page; the rest of the app loads once the visitor starts on the form', async ({ page }) => {
  const requested = lazyChunkWatcher(page);
  await page.goto('/signin');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.waitForLoadState('load');
  expect(requested()).toEqual([]);

  await page.getByLabel('Email').focus();
  await expect.poll(requested).toEqual(['signed-in-app', 'supabase', 'tanstack-query', 'zod']);
  await signIn(page, student.password);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New block' })).toBeVisible();
  await expect(page).toHaveURL(/\/$/);
  await expect(page).toHaveTitle('Home · Rounds');
});

test.describe('the prerendered sign-in and sign-up pages', () => {
  // A first visit, over the network: the documents netlify.toml rewrites /signin and /signup to.
  test.use({ serviceWorkers: 'block' });

  test('show their form before any script runs, with the submit held until the page is live', async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/signin');
    await expect(page).toHaveTitle('Sign in · Rounds');
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByLabel('Email')).toBeEditable();
    // Submitted natively, the form would put the password in the address.
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeDisabled();
    await page.goto('/signup');
    await expect(page).toHaveTitle('Create your account · Rounds');
    await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Create account' })).toBeDisabled();
    await context.close();
  });

  test('what a visitor typed before the script arrived is kept: the page is hydrated, not drawn again', async ({ page }) => {
    let releaseEntry = () => {};
    const entryHeld = new Promise<void>((resolve) => (releaseEntry = resolve));
    await page.route(/\/assets\/index-[\w-]+\.js$/, async (route) => {
      await entryHeld;
      await route.continue();
    });
    // Not 'domcontentloaded': that waits for the (held) module script.
    await page.goto('/signin', { waitUntil: 'commit' });
    await page.getByLabel('Email').fill(student.email);
    await page.getByLabel('Password').fill(student.password);
    await page.getByRole('heading', { name: 'Sign in' }).evaluate((h) => h.setAttribute('data-before-script', ''));

    releaseEntry();
    const submit = page.getByRole('button', { name: 'Sign in' });
    await expect(submit).toBeEnabled();
    await expect(page.locator('h1[data-before-script]')).toHaveText('Sign in');
    await expect(page.getByLabel('Email')).toHaveValue(student.email);
    await submit.click();
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New block' })).toBeVisible();
  });
});

test.describe('when the app code cannot be loaded', () => {
  // Without a service worker every chunk comes from the network, where the test can refuse it.
  test.use({ serviceWorkers: 'block' });

  test('the sign-in form says so, and a signed-in reload offers to try again', async ({ page, consoleErrors }) => {
    consoleErrors.expect(/signed-in-app|Failed to fetch dynamically imported module|Failed to load resource/);
    await page.route(/\/assets\/signed-in-app-[\w-]+\.js$/, (route) => route.abort('internetdisconnected'));
    await page.goto('/signin');
    await signIn(page, student.password);
    await expect(page.getByRole('alert')).toHaveText(/You're signed in, but Rounds couldn't finish loading/);
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();

    // The session is stored: a reload goes straight for the app's code, and says calmly that it failed.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Something went wrong' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Reload the page' })).toBeVisible();

    await page.unroute(/\/assets\/signed-in-app-[\w-]+\.js$/);
    await page.getByRole('button', { name: 'Reload the page' }).click();
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  });
});

test('a private page asks signed-out visitors to sign in first', async ({ page }) => {
  await page.goto('/settings');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page).toHaveURL(/\/signin$/);
});

test('a wrong password shows a friendly error', async ({ page, consoleErrors }) => {
  // Chromium logs every failed request to the console; the 400 from the token endpoint is the point here.
  consoleErrors.expect(/status of 400/);
  await page.goto('/');
  await signIn(page, 'not-the-password');

  await expect(page.getByRole('alert')).toHaveText('Email or password is incorrect');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('a session that ended without "Sign out" leaves none of its data for the next student on the device', async ({ page }) => {
  await page.goto('/');
  await signIn(page, student.password);
  const stats = page.getByRole('region', { name: 'Your stats' });
  const answeredByDemo = (await stats.getByRole('definition').first().textContent()) ?? '';
  expect(Number(answeredByDemo)).toBeGreaterThan(0);
  await expect.poll(async () => (await persistedCache(page)) ?? '').toContain('["progress","stats"]');

  // The session ends on its own (revoked, expired for good): auth-js drops it, the cache stays behind.
  await page.evaluate(() => {
    for (const key of Object.keys(localStorage)) if (/^sb-.*-auth-token$/.test(key)) localStorage.removeItem(key);
  });
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  // The next student's stats are held back: whatever home shows meanwhile comes from the device.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/rest/v1/rpc/get_my_stats', async (route) => {
    await held;
    await route.continue();
  });
  const next = await signUpStudent('next-on-device');
  await page.getByLabel('Email').fill(next.email);
  await page.getByLabel('Password').fill(next.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();
  await expect(stats).toHaveCount(0);
  release();
  await expect(stats.getByRole('definition').first()).toHaveText('0');
});
