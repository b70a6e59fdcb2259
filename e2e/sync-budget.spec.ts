/**
 * The outbox's request budget, deterministic: 500 answers queued offline (13 blocks), restored from
 * IndexedDB after an offline reload, reach the server in at most 10 `submit_answers` calls — ≤ 50 answers
 * per call, each call carrying the blocks of its answers — and each of them exactly once.
 *
 * The queue is built by the app's own mutation layer through the e2e hook (src/app/e2e-hooks.ts: the real
 * createAttempt / submitAnswer mutations, variable stamps, player reducer and saved block sessions);
 * answering 500 questions through the UI would take minutes and test nothing more about the sync.
 */
import type { Request } from '@playwright/test';
import { z } from 'zod';
import { expect, test } from './fixtures.ts';
import { publishedQuestions, serverAnswers } from './api.ts';
import { persistedOfflineMutations, signInNewStudent, waitForE2EHooks } from './ui.ts';
import { CHOICES } from '../src/lib/taxonomy.ts';

const BLOCK_SIZES = [...Array.from({ length: 12 }, () => 40), 20]; // 13 blocks, 500 answers
const REQUEST_BUDGET = 10;
// Offline, Chromium logs every refused request (the app's reads; the outbox waits for the network).
const OFFLINE_NOISE = /ERR_INTERNET_DISCONNECTED|Failed to fetch|Failed to load resource/;

const isSubmitAnswers = (request: Request) => request.method() === 'POST' && new URL(request.url()).pathname === '/rest/v1/rpc/submit_answers';

test('500 answers queued offline and restored from IndexedDB sync in at most 10 requests, each stored once', async ({ page, context, consoleErrors }) => {
  test.setTimeout(90_000);
  consoleErrors.expect(OFFLINE_NOISE);
  const { token } = await signInNewStudent(page, 'budget');
  const questions = await publishedQuestions(token);
  expect(questions.length).toBeGreaterThanOrEqual(40);

  await context.setOffline(true);
  await expect(page.getByTestId('sync-status')).toContainText('Offline');
  const given = await page.evaluate(
    ({ sizes, ids, letters }) =>
      sizes.map((size, b) => {
        const hooks = window.__roundsE2E;
        if (!hooks) throw new Error('e2e hooks missing: build with npm run build:e2e');
        // Each block its own slice of the bank (wrapping), so blocks differ but ids stay published.
        const questionIds = Array.from({ length: size }, (_, i) => ids[(b * 7 + i) % ids.length] ?? 0);
        const choices = questionIds.map((_, i) => letters[(b + i) % letters.length] ?? 'A');
        return hooks.queueBlock({ questionIds, choices });
      }),
    // The page runs this function from its source: the letters travel as an argument.
    { sizes: BLOCK_SIZES, ids: questions.map((q) => q.id), letters: CHOICES },
  );
  const givenIds = given.flatMap((b) => b.answerIds);
  expect(new Set(givenIds).size).toBe(500);
  await expect(page.getByTestId('sync-status')).toContainText('Offline — 500 answers saved on this device');

  // The queue is in IndexedDB before the app is closed, so what comes back is the persisted outbox.
  await page.evaluate(() => window.__roundsE2E?.persistNow());
  expect(await persistedOfflineMutations(page)).toEqual({ answers: 500, attempts: BLOCK_SIZES.length });
  // The app is killed and opened again in a new tab. Not page.reload() or page.close(): while the
  // outgoing document is torn down, Chromium lifts its offline emulation (it fires `online` there) and
  // the outbox, rightly, starts sending — requests Playwright does not see, so the budget could not be
  // counted. A crashed renderer sends nothing.
  const crashed = page.waitForEvent('crash');
  void (await context.newCDPSession(page)).send('Page.crash').catch(() => undefined);
  await crashed;
  await page.close();
  const app = await context.newPage();
  const errors: string[] = [];
  app.on('console', (m) => {
    if (m.type() === 'error' && !OFFLINE_NOISE.test(m.text())) errors.push(m.text());
  });
  app.on('pageerror', (e) => errors.push(e.message));
  const requests: Request[] = [];
  app.on('request', (request) => {
    if (isSubmitAnswers(request)) requests.push(request);
  });
  await app.goto('/');
  await waitForE2EHooks(app);
  await expect(app.getByTestId('sync-status')).toContainText('Offline — 500 answers saved on this device');
  expect(await serverAnswers(token)).toEqual([]);
  const offlineTries = requests.length;

  await context.setOffline(false);
  await expect.poll(() => serverAnswers(token).then((rows) => rows.length), { timeout: 60_000 }).toBe(500);
  await expect(app.getByTestId('sync-status')).toContainText('All answers synced', { timeout: 30_000 });
  const sent = requests.slice(offlineTries);

  const stored = await serverAnswers(token);
  expect(new Set(stored.map((a) => a.id))).toEqual(new Set(givenIds));
  expect(new Set(stored.map((a) => a.attempt_id))).toEqual(new Set(given.map((b) => b.attemptId)));
  // The app's own count agrees with what the browser saw leave the page.
  expect(await app.evaluate(() => window.__roundsE2E?.outboxRequestCount())).toBe(requests.length);
  const sizes = sent.map((r) => z.object({ answers: z.array(z.unknown()) }).parse(r.postDataJSON()).answers.length);
  console.log(`sync budget: 500 answers in ${sent.length} submit_answers requests (${sizes.join(', ')} answers)`);
  expect(sent.length).toBeLessThanOrEqual(REQUEST_BUDGET);
  expect(errors).toEqual([]);
});
