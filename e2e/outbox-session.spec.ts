/**
 * A session that expires while the student is offline (docs/offline-outbox.md#sessions-and-ownership). The
 * outbox sends only under a usable session of the user who queued the answers (src/answer-sync/outbox.ts
 * requireSessionOf): with an expired access token and no network to refresh it, the queue waits — no
 * answer is marked failed, none is sent with the anon key — and when the network returns, supabase-js
 * refreshes the session and the queue goes out once, under the new token.
 *
 * The expiry is the client's view of it: the stored session's expires_at is moved into the past (the
 * e2e server issues one-hour tokens, and waiting an hour is not a test).
 *
 * Ownership: answers queued by one student are never sent while another student is signed in on the same
 * device (they would be stored as the other student's); they wait for their own student.
 */
import type { Request } from '@playwright/test';
import { z } from 'zod';
import { expect, test } from './fixtures.ts';
import { pageAccessToken, publishedQuestions, serverAnswers, signUpStudent } from './api.ts';
import { queueBlock, signInNewStudent, signInThroughUi, waitForE2EHooks, waitForServiceWorker } from './ui.ts';

const OFFLINE_NOISE = /ERR_INTERNET_DISCONNECTED|Failed to fetch|Failed to load resource/;

test('answers queued while the session expires offline wait, then sync once under the refreshed session', async ({ page, context, consoleErrors }) => {
  test.setTimeout(90_000);
  consoleErrors.expect(OFFLINE_NOISE);
  const { token: oldToken } = await signInNewStudent(page, 'expiry');
  const ids = (await publishedQuestions(oldToken)).slice(0, 3).map((q) => q.id);

  const sent: Request[] = [];
  page.on('request', (r) => {
    const { pathname, search } = new URL(r.url());
    if (pathname === '/rest/v1/rpc/submit_answers' || (pathname === '/auth/v1/token' && search.includes('grant_type=refresh_token'))) sent.push(r);
  });

  await context.setOffline(true);
  await expect(page.getByTestId('sync-status')).toContainText('Offline');
  // The access token runs out while offline.
  await page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => /^sb-.*-auth-token$/.test(k));
    if (!key) throw new Error('no stored session');
    const session = JSON.parse(localStorage.getItem(key) ?? '{}') as { expires_at: number };
    localStorage.setItem(key, JSON.stringify({ ...session, expires_at: Math.floor(Date.now() / 1000) - 60 }));
  });
  const given = await queueBlock(page, { questionIds: ids, choices: ['A', 'B', 'C'] });
  await expect(page.getByTestId('sync-status')).toContainText('Offline — 3 answers saved on this device');
  // "Sync now" while offline and expired: still waiting, nothing failed.
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await expect.poll(() => page.evaluate(() => window.__roundsE2E?.waitingAnswers())).toBe(3);
  await expect(page.getByTestId('sync-status')).not.toContainText('failed');

  // A token minted in the same second as the old one has the same claims (iat is in seconds), and so
  // the same bytes: let that second pass, so "refreshed" can be told apart from "not refreshed".
  const oldIat = z.object({ iat: z.number() }).parse(JSON.parse(Buffer.from(oldToken.split('.')[1] ?? '', 'base64url').toString())).iat;
  await expect.poll(() => Math.floor(Date.now() / 1000)).toBeGreaterThan(oldIat);
  await context.setOffline(false);
  await expect.poll(() => serverAnswers(oldToken).then((rows) => rows.length), { timeout: 30_000 }).toBe(3);
  await expect(page.getByTestId('sync-status')).toContainText('All answers synced', { timeout: 30_000 });
  expect((await serverAnswers(oldToken)).map((a) => a.id).sort()).toEqual([...given.answerIds].sort());

  // The session was refreshed before any answer left, and every answer request carried the new token.
  const newToken = await pageAccessToken(page);
  expect(newToken).not.toBe(oldToken);
  const firstRefresh = sent.findIndex((r) => new URL(r.url()).pathname === '/auth/v1/token');
  const submits = sent.filter((r) => new URL(r.url()).pathname === '/rest/v1/rpc/submit_answers');
  expect(firstRefresh).toBeGreaterThanOrEqual(0);
  expect(submits.length).toBeGreaterThan(0);
  expect(sent.indexOf(submits[0] as Request)).toBeGreaterThan(firstRefresh);
  for (const r of submits) expect(r.headers().authorization).toBe(`Bearer ${newToken}`);
});

test('answers queued by one student wait while another signs in on the device, and sync under their own', async ({ page, context, consoleErrors }) => {
  test.setTimeout(90_000);
  consoleErrors.expect(/Failed to load resource|Failed to fetch/);
  const [alice, bob] = [await signUpStudent('owner'), await signUpStudent('other')];
  await signInThroughUi(page, alice.email, alice.password);
  await waitForServiceWorker(page);
  await waitForE2EHooks(page);
  const aliceToken = await pageAccessToken(page);
  const ids = (await publishedQuestions(aliceToken)).slice(0, 3).map((q) => q.id);

  // Alice's answers cannot get through (the connection drops every sync request) before she signs out.
  const route = '**/rest/v1/rpc/submit_answers';
  await context.route(route, (r) => r.abort('internetdisconnected'));
  const given = await queueBlock(page, { questionIds: ids, choices: ['A', 'B', 'C'] });
  await expect.poll(() => page.evaluate(() => window.__roundsE2E?.outboxRequestCount())).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signInThroughUi(page, bob.email, bob.password);
  const bobToken = await pageAccessToken(page);

  // Bob is signed in and the network is fine: Alice's queue must not go out under Bob's session.
  await context.unroute(route);
  const before = await page.evaluate(() => window.__roundsE2E?.outboxRequestCount() ?? 0);
  await page.evaluate(() => window.dispatchEvent(new Event('online'))); // a resume trigger
  await new Promise((resolve) => setTimeout(resolve, 3000)); // the pipeline sends within 30 ms of a resume
  expect(await page.evaluate(() => window.__roundsE2E?.outboxRequestCount() ?? 0)).toBe(before);
  expect(await page.evaluate(() => window.__roundsE2E?.waitingAnswers())).toBe(0); // none of them are Bob's
  await expect(page.getByTestId('sync-status')).toContainText('3 answers from another account on this device will sync when it signs in here again.');
  expect(await serverAnswers(bobToken)).toEqual([]);
  expect(await serverAnswers(aliceToken)).toEqual([]);

  // Alice signs in again: her answers go out, stored once, as hers.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await signInThroughUi(page, alice.email, alice.password);
  await expect.poll(() => serverAnswers(aliceToken).then((rows) => rows.length), { timeout: 30_000 }).toBe(3);
  await expect(page.getByTestId('sync-status')).toContainText('All answers synced');
  await expect(page.getByTestId('sync-status')).not.toContainText('another account');
  expect((await serverAnswers(aliceToken)).map((a) => a.id).sort()).toEqual([...given.answerIds].sort());
  expect(await serverAnswers(bobToken)).toEqual([]);
});
