/**
 * Pages must not jump while their data arrives (Lighthouse's CLS, and a student tapping the wrong
 * thing). Measured with the browser's own Layout Instability API on a device with nothing cached: the
 * session is there (signed in) but no stored query cache and no service worker, and one response is held
 * back so the parts of the page arrive in the worst order. The sum of shift scores must be exactly 0.
 */
import type { Page } from '@playwright/test';
import { demoStudent } from './api.ts';
import { expect, test } from './fixtures.ts';
import { signInThroughUi } from './ui.ts';

declare global {
  interface Window {
    __layoutShifts?: { value: number; sources: string[] }[];
  }
}

interface LayoutShiftEntry extends PerformanceEntry {
  value: number;
  hadRecentInput: boolean;
  sources: { node: Node | null }[];
}

/** A fresh context signed in as the demo student (local storage only), recording layout shifts. */
async function coldSignedInPage(page: Page): Promise<Page> {
  await signInThroughUi(page, demoStudent.email, demoStudent.password);
  const browser = page.context().browser();
  if (!browser) throw new Error('no browser');
  const { origins } = await page.context().storageState();
  const context = await browser.newContext({
    baseURL: new URL(page.url()).origin,
    viewport: { width: 412, height: 823 },
    storageState: { cookies: [], origins: origins.map((o) => ({ origin: o.origin, localStorage: o.localStorage })) },
  });
  const cold = await context.newPage();
  await cold.addInitScript(() => {
    window.__layoutShifts = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as LayoutShiftEntry[]) {
        if (entry.hadRecentInput) continue;
        const sources = entry.sources.map((s) => (s.node instanceof Element ? `${s.node.tagName.toLowerCase()}.${s.node.className}` : String(s.node?.nodeName)));
        window.__layoutShifts?.push({ value: entry.value, sources });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  return cold;
}

async function layoutShifts(page: Page) {
  // Two frames after the last change, so any pending shift has been reported.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return page.evaluate(() => window.__layoutShifts ?? []);
}

/** Requests matching `url` reach the server 1.5 s late, so the page renders without their data first. */
async function answerLate(page: Page, url: string): Promise<void> {
  await page.route(url, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
}

test('home does not jump while its widgets arrive (stats last, nothing cached)', async ({ page }) => {
  const cold = await coldSignedInPage(page);
  // The stats (the tallest widget) answer 1.5 s after the recent blocks.
  await answerLate(cold, '**/rest/v1/rpc/get_my_stats');
  await cold.goto('/');
  const stats = cold.getByRole('region', { name: 'Your stats' });
  await expect(stats.getByRole('figure', { name: 'Accuracy by organ system' })).toBeVisible();
  await expect(cold.getByRole('region', { name: 'Recent blocks' }).getByRole('link', { name: 'Review' }).first()).toBeAttached();
  await expect(cold.getByRole('region', { name: 'Offline question bank' })).toBeAttached();
  expect(await layoutShifts(cold)).toEqual([]);
  await cold.context().close();
});

test('the leaderboard does not jump while the board and the student position arrive', async ({ page }) => {
  const cold = await coldSignedInPage(page);
  await answerLate(cold, '**/rest/v1/rpc/get_leaderboard');
  await cold.goto('/leaderboard');
  await expect(cold.getByRole('heading', { name: 'Leaderboard' })).toBeVisible();
  await expect(cold.getByRole('listitem').filter({ hasText: 'Rank 1' })).toBeVisible();
  expect(await layoutShifts(cold)).toEqual([]);
  await cold.context().close();
});
