import type { Request, Route } from '@playwright/test';
import { demoStudent } from './api.ts';
import { expect, test } from './fixtures.ts';
import { expectNoSeriousA11yViolations, signInThroughUi } from './ui.ts';

const STATS_RPC = '**/rest/v1/rpc/get_my_stats';

/** The API is another origin than the app: a hand-made answer needs CORS headers like the real server's. */
function corsHeaders(request: Request): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': request.headers()['origin'] ?? '*',
    'Access-Control-Expose-Headers': 'Retry-After, Content-Range, X-Sb-Error-Code',
  };
}

function fulfilJson(route: Route, status: number, body: unknown, headers: Record<string, string> = {}) {
  return route.fulfill({
    status,
    contentType: 'application/json',
    headers: { ...corsHeaders(route.request()), ...headers },
    body: JSON.stringify(body),
  });
}

test('a failing stats widget shows its own fallback, the rest of home keeps working, and "Try again" recovers', async ({
  page,
  consoleErrors,
}) => {
  // Chromium logs each failed request, and React logs the error its boundary caught.
  consoleErrors.expect(/status of 500/);
  consoleErrors.expect(/PostgrestError: injected failure/);
  let calls = 0;
  // The network layer retries server errors 3 times (1, 2, 4 s), so 4 failures exhaust one load.
  await page.route(STATS_RPC, async (route) => {
    calls += 1;
    if (calls <= 4) await fulfilJson(route, 500, { code: 'XX000', message: 'injected failure', details: null, hint: null });
    else {
      // The retry after "Try again" takes a moment, so the page can be seen while it runs.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    }
  });

  await signInThroughUi(page, demoStudent.email, demoStudent.password);
  await expect(page.getByRole('heading', { name: 'Home' })).toBeVisible();

  // While retrying: a calm note, no error yet.
  await expect(page.getByText('Still loading your stats — trying again…')).toBeVisible();

  const fallback = page.getByRole('alert').filter({ hasText: 'Your stats could not load.' });
  await expect(fallback).toBeVisible({ timeout: 20_000 });
  await expect(fallback).toContainText('The server had a problem — try again in a moment.');
  expect(calls).toBe(4);

  // The other widgets do not depend on the stats.
  const recent = page.getByRole('region', { name: 'Recent blocks' });
  await expect(recent.getByRole('link', { name: 'Review' }).first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'Create a block' })).toBeVisible();

  await fallback.getByRole('button', { name: 'Try again' }).click();
  // While the stats retry, the rest of home stays where it is.
  await expect(page.getByText('Loading your stats…')).toBeVisible();
  await expect(recent.getByRole('link', { name: 'Review' }).first()).toBeVisible();
  await expect(page.getByText('Loading your dashboard…')).toHaveCount(0);
  const stats = page.getByRole('region', { name: 'Your stats' });
  await expect(stats.locator('dt', { hasText: 'Answered' })).toBeVisible();
  await expect(stats.getByRole('figure', { name: 'Accuracy by organ system' })).toBeVisible();
  await expect(stats.getByRole('table', { name: 'Accuracy by organ system' })).toBeAttached();
  await expect(stats).toContainText(/Better than \d+\s% of your cohort|Answer \d+ more to be ranked/);
  await expect(fallback).toHaveCount(0);
  expect(calls).toBe(5);

  await expectNoSeriousA11yViolations(page);
});

test('when the server says it is busy (429 + Retry-After) home waits calmly and recovers by itself', async ({ page, consoleErrors }) => {
  consoleErrors.expect(/status of 429/);
  let calls = 0;
  await page.route(STATS_RPC, async (route) => {
    calls += 1;
    if (calls <= 2) {
      await fulfilJson(
        route,
        429,
        {
          code: 'rate_limited',
          message: 'Too many get_my_stats requests: at most 60 every 60 seconds.',
          details: JSON.stringify({ retry_after_seconds: 2 }),
          hint: null,
        },
        { 'Retry-After': '2' },
      );
    } else {
      await route.continue();
    }
  });

  await signInThroughUi(page, demoStudent.email, demoStudent.password);
  const stats = page.getByRole('region', { name: 'Your stats' });
  await expect(stats.getByText('Rounds is busy right now — your stats will load in a moment.')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);

  await expect(stats.locator('dt', { hasText: 'Answered' })).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(calls).toBe(3);
});
