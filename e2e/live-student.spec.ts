/**
 * Live sessions, the student's side (#19), on the built app against the local server: the instructor is
 * driven over the API (as their host screen would), a student in the browser. The join banner appears
 * on Home without a reload; the student sees the stem, then the choices, answers, and after the close
 * sees right or wrong and their rank; an answer given offline reaches the server after the close and is
 * refused as too late (shown calmly, stored nowhere); the end shows the podium and the review. And the
 * cohort's leaderboard page moves when a classmate answers, without a reload.
 */
import { createHash, randomUUID } from 'node:crypto';
import { CHOICES, type Choice } from '../src/lib/taxonomy.ts';
import { expect, test } from './fixtures.ts';
import { createInstructor, pageAccessToken, publishedQuestions, serverAnswers, signedInClient, signUpStudent } from './api.ts';
import { expectNoSeriousA11yViolations, signInThroughUi, waitForServiceWorker } from './ui.ts';

type Client = Awaited<ReturnType<typeof signedInClient>>;

const wrong = (key: Choice): Choice => CHOICES.find((c) => c !== key) ?? 'A';

/** The live block's id, as every device of the student derives it (src/features/live/model/protocol.ts). */
function liveBlockId(sessionId: string, userId: string): string {
  const h = createHash('sha256').update(`live:${sessionId}:${userId}`).digest('hex');
  const variant = ((parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

async function userIdOf(db: Client): Promise<string> {
  const { data } = await db.auth.getUser();
  if (!data.user) throw new Error('no user');
  return data.user.id;
}

/** A classmate answers one question of the session from their own phone (their block rides along). */
async function classmateAnswers(db: Client, sessionId: string, questionIds: number[], questionId: number, choice: Choice) {
  const blockId = liveBlockId(sessionId, await userIdOf(db));
  const block = { id: blockId, mode: 'tutor', kind: 'live', question_ids: questionIds, time_limit_seconds: null, filters: {}, started_at: new Date().toISOString(), live_session_id: sessionId };
  const answer = { id: randomUUID(), attempt_id: blockId, question_id: questionId, choice, time_spent_ms: 3000, answered_at: new Date().toISOString() };
  const { data } = await db.rpc('submit_answers', { answers: [answer], attempts: [block] }).throwOnError();
  expect(data).toMatchObject([{ status: 'accepted' }]);
}

async function run(db: Client, fn: 'next' | 'close' | 'end', sessionId: string) {
  if (fn === 'next') await db.rpc('next_live_question', { p_session_id: sessionId, p_seconds: 60, p_choices_after_seconds: 2 }).throwOnError();
  else if (fn === 'close') await db.rpc('close_live_question', { p_session_id: sessionId }).throwOnError();
  else await db.rpc('end_live_session', { p_session_id: sessionId }).throwOnError();
}

test('the banner appears on Home; the student answers live, sees right/wrong and rank; an offline answer after the close is too late and never stored; the end shows the podium', async ({
  page,
  context,
  consoleErrors,
}) => {
  test.setTimeout(180_000);
  consoleErrors.expect(/ERR_INTERNET_DISCONNECTED|Failed to fetch|Failed to load resource|WebSocket/);
  const tag = Date.now().toString(36);
  const instructor = await createInstructor(`Dr Live ${tag}`);
  const { data: cohort } = await instructor.db.from('cohorts').insert({ name: `Live ${tag}`, instructor_id: instructor.id }).select('id, join_code').single().throwOnError();
  const mate = await signUpStudent(`live-mate-${tag}`);
  const mateDb = await signedInClient(mate.email, mate.password);
  await mateDb.rpc('join_cohort', { code: cohort.join_code }).throwOnError();

  // The student joins the cohort in Settings, then goes Home: no reload from here on.
  const student = await signUpStudent(`live-${tag}`);
  await signInThroughUi(page, student.email, student.password);
  await waitForServiceWorker(page);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Join code').fill(cohort.join_code);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.locator('.cohort-list')).toContainText(`Live ${tag}`);
  await nav.getByRole('link', { name: 'Home' }).click();
  await expect(page.getByRole('heading', { name: 'Home', level: 1 })).toBeVisible();

  const token = await pageAccessToken(page);
  const questions = (await publishedQuestions(token)).slice(0, 2);
  const [q1, q2] = questions;
  if (!q1 || !q2) throw new Error('the seed has fewer than 2 published questions');
  const questionIds = questions.map((q) => q.id);
  const sessionId = randomUUID();
  // The banner's cohort topic is joined after the first paint; give it that moment before starting.
  await page.waitForTimeout(1500);
  await instructor.db.from('live_sessions').insert({ id: sessionId, cohort_id: cohort.id, title: `Cardio quickfire ${tag}`, question_ids: questionIds }).throwOnError();

  const banner = page.locator('.live-banner');
  await expect(banner).toContainText(`Cardio quickfire ${tag}`);
  await expectNoSeriousA11yViolations(page);
  await banner.getByRole('link', { name: 'Join' }).click();
  await expect(page).toHaveURL(new RegExp(`/live/${sessionId}$`));
  await expect(page.getByRole('heading', { name: "You're in — waiting for the first question" })).toBeVisible();
  await expect(page.locator('.live-banner')).toHaveCount(0);

  // Question 1: the stem first, then the choices; the student answers right with the keyboard.
  await run(instructor.db, 'next', sessionId);
  await expect(page.getByRole('heading', { name: 'Question 1 of 2' })).toBeVisible();
  await expect(page.getByText(/Choices in \d…/)).toBeVisible();
  const choices = page.getByRole('group', { name: 'Your answer' });
  await expect(choices).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.keyboard.press(q1.correct_choice.toLowerCase());
  await expect(page.locator('.live-answer-note')).toHaveText('Answer sent');
  await expect(choices.getByRole('button', { pressed: true })).toHaveAttribute('data-choice', q1.correct_choice);
  // A reload rejoins at the current question with the answer given, and no second answer.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Question 1 of 2' })).toBeVisible();
  await expect(choices.getByRole('button', { pressed: true })).toHaveAttribute('data-choice', q1.correct_choice);
  await expect(page.locator('.live-answer-note')).toHaveText('Answer sent');
  await page.keyboard.press(wrong(q1.correct_choice).toLowerCase());
  await expect(choices.getByRole('button', { pressed: true })).toHaveAttribute('data-choice', q1.correct_choice);
  await classmateAnswers(mateDb, sessionId, questionIds, q1.id, wrong(q1.correct_choice));
  await run(instructor.db, 'close', sessionId);
  await expect(page.getByRole('heading', { name: 'Correct', exact: true })).toBeVisible();
  await expect(page.getByText(`Answer: ${q1.correct_choice}`)).toBeVisible();
  await expect(page.getByText("You're 1st of 2 · 1 correct")).toBeVisible();
  await expect(page.getByRole('list', { name: 'Top 5' })).toBeVisible();

  // Question 2: the phone goes offline before answering; the instructor closes; back online, too late.
  await run(instructor.db, 'next', sessionId);
  await expect(page.getByRole('heading', { name: 'Question 2 of 2' })).toBeVisible();
  await expect(choices).toBeVisible();
  await context.setOffline(true);
  await page.keyboard.press(String(CHOICES.indexOf(q2.correct_choice) + 1));
  await expect(page.locator('.live-answer-note')).toHaveText(
    "Saved on this phone — it will be sent when you're back online. If the question closes first, it won't count.",
  );
  await run(instructor.db, 'close', sessionId);
  await context.setOffline(false);
  await expect(page.getByRole('heading', { name: /^Too late for this question — it reached the server after the question closed, so it doesn't count\./ })).toBeVisible({
    timeout: 20_000,
  });
  const block = liveBlockId(sessionId, await userIdOf(await signedInClient(student.email, student.password)));
  const stored = (await serverAnswers(token)).filter((a) => a.attempt_id === block);
  expect(stored.map((a) => a.question_id)).toEqual([q1.id]);

  // The end: the podium, the student's rank, and the block's review.
  await run(instructor.db, 'end', sessionId);
  await expect(page.getByRole('heading', { name: 'The session has ended' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Podium' })).toBeVisible();
  await expect(page.getByText("You're 1st of 2 · 1 correct")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('link', { name: 'Review your answers' }).click();
  await expect(page).toHaveURL(new RegExp(`/blocks/${block}/review$`));
  await expect(page.getByText(/^Live session · started/)).toBeVisible();
  await expect(page.getByText('1 of 2 correct')).toBeVisible();
});

test("a classmate's answers move the leaderboard page without a reload", async ({ page }) => {
  test.setTimeout(120_000);
  const tag = Date.now().toString(36);
  const instructor = await createInstructor(`Dr Board ${tag}`);
  const { data: cohort } = await instructor.db
    .from('cohorts')
    .insert({ name: `Board ${tag}`, instructor_id: instructor.id, min_answers_to_rank: 1 })
    .select('id, join_code')
    .single()
    .throwOnError();
  const mate = await signUpStudent(`board-mate-${tag}`);
  const mateDb = await signedInClient(mate.email, mate.password);
  await mateDb.rpc('join_cohort', { code: cohort.join_code }).throwOnError();
  const student = await signUpStudent(`board-${tag}`);
  await signInThroughUi(page, student.email, student.password);
  await waitForServiceWorker(page);
  const token = await pageAccessToken(page);
  // The student joins through the API this time (the board reads its cohorts when it opens).
  await (await signedInClient(student.email, student.password)).rpc('join_cohort', { code: cohort.join_code }).throwOnError();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Leaderboard' }).click();
  await expect(page.getByRole('heading', { name: `Board ${tag} — This week` })).toBeVisible();
  await expect(page.getByText('Nobody is ranked yet this week.', { exact: false })).toBeVisible();
  await expect(page.locator('.board-live')).toHaveText('Live');

  const questions = (await publishedQuestions(token)).slice(0, 2);
  const blockId = randomUUID();
  const block = { id: blockId, mode: 'tutor', kind: 'practice', question_ids: questions.map((q) => q.id), time_limit_seconds: null, filters: {}, started_at: new Date().toISOString() };
  const answer = (q: (typeof questions)[number]) => ({
    id: randomUUID(),
    attempt_id: blockId,
    question_id: q.id,
    choice: q.correct_choice,
    time_spent_ms: 3000,
    answered_at: new Date().toISOString(),
  });
  const [first, second] = questions;
  if (!first || !second) throw new Error('the seed has fewer than 2 published questions');
  await mateDb.rpc('submit_answers', { answers: [answer(first)], attempts: [block] }).throwOnError();
  const top = page.locator('.board-row[data-rank="1"]');
  await expect(top).toContainText('1 correct first attempts');
  // The database sends at most one board message a second per cohort: the next answer comes after it.
  await page.waitForTimeout(1200);
  await mateDb.rpc('submit_answers', { answers: [answer(second)] }).throwOnError();
  await expect(top).toContainText('2 correct first attempts');
});
