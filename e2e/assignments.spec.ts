/**
 * Assignments end to end (#18), on the built app against the local server: work an instructor sets by
 * filters appears on the student's Home; the student opens it, then starts and takes it offline with a reload in
 * the middle (the train ride); every answer reaches the server exactly once, and the instructor's
 * results say "done" with the right score and choices; an exam-mode assignment runs section by section with a break from the shared pool, no way
 * back into a closed section, and a summary at the end.
 */
import type { Page } from '@playwright/test';
import { z } from 'zod';
import { CHOICES, type Choice } from '../src/lib/taxonomy.ts';
import { expect, test } from './fixtures.ts';
import { createInstructor, joinCohort, pageAccessToken, publishedQuestions, serverAnswers, signUpStudent } from './api.ts';
import { exactlyOnce, givenAnswers, sentAnswersSchema, type SentAnswer } from './exactly-once.ts';
import { expectNoSeriousA11yViolations, signInThroughUi, waitForServiceWorker } from './ui.ts';

const HOUR = 3_600_000;
const wrong = (key: Choice): Choice => CHOICES.find((c) => c !== key) ?? 'A';

async function answer(page: Page, n: number, total: number, choice: Choice): Promise<void> {
  await expect(page.getByRole('heading', { name: `Question ${n} of ${total}` })).toBeVisible();
  await page.keyboard.press(choice.toLowerCase());
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: new RegExp(`^Question ${n}, answered`) })).toBeVisible();
  if (n < total) await page.keyboard.press('n');
}

async function endBlock(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'End block' }).click();
  await page.getByRole('dialog', { name: 'End this block?' }).getByRole('button', { name: 'End block' }).click();
}

/** A cohort run by a new instructor, its join code, and an assignment of `questionIds` set for it. */
async function instructorWithAssignment(title: string, questionIds: number[], fields: Record<string, unknown>) {
  const instructor = await createInstructor('Dr Assign');
  const { data: cohort } = await instructor.db.from('cohorts').insert({ name: `Assigned ${title}`, instructor_id: instructor.id }).select('id, join_code').single().throwOnError();
  const { data: assignment } = await instructor.db
    .from('assignments')
    .insert({
      cohort_id: cohort.id,
      title,
      question_ids: questionIds,
      mode: 'tutor',
      opens_at: new Date(Date.now() - HOUR).toISOString(),
      due_at: new Date(Date.now() + 48 * HOUR).toISOString(),
      ...fields,
    })
    .select('id')
    .single()
    .throwOnError();
  return { instructor, cohort, assignmentId: assignment.id };
}

const resultsSchema = z.object({
  students: z.array(z.object({ display_name: z.string(), status: z.string(), answered: z.number(), correct: z.number(), late: z.number() })),
  questions: z.array(z.object({ question_id: z.number(), answered: z.number(), correct: z.number(), a: z.number(), b: z.number(), c: z.number(), d: z.number(), e: z.number() })),
});

test('the instructor sets work by filters; a student takes it offline with a reload; it syncs once and the instructor sees it done with the right score and spread', async ({
  page,
  browser,
  context,
  consoleErrors,
}) => {
  test.setTimeout(180_000);
  consoleErrors.expect(/ERR_INTERNET_DISCONNECTED|Failed to fetch|Failed to load resource/);
  const sent: SentAnswer[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/rest/v1/rpc/submit_answers')) sent.push(...sentAnswersSchema.parse(request.postDataJSON()).answers);
  });
  const tag = Date.now().toString(36);
  const instructor = await createInstructor(`Dr Filters ${tag}`);
  const { data: cohort } = await instructor.db.from('cohorts').insert({ name: `Filters ${tag}`, instructor_id: instructor.id }).select('id, join_code').single().throwOnError();
  const student = await signUpStudent(`assigned-${tag}`);
  await signInThroughUi(page, student.email, student.password);
  await waitForServiceWorker(page);
  const token = await pageAccessToken(page);
  await joinCohort(token, cohort.join_code);

  // The instructor, on their own device: four cardiovascular questions, due in two days.
  const desk = await browser.newContext();
  const instructorPage = await desk.newPage();
  await signInThroughUi(instructorPage, instructor.email, instructor.password);
  await instructorPage.goto(`/instructor/cohorts/${cohort.id}/assignments/new`);
  await instructorPage.getByLabel('Title').fill('Week 1: cardiology');
  await instructorPage.getByRole('button', { name: 'Clear organ systems' }).click();
  await instructorPage.getByRole('checkbox', { name: 'Cardiovascular' }).check();
  await instructorPage.getByLabel('How many questions').fill('4');
  await expect(instructorPage.getByRole('status').filter({ hasText: /match/ })).toContainText('the assignment will have 4 questions');
  await expect(instructorPage.getByRole('list', { name: /Preview \(4\)/ }).getByRole('listitem')).toHaveCount(4);
  await instructorPage.getByRole('button', { name: 'Set assignment' }).click();
  await expect(instructorPage).toHaveURL(/\/instructor\/assignments\/[0-9a-f-]{36}$/);
  const assignmentId = instructorPage.url().split('/').at(-1) ?? '';
  const { data: set } = await instructor.db.from('assignments').select('question_ids').eq('id', assignmentId).single().throwOnError();
  const questionIds = set.question_ids;
  const keyOf = new Map((await publishedQuestions(token)).map((q) => [q.id, q.correct_choice]));

  // Home: "Assigned", with the new work first.
  await page.reload();
  const assigned = page.getByRole('region', { name: 'Assigned' });
  await expect(assigned).toContainText('Week 1: cardiology');
  await expect(assigned).toContainText('Not started');
  await assigned.getByRole('link', { name: 'Open' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Week 1: cardiology' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // The train: no network from here. The assignment page (and its questions) come back from the device.
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Week 1: cardiology' })).toBeVisible();
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Week 1: cardiology' })).toBeVisible();
  const blockId = /\/blocks\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';

  // Two answered (the second wrong), a reload in the middle, the rest.
  const choices = questionIds.map((q, i) => (i === 1 ? wrong(keyOf.get(q) ?? 'A') : (keyOf.get(q) ?? 'A')));
  for (let i = 0; i < 2; i++) await answer(page, i + 1, 4, choices[i]!);
  await page.reload();
  await expect(page.getByText('2 of 4 answered')).toBeVisible();
  for (let i = 2; i < 4; i++) await answer(page, i + 1, 4, choices[i]!);
  await endBlock(page);
  // Ended offline: back on the assignment's page, which says what is left (nothing: one attempt allowed).
  await expect(page).toHaveURL(new RegExp(`/assignments/${assignmentId}$`));
  await expect(page.getByText(/all this assignment allows/)).toBeVisible();

  await context.setOffline(false);
  await expect.poll(async () => (await serverAnswers(token)).filter((a) => a.attempt_id === blockId).length, { timeout: 60_000 }).toBe(4);
  await expect(page.getByTestId('sync-status')).toContainText('All answers synced', { timeout: 30_000 });
  const stored = (await serverAnswers(token)).filter((a) => a.attempt_id === blockId);
  const given = (await givenAnswers(page)).filter((a) => a.attemptId === blockId);
  expect({ ...exactlyOnce(given, stored, sent), resent: 0 }).toEqual({ lost: 0, notGiven: 0, changed: 0, rekeyed: 0, resent: 0 });

  // The student's own page shows the server's judgement; so does Home.
  await page.reload();
  await expect(page.getByText('Your result: 3 of 4 correct (75%)')).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
  await expect(page.getByRole('region', { name: 'Assigned' })).toContainText('Done');

  // The instructor's results: done, 75 %, in the 70–79 % bin, and the second question's wrong choice in its spread.
  await instructorPage.reload();
  const counts = instructorPage.getByRole('region', { name: 'Where the class is' });
  await expect(counts.getByRole('listitem').filter({ hasText: /^\s*\d+\s*Done\s*$/ })).toContainText('1');
  await expect(instructorPage.getByRole('table', { name: 'Scores of finished students' }).getByRole('row', { name: /70–79 %/ })).toContainText('1');
  await expect(instructorPage.getByRole('table', { name: "Each student's result, sortable by column" }).getByRole('row', { name: new RegExp(`assigned-${tag} test`) })).toContainText('75%');
  const spread = instructorPage.getByRole('list', { name: new RegExp(`^Answers for Q${questionIds[1]}, key`) });
  await expect(spread.getByRole('listitem').filter({ hasText: choices[1]! })).toContainText('1');
  await expectNoSeriousA11yViolations(instructorPage);
  await desk.close();
});

test('exam mode: two timed sections with a break between them from the shared pool, no way back, a summary at the end', async ({ page }) => {
  test.setTimeout(120_000);
  const student = await signUpStudent('exam');
  await signInThroughUi(page, student.email, student.password);
  const token = await pageAccessToken(page);
  const questions = (await publishedQuestions(token)).slice(6, 10);
  const keyOf = new Map(questions.map((q) => [q.id, q.correct_choice]));
  const { instructor, cohort, assignmentId } = await instructorWithAssignment('Mock exam', questions.map((q) => q.id), {
    mode: 'exam', section_size: 2, section_seconds: 600, break_seconds: 900,
  });
  await joinCohort(token, cohort.join_code);
  await page.goto(`/assignments/${assignmentId}`);
  await expect(page.getByText('Exam · 4 questions in 2 sections of up to 2 (10 min each, 15 min of break time to share)')).toBeVisible();
  await page.getByRole('button', { name: 'Start the exam' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mock exam — section 1 of 2' })).toBeVisible();
  const section1 = /\/blocks\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
  await expect(page.getByRole('timer')).toBeVisible();
  for (const [i, q] of questions.slice(0, 2).entries()) await answer(page, i + 1, 2, keyOf.get(q.id) ?? 'A');
  await endBlock(page);

  // The break: the shared pool counts down; section 1 is closed for good, its review waits.
  await expect(page.getByRole('heading', { name: 'Section 1 of 2 ended — break' })).toBeVisible();
  await expect(page.getByText(/^2[45]:\d\d of break time left$/)).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.goto(`/blocks/${section1}`);
  await expect(page).toHaveURL(new RegExp(`/assignments/${assignmentId}$`));
  await page.goto(`/blocks/${section1}/review`);
  await expect(page.getByRole('heading', { name: 'Reviews open at the end of the exam' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the assignment' }).click();

  await page.getByRole('button', { name: 'Start section 2' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mock exam — section 2 of 2' })).toBeVisible();
  await answer(page, 1, 2, wrong(keyOf.get(questions[2]!.id) ?? 'A'));
  await endBlock(page);

  // The summary: each section, its score once synced, and its review now open.
  const summary = page.getByRole('region', { name: 'Summary' });
  await expect(summary.getByRole('row')).toHaveCount(3);
  await expect(summary.getByRole('row', { name: /^1 2 2 \(100%\)/ })).toBeVisible({ timeout: 30_000 });
  await expect(summary.getByRole('row', { name: /^2 2 0 \(0%\)/ })).toBeVisible();
  await summary.getByRole('link', { name: 'Review section 1' }).click();
  await expect(page).toHaveURL(new RegExp(`/blocks/${section1}/review$`));
  await expect(page.getByRole('heading', { name: 'Reviews open at the end of the exam' })).toHaveCount(0);

  // The second section's end reaches the server with the outbox (after its answers, maybe a moment later).
  await expect(page.getByTestId('sync-status')).toContainText('All answers synced', { timeout: 30_000 });
  await expect
    .poll(async () => resultsSchema.parse((await instructor.db.rpc('get_assignment_results', { p_assignment_id: assignmentId }).throwOnError()).data).students, { timeout: 30_000 })
    .toEqual([expect.objectContaining({ status: 'done', answered: 3, correct: 2 })]);
});
