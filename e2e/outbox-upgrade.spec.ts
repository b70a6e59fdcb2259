/**
 * The outbox outlives a deploy and a long absence: a block answered and ended offline, its queue written
 * to IndexedDB by one build, is opened eight days later by another build (the stored client's buster and
 * timestamp are rewritten to say so). React Query alone would drop that stored client whole; the app keeps
 * its pending offline mutations (src/lib/persist.ts keepOutbox) and sends them when the network returns.
 * The player's saved block sessions are removed first, so nothing but the restored outbox can bring the
 * answers and the completion back.
 */
import { z } from 'zod';
import { expect, test } from './fixtures.ts';
import { publishedQuestions, serverAnswers, signedInClient } from './api.ts';
import { persistedCache, persistedOfflineMutations, queueBlock, signInNewStudent, waitForE2EHooks } from './ui.ts';
import { CHOICES } from '../src/lib/taxonomy.ts';

const OFFLINE_NOISE = /ERR_INTERNET_DISCONNECTED|Failed to fetch|Failed to load resource/;

test('answers and a completion queued offline survive a new build and eight days away, then sync once', async ({ page, context, consoleErrors }) => {
  test.setTimeout(90_000);
  consoleErrors.expect(OFFLINE_NOISE);
  const { student, token } = await signInNewStudent(page, 'upgrade');
  const ids = (await publishedQuestions(token)).slice(0, 5).map((q) => q.id);

  await context.setOffline(true);
  await expect(page.getByTestId('sync-status')).toContainText('Offline');
  const given = await queueBlock(page, { questionIds: ids, choices: [...CHOICES], end: true });
  await page.evaluate(() => window.__roundsE2E?.persistNow());
  expect(await persistedOfflineMutations(page)).toEqual({ answers: 5, attempts: 2 }); // created + completed

  // Another build, eight days later: rewrite what the stored client says of itself, and drop the saved
  // block sessions (the other way answers come back after a restore).
  const raw = await persistedCache(page);
  if (raw === null) throw new Error('no persisted cache');
  const client = JSON.parse(raw) as { buster: string; timestamp: number };
  await persistedCache(page, JSON.stringify({ ...client, buster: 'an-older-build', timestamp: Date.now() - 8 * 24 * 60 * 60 * 1000 }));
  await page.evaluate(() => {
    for (const key of Object.keys(localStorage)) if (key.startsWith('rounds.player.')) localStorage.removeItem(key);
  });

  // Killed and opened again (a crash, not a reload: see e2e/sync-budget.spec.ts), still offline.
  const crashed = page.waitForEvent('crash');
  void (await context.newCDPSession(page)).send('Page.crash').catch(() => undefined);
  await crashed;
  await page.close();
  const app = await context.newPage();
  await app.goto('/');
  await waitForE2EHooks(app);
  await expect(app.getByTestId('sync-status')).toContainText('Offline — 5 answers saved on this device');
  expect(await serverAnswers(token)).toEqual([]);

  await context.setOffline(false);
  await expect.poll(() => serverAnswers(token).then((rows) => rows.length), { timeout: 30_000 }).toBe(5);
  await expect(app.getByTestId('sync-status')).toContainText('All answers synced', { timeout: 30_000 });
  const stored = await serverAnswers(token);
  expect(stored.map((a) => a.id).sort()).toEqual([...given.answerIds].sort());
  const db = await signedInClient(student.email, student.password);
  const { data } = await db.from('attempts').select('id, completed_at').eq('id', given.attemptId).single().throwOnError();
  expect(z.object({ id: z.string(), completed_at: z.string() }).parse(data).id).toBe(given.attemptId);
});
