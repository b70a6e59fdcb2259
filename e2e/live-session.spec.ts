/**
 * A live session as a class has it (#19): the instructor on the host screen and three students, each in
 * a browser of their own, all in the built app against the local server. The students see "Join" on
 * Home without a reload; the instructor shows a question; two answer in time; the third phone drops off
 * the wi-fi, answers, and comes back after the instructor closed the question: its answer is refused as
 * too late (shown calmly, stored nowhere, counted nowhere). Everyone sees the results, then the podium.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from '@playwright/test';
import { CHOICES, type Choice } from '../src/lib/taxonomy.ts';
import { expect, test } from './fixtures.ts';
import { createInstructor, joinCohort, pageAccessToken, publishedQuestions, serverAnswers, signedInClient, signUpStudent } from './api.ts';
import { expectNoSeriousA11yViolations, signInThroughUi, waitForServiceWorker } from './ui.ts';

const wrong = (key: Choice): Choice => CHOICES.find((c) => c !== key) ?? 'A';

/** A student of the cohort in a browser of their own, signed in and on Home. */
async function studentBrowser(browser: Browser, tag: string, joinCode: string): Promise<{ page: Page; name: string; token: string; close: () => Promise<void> }> {
  const student = await signUpStudent(tag);
  const db = await signedInClient(student.email, student.password);
  const { data } = await db.auth.getSession();
  await joinCohort(data.session?.access_token ?? '', joinCode);
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInThroughUi(page, student.email, student.password);
  await waitForServiceWorker(page);
  await expect(page.getByRole('heading', { name: 'Home', level: 1 })).toBeVisible();
  return { page, name: tag, token: await pageAccessToken(page), close: () => context.close() };
}

test('an instructor and three students: the class answers together, a phone off the wi-fi is too late, everyone sees the results and the podium', async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  const tag = Date.now().toString(36);
  const instructor = await createInstructor(`Dr Class ${tag}`);
  const { data: cohort } = await instructor.db.from('cohorts').insert({ name: `Class ${tag}`, instructor_id: instructor.id }).select('id, join_code').single().throwOnError();
  const [ann, ben, cat] = await Promise.all(['ann', 'ben', 'cat'].map((n) => studentBrowser(browser, `${n}-${tag}`, cohort.join_code)));
  if (!ann || !ben || !cat) throw new Error('three students');

  const [question] = await publishedQuestions(ann.token);
  if (!question) throw new Error('the seed has no published question');
  const key = question.correct_choice;

  // The instructor starts a one-question session (the start form is covered by e2e/live-host.spec.ts).
  const sessionId = randomUUID();
  await instructor.db.from('live_sessions').insert({ id: sessionId, cohort_id: cohort.id, title: `Ward round ${tag}`, question_ids: [question.id] }).throwOnError();
  await signInThroughUi(page, instructor.email, instructor.password);
  await page.goto(`/live/${sessionId}/host?seconds=120&choices=1`);
  await expect(page.getByRole('heading', { level: 1, name: `Ward round ${tag}` })).toBeVisible();

  // Every student sees "Join" on Home (no reload) and joins.
  for (const s of [ann, ben, cat]) {
    const banner = s.page.locator('.live-banner');
    // The banner joins Realtime once the page has settled; four browsers on a loaded 2-core runner with
    // PGlite (one transaction at a time for every join) can take a while, and a join that times out is
    // retried by realtime-js with backoff.
    await expect(banner).toContainText(`Ward round ${tag}`, { timeout: 45_000 });
    await banner.getByRole('link', { name: 'Join' }).click();
    await expect(s.page.getByRole('heading', { name: "You're in — waiting for the first question" })).toBeVisible();
  }
  await expect(page.getByText('3 students joined')).toBeVisible();

  // The question: stem first, then the choices on every phone.
  await page.keyboard.press('n');
  await expect(page.getByText('0 of 3 answered')).toBeVisible();
  for (const s of [ann, ben, cat]) await expect(s.page.getByRole('group', { name: 'Your answer' })).toBeVisible();
  await expectNoSeriousA11yViolations(ann.page);

  await ann.page.keyboard.press(key.toLowerCase());
  await expect(ann.page.locator('.live-answer-note')).toHaveText('Answer sent');
  await ben.page.getByRole('group', { name: 'Your answer' }).locator(`[data-choice="${wrong(key)}"]`).click();
  await expect(ben.page.locator('.live-answer-note')).toHaveText('Answer sent');
  await expect(page.getByText('2 of 3 answered')).toBeVisible();

  // Cat's phone drops off the wi-fi mid-question and answers: saved on the phone, not sent.
  await cat.page.context().setOffline(true);
  await cat.page.keyboard.press(key.toLowerCase());
  await expect(cat.page.locator('.live-answer-note')).toContainText('Saved on this phone');

  // The instructor closes it: the spread has the two answers that arrived in time.
  await page.keyboard.press('c');
  await expect(page.getByRole('heading', { name: 'Question 1 of 1 — closed' })).toBeVisible();
  const spread = page.getByRole('list', { name: `Answers to question 1, key ${key}` });
  await expect(spread.getByRole('listitem').filter({ hasText: new RegExp(`^${key}`) })).toContainText('1 (50%) — the correct answer');
  await expect(page.getByText('2 of 3 answered · 1 correct (50%)')).toBeVisible();

  await expect(ann.page.getByRole('heading', { name: 'Correct', exact: true })).toBeVisible();
  await expect(ann.page.getByText("You're 1st of 3 · 1 correct")).toBeVisible();
  await expect(ben.page.getByRole('heading', { name: 'Incorrect', exact: true })).toBeVisible();
  await expect(ben.page.getByText(`Answer: ${key}`)).toBeVisible();

  // Back on the wi-fi, Cat's queued answer reaches the server after the close: too late, said calmly.
  await cat.page.context().setOffline(false);
  await expect(cat.page.getByRole('heading', { name: /^Too late for this question/ })).toBeVisible({ timeout: 30_000 });
  await expectNoSeriousA11yViolations(cat.page);

  // Stored: Ann's and Ben's answers only; Cat's block holds none.
  const stored = async (token: string) => (await serverAnswers(token)).filter((a) => a.question_id === question.id);
  expect(await stored(ann.token)).toHaveLength(1);
  expect(await stored(ben.token)).toHaveLength(1);
  expect(await stored(cat.token)).toHaveLength(0);
  const { data: results } = await instructor.db.rpc('get_live_report', { p_session_id: sessionId }).throwOnError();
  expect(results).toMatchObject({ questions: [{ answered: 2, correct: 1, participants: 3 }] });

  // The end: the podium on the projector and on every phone.
  await page.keyboard.press('e');
  await page.getByRole('group', { name: 'Confirm ending the session' }).getByRole('button', { name: 'Yes, end session' }).click();
  await expect(page.getByRole('list', { name: 'Podium' }).getByRole('listitem').first()).toContainText('1 correct');
  for (const s of [ann, ben, cat]) {
    await expect(s.page.getByRole('heading', { name: 'The session has ended' })).toBeVisible();
    await expect(s.page.getByRole('list', { name: 'Podium' })).toBeVisible();
  }
  await Promise.all([ann, ben, cat].map((s) => s.close()));
});
