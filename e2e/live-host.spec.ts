/**
 * Live sessions, the instructor's side (#19), on the built app against the local server: the instructor
 * starts a session by filters from the cohort page and runs it on the host screen by keyboard while two
 * students answer over the API (their live blocks' ids derived as every device derives them). The live
 * count moves as they answer; "Close now" shows the spread and the key; a reload keeps the session where
 * it is, with new timing from the address; the second question closes by itself when its timer ends;
 * the end shows the podium, the report and a CSV with every answer.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import { z } from 'zod';
import { expect, test } from './fixtures.ts';
import { createInstructor, joinCohort, signedInClient, signUpStudent } from './api.ts';
import { expectNoSeriousA11yViolations, signInThroughUi } from './ui.ts';

/** The live block's id, as every device of the student derives it (src/features/live/model/protocol.ts). */
function liveBlockId(sessionId: string, userId: string): string {
  const h = createHash('sha256').update(`live:${sessionId}:${userId}`).digest('hex');
  const variant = ((parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const outcomesSchema = z.array(z.object({ status: z.string() }));

async function classmate(tag: string, joinCode: string) {
  const student = await signUpStudent(tag);
  const db = await signedInClient(student.email, student.password);
  const { data } = await db.auth.getSession();
  const token = data.session?.access_token ?? '';
  const id = data.session?.user.id ?? '';
  await joinCohort(token, joinCode);
  return { ...student, id, name: `${tag} test`, db };
}
type Classmate = Awaited<ReturnType<typeof classmate>>;

/** The student's phone: the live block (joining), then answers into it, as answer sync sends them. */
async function submit(s: Classmate, sessionId: string, questionIds: number[], answer?: { questionId: number; choice: string }) {
  const blockId = liveBlockId(sessionId, s.id);
  const attempts = [
    { id: blockId, mode: 'tutor', kind: 'live', live_session_id: sessionId, question_ids: questionIds, time_limit_seconds: null, filters: {}, started_at: new Date().toISOString() },
  ];
  const answers = answer
    ? [{ id: randomUUID(), attempt_id: blockId, question_id: answer.questionId, choice: answer.choice, time_spent_ms: 3000, answered_at: new Date().toISOString() }]
    : [];
  const { data } = await s.db.rpc('submit_answers', { answers, attempts }).throwOnError();
  return outcomesSchema.parse(data).map((o) => o.status);
}

test('the instructor starts a session from the cohort page, runs two questions while students answer, sees the count, spread and key, ends it and downloads the report', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const tag = Date.now().toString(36);
  const instructor = await createInstructor(`Dr Live ${tag}`);
  const { data: cohort } = await instructor.db.from('cohorts').insert({ name: `Live ${tag}`, instructor_id: instructor.id }).select('id, join_code').single().throwOnError();
  const ann = await classmate(`ann-${tag}`, cohort.join_code);
  const ben = await classmate(`ben-${tag}`, cohort.join_code);

  // The cohort page offers a live session; the form picks two cardiovascular questions.
  await signInThroughUi(page, instructor.email, instructor.password);
  await page.goto(`/instructor/cohorts/${cohort.id}`);
  await page.getByRole('link', { name: 'Start a live session' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Start a live session for Live ${tag}` })).toBeVisible();
  await page.getByLabel('Title').fill('Cardio quickfire');
  await page.getByRole('button', { name: 'Clear organ systems' }).click();
  await page.getByRole('checkbox', { name: 'Cardiovascular' }).check();
  await page.getByLabel('How many questions').fill('2');
  await expect(page.getByRole('status').filter({ hasText: /match/ })).toContainText('the session will have 2 questions');
  await expect(page.getByRole('list', { name: /Preview \(2\)/ }).getByRole('listitem')).toHaveCount(2);
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('button', { name: 'Start the session' }).click();
  await expect(page).toHaveURL(/\/live\/[0-9a-f-]{36}\/host\?seconds=30&choices=3$/);
  const sessionId = /\/live\/([0-9a-f-]{36})\/host/.exec(page.url())?.[1] ?? '';
  const { data: session } = await instructor.db.from('live_sessions').select('question_ids, status').eq('id', sessionId).single().throwOnError();
  expect(session.status).toBe('open');
  const questionIds = session.question_ids;
  const { data: keyRows } = await instructor.db.from('questions').select('id, correct_choice').in('id', questionIds).throwOnError();
  const keyOf = new Map(keyRows.map((r) => [r.id, r.correct_choice]));
  const key = (i: number) => keyOf.get(questionIds[i] ?? 0) ?? 'A';
  const wrong = (i: number) => (key(i) === 'A' ? 'B' : 'A');

  // The lobby counts who joined (their live blocks reaching the server).
  await expect(page.getByRole('heading', { level: 1, name: 'Cardio quickfire' })).toBeVisible();
  await expect(page.getByText('0 students joined')).toBeVisible();
  // Both topics joined (live: and live-host:): messages move the screen, no polling.
  await expect(page.getByRole('status').filter({ hasText: /^Live$/ })).toBeVisible();
  await submit(ann, sessionId, questionIds);
  await submit(ben, sessionId, questionIds);
  await expect(page.getByText('2 students joined')).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // Question 1 by keyboard; the live count moves as each answer lands.
  await page.keyboard.press('n');
  await expect(page.getByText('Question 1 of 2', { exact: false }).first()).toBeVisible();
  await expect(page.getByText('0 of 2 answered')).toBeVisible();
  expect(await submit(ann, sessionId, questionIds, { questionId: questionIds[0] ?? 0, choice: key(0) })).toEqual(['accepted']);
  await expect(page.getByText('1 of 2 answered')).toBeVisible();
  expect(await submit(ben, sessionId, questionIds, { questionId: questionIds[0] ?? 0, choice: wrong(0) })).toEqual(['accepted']);
  await expect(page.getByText('2 of 2 answered')).toBeVisible();
  await expect(page.getByRole('timer')).toBeVisible();

  // Close now: the spread with the key, one each on the key and the wrong letter.
  await page.keyboard.press('c');
  await expect(page.getByRole('heading', { name: 'Question 1 of 2 — closed' })).toBeVisible();
  const spread = page.getByRole('list', { name: `Answers to question 1, key ${key(0)}` });
  await expect(spread.getByRole('listitem').filter({ hasText: new RegExp(`^${key(0)}`) })).toContainText('1 (50%) — the correct answer');
  await expect(spread.getByRole('listitem').filter({ hasText: new RegExp(`^${wrong(0)}`) })).toContainText('1 (50%)');
  await expect(page.getByText(`Answer: ${key(0)}`)).toBeVisible();
  await expect(page.getByText('2 of 2 answered · 1 correct (50%)')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Top 2' }).getByRole('listitem')).toHaveCount(2);
  await expectNoSeriousA11yViolations(page);

  // A reload keeps the session where it is; the address now asks for 5 s questions with the choices at once.
  await page.goto(`/live/${sessionId}/host?seconds=5&choices=0`);
  await expect(page.getByRole('heading', { name: 'Question 1 of 2 — closed' })).toBeVisible();
  await page.getByRole('button', { name: /Next question/ }).click();
  await expect(page.getByText('0 of 2 answered')).toBeVisible();
  await Promise.all([
    submit(ann, sessionId, questionIds, { questionId: questionIds[1] ?? 0, choice: key(1) }),
    submit(ben, sessionId, questionIds, { questionId: questionIds[1] ?? 0, choice: key(1) }),
  ]);
  // Nobody presses C: the host closes it when the timer (and the grace) ran out.
  await expect(page.getByRole('heading', { name: 'Question 2 of 2 — closed' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('list', { name: `Answers to question 2, key ${key(1)}` })).toBeVisible();
  const { data: shown } = await instructor.db.from('live_questions').select('position, closed_at').eq('session_id', sessionId).order('position').throwOnError();
  expect(shown.map((q) => q.closed_at !== null)).toEqual([true, true]);

  // End (E, then confirm): the podium and the report.
  await page.keyboard.press('e');
  await page.getByRole('group', { name: 'Confirm ending the session' }).getByRole('button', { name: 'Yes, end session' }).click();
  const podium = page.getByRole('list', { name: 'Podium' });
  await expect(podium.getByRole('listitem')).toHaveCount(2);
  await expect(podium.getByRole('listitem').first()).toContainText('2 correct');
  await expect(podium.getByRole('listitem').nth(1)).toContainText('1 correct');
  const students = page.getByRole('region', { name: /Students \(2\)/ });
  await expect(students.getByRole('row', { name: new RegExp(ann.name) })).toContainText('2 of 2');
  await expect(students.getByRole('row', { name: new RegExp(ben.name) })).toContainText('1 of 2');
  await expect(page.getByRole('region', { name: 'Questions', exact: true }).getByRole('row')).toHaveCount(3);
  await expectNoSeriousA11yViolations(page);

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^cardio-quickfire-report-\d{4}-\d{2}-\d{2}\.csv$/);
  const rows = Papa.parse<string[]>(await readFile(await download.path(), 'utf8'), { skipEmptyLines: true }).data;
  expect(rows[0]).toEqual(['name', 'correct', 'answered', 'questions', 'correct_seconds', 'q1', 'q1_correct', 'q2', 'q2_correct']);
  expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[3], r[5], r[6], r[7], r[8]])).toEqual([
    [ann.name, '2', '2', '2', key(0), 'yes', key(1), 'yes'],
    [ben.name, '1', '2', '2', wrong(0), 'no', key(1), 'yes'],
  ]);

  // The cohort page offers a new session again.
  await page.goto(`/instructor/cohorts/${cohort.id}`);
  await expect(page.getByRole('link', { name: 'Start a live session' })).toBeVisible();
});

test("a student who opens the host screen is sent to their own screen; another instructor is told it is not theirs; the cohort page says a session is running", async ({
  page,
  browser,
}) => {
  const tag = Date.now().toString(36);
  const instructor = await createInstructor(`Dr Host ${tag}`);
  const { data: cohort } = await instructor.db.from('cohorts').insert({ name: `Host ${tag}`, instructor_id: instructor.id }).select('id, join_code').single().throwOnError();
  const student = await classmate(`cal-${tag}`, cohort.join_code);
  const { data: q } = await instructor.db.from('questions').select('id').eq('published', true).order('id').limit(2).throwOnError();
  const sessionId = randomUUID();
  await instructor.db.from('live_sessions').insert({ id: sessionId, cohort_id: cohort.id, title: 'Renal recap', question_ids: q.map((r) => r.id) }).throwOnError();

  await signInThroughUi(page, student.email, student.password);
  await page.goto(`/live/${sessionId}/host`);
  await expect(page.getByRole('heading', { name: 'This is the instructor’s screen' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Go to the session' })).toHaveAttribute('href', `/live/${sessionId}`);
  await expectNoSeriousA11yViolations(page);

  const stranger = await createInstructor(`Dr Elsewhere ${tag}`);
  const elsewhere = await browser.newContext();
  const strangerPage = await elsewhere.newPage();
  await signInThroughUi(strangerPage, stranger.email, stranger.password);
  await strangerPage.goto(`/live/${sessionId}/host`);
  await expect(strangerPage.getByRole('heading', { name: 'Not your session' })).toBeVisible();
  await elsewhere.close();

  const desk = await browser.newContext();
  const instructorPage = await desk.newPage();
  await signInThroughUi(instructorPage, instructor.email, instructor.password);
  await instructorPage.goto(`/instructor/cohorts/${cohort.id}`);
  const live = instructorPage.getByRole('region', { name: 'Live session' });
  await expect(live).toContainText('Live session running — “Renal recap”');
  await live.getByRole('link', { name: 'Open the host screen' }).click();
  await expect(instructorPage).toHaveURL(new RegExp(`/live/${sessionId}/host\\?seconds=30&choices=3$`));
  await expect(instructorPage.getByText('0 students joined')).toBeVisible();
  await desk.close();
});
