/**
 * Spaced review end to end (#17), on the built app against the local server: the questions a student
 * missed come back the next day (the browser's clock moved on), a review taken offline with a reload in
 * the middle syncs its answers exactly once and moves the cards, and two devices of one student that
 * studied apart show the same due list once both have synced.
 */
import type { Page } from '@playwright/test';
import { CHOICES, type Choice } from '../src/lib/taxonomy.ts';
import { expect, test } from './fixtures.ts';
import { pageAccessToken, publishedQuestions, serverAnswers, signUpStudent } from './api.ts';
import { exactlyOnce, givenAnswers, sentAnswersSchema, type SentAnswer } from './exactly-once.ts';
import { queueBlock, signInThroughUi, waitForE2EHooks, waitForServiceWorker } from './ui.ts';

const HOUR = 3_600_000;

/** The block's question ids, in order, from its ledger on the device. */
async function blockQuestionIds(page: Page, attemptId: string): Promise<number[]> {
  const ids = await page.waitForFunction((id) => {
    const raw = localStorage.getItem(`rounds.player.${id}`);
    return raw === null ? false : (JSON.parse(raw) as { attempt: { question_ids: number[] } }).attempt.question_ids;
  }, attemptId);
  return (await ids.jsonValue()) as number[];
}

const wrong = (key: Choice): Choice => CHOICES.find((c) => c !== key) ?? 'A';

async function answer(page: Page, n: number, total: number, choice: Choice, confidence?: 's' | 'u' | 'g'): Promise<void> {
  await expect(page.getByRole('heading', { name: `Question ${n} of ${total}` })).toBeVisible();
  await page.keyboard.press(choice.toLowerCase());
  if (confidence) await page.keyboard.press(confidence);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: new RegExp(`^Question ${n}, answered`) })).toBeVisible();
  if (n < total) await page.keyboard.press('n');
}

async function endBlock(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'End block' }).click();
  await page.getByRole('dialog', { name: 'End this block?' }).getByRole('button', { name: 'End block' }).click();
  await expect(page).toHaveURL(/\/review$/);
}

const tile = (page: Page, name: string) => page.getByRole('region', { name: 'Spaced review' }).locator('dt', { hasText: new RegExp(`^${name}$`) }).locator('xpath=..').locator('dd');

test('4 of 10 missed come back tomorrow; the review, taken offline with a reload, syncs once and moves them on', async ({ page, context, consoleErrors }) => {
  test.setTimeout(150_000);
  consoleErrors.expect(/ERR_INTERNET_DISCONNECTED|Failed to fetch|Failed to load resource/);
  const start = Date.now();
  await page.clock.install({ time: start });
  const sent: SentAnswer[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/rest/v1/rpc/submit_answers')) sent.push(...sentAnswersSchema.parse(request.postDataJSON()).answers);
  });
  const student = await signUpStudent('spaced');
  await signInThroughUi(page, student.email, student.password);
  await waitForServiceWorker(page);
  const token = await pageAccessToken(page);
  const keyOf = new Map((await publishedQuestions(token)).map((q) => [q.id, q.correct_choice]));
  await page.getByRole('button', { name: 'Make available offline' }).click();
  await expect(page.getByText(/\d+ questions are available offline( with \d+ images? \([^)]*\))?\./)).toBeVisible();
  await expect(tile(page, 'Due today')).toHaveCount(0); // nothing answered yet: no tiles, an invitation
  await expect(page.getByRole('region', { name: 'Spaced review' })).toContainText('Answer a block to start');

  // A 10-question tutor block: the first 4 wrong, the rest right (some said "sure").
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New block' }).click();
  await page.getByLabel('Number of questions').fill('10');
  await page.getByRole('button', { name: 'Start block' }).click();
  await expect(page).toHaveURL(/\/blocks\/[0-9a-f-]{36}$/);
  const blockId = /\/blocks\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
  const questionIds = await blockQuestionIds(page, blockId);
  const missed = questionIds.slice(0, 4);
  for (const [i, q] of questionIds.entries()) {
    const key = keyOf.get(q) ?? 'A';
    await answer(page, i + 1, 10, i < 4 ? wrong(key) : key, i >= 4 && i % 2 === 0 ? 's' : undefined);
  }
  await endBlock(page);
  await expect(page.getByTestId('sync-status')).toContainText('All answers synced');
  // The review screen shows each question's card: a miss comes back tomorrow.
  await expect(page.getByRole('region', { name: 'Spaced review of question 1', exact: true })).toContainText('You missed it once; next tomorrow.');

  // Today nothing is due; the forecast holds all 10.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
  await expect(tile(page, 'Due today')).toHaveText('0');
  await expect(page.getByRole('region', { name: 'Spaced review' })).toContainText('Nothing due today.');

  // The next day: the 4 misses are due, missed first.
  await page.clock.setSystemTime(start + 26 * HOUR);
  await page.reload();
  await expect(tile(page, 'Due today')).toHaveText('4');
  await expect(tile(page, 'Missed')).toHaveText('4');
  await expect(page.getByText('Spaced review: 4 questions due today, 4 missed.')).toBeVisible();
  // The line at the top of home leads there too; the widget's own button is the one at the bottom.
  await page.getByRole('region', { name: 'Spaced review' }).getByRole('link', { name: 'Start review' }).click();
  await expect(page.getByRole('heading', { name: 'Start a review' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'due' })).toContainText('4 questions are due — your review will have 4 questions');

  // On the train: no network. The review is a normal block, tagged as a review.
  await context.setOffline(true);
  await page.getByRole('button', { name: 'Start review' }).click();
  await expect(page.getByRole('heading', { name: 'Review block' })).toBeVisible();
  const reviewId = /\/blocks\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
  const reviewQuestions = await blockQuestionIds(page, reviewId);
  expect([...reviewQuestions].sort()).toEqual([...missed].sort());
  for (const [i, q] of reviewQuestions.slice(0, 2).entries()) await answer(page, i + 1, 4, keyOf.get(q) ?? 'A', 's');
  await page.reload();
  await expect(page.getByText('2 of 4 answered')).toBeVisible();
  for (const [i, q] of reviewQuestions.slice(2).entries()) await answer(page, i + 3, 4, keyOf.get(q) ?? 'A', 's');
  await endBlock(page);

  // Still offline, the cards have moved on this device already.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
  await expect(tile(page, 'Due today')).toHaveText('0');

  // Back online: the review's 4 answers reach the server exactly once.
  await context.setOffline(false);
  await expect.poll(async () => (await serverAnswers(token)).filter((a) => a.attempt_id === reviewId).length, { timeout: 60_000 }).toBe(4);
  await expect(page.getByTestId('sync-status')).toContainText('All answers synced', { timeout: 30_000 });
  const stored = (await serverAnswers(token)).filter((a) => a.attempt_id === reviewId);
  const given = (await givenAnswers(page)).filter((a) => a.attemptId === reviewId);
  expect({ ...exactlyOnce(given, stored, sent), resent: 0 }).toEqual({ lost: 0, notGiven: 0, changed: 0, rekeyed: 0, resent: 0 });
  expect(stored.every((a) => a.is_correct)).toBe(true);
  // And from the server's copy (a fresh load), the same: nothing due today.
  await page.reload();
  await expect(tile(page, 'Due today')).toHaveText('0');
});

test("a student's two devices that studied offline apart show the same due list once both have synced", async ({ browser, consoleErrors }) => {
  test.setTimeout(120_000);
  consoleErrors.expect(/ERR_INTERNET_DISCONNECTED|Failed to fetch|Failed to load resource/);
  const student = await signUpStudent('two-devices');
  const devices = await Promise.all([browser.newContext(), browser.newContext()]);
  const pages = await Promise.all(devices.map((d) => d.newPage()));
  for (const page of pages) {
    await signInThroughUi(page, student.email, student.password);
    await waitForServiceWorker(page);
    await waitForE2EHooks(page);
  }
  const token = await pageAccessToken(pages[0]!);
  const questions = (await publishedQuestions(token)).slice(0, 4);
  const [q1, q2, q3, q4] = questions;
  if (!q1 || !q2 || !q3 || !q4) throw new Error('the seed has fewer than 4 questions');

  const forecastOf = (page: Page) => page.getByRole('table', { name: 'Questions due in the next 14 days' }).textContent();
  // Apart and offline: the phone answers q1–q3, the laptop q2–q4 (q2 and q3 on both).
  await Promise.all(devices.map((d) => d.setOffline(true)));
  await queueBlock(pages[0]!, { questionIds: [q1.id, q2.id, q3.id], choices: [wrong(q1.correct_choice), q2.correct_choice, q3.correct_choice], end: true });
  await queueBlock(pages[1]!, { questionIds: [q2.id, q3.id, q4.id], choices: [wrong(q2.correct_choice), q3.correct_choice, wrong(q4.correct_choice)], end: true });

  await Promise.all(devices.map((d) => d.setOffline(false)));
  await expect.poll(async () => (await serverAnswers(token)).length, { timeout: 60_000 }).toBe(6);
  for (const page of pages) await expect(page.getByTestId('sync-status')).toContainText('All answers synced', { timeout: 30_000 });

  // Home reads what arrived since its last read; each device then holds all four cards (q1–q4),
  // whichever device answered them, and the same schedule.
  const cards = async (page: Page) =>
    (await page.getByRole('table', { name: 'Questions due in the next 14 days' }).locator('td').allTextContents()).map(Number).reduce((a, b) => a + b, 0);
  for (const page of pages) {
    await page.goto('/');
    await expect.poll(() => cards(page), { timeout: 15_000 }).toBe(4);
  }
  const [phone, laptop] = await Promise.all(pages.map(forecastOf));
  expect(phone).toBe(laptop);
  await Promise.all(devices.map((d) => d.close()));
});
