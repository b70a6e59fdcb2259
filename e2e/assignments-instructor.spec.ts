/**
 * The instructor's side of assignments (#18): set one by filters (the live count follows the filters,
 * the preview is what is set), see it in the cohort's list, open its results with everyone not started.
 * The browser runs in New York time, so the dates typed are read in that zone and stored in UTC. A
 * 10,000-student cohort's results stay a virtualised table.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { createInstructor, DEMO_PASSWORD, signedInClient, signUpStudent } from './api.ts';
import { expect, test } from './fixtures.ts';
import { BIG_COHORT } from './seed-big-cohort.ts';
import { expectNoSeriousA11yViolations, signInThroughUi } from './ui.ts';

test.use({ timezoneId: 'America/New_York' });

test('an instructor sets an assignment by filters and opens its results', async ({ page, consoleErrors }) => {
  test.setTimeout(120_000);
  const tag = `e2e-${Date.now().toString(36)}`;
  const instructor = await createInstructor(`Dr Assign ${tag}`);
  const { data: cohortRow } = await instructor.db.from('cohorts').insert({ name: `Assigned ${tag}` }).select('id, join_code').single().throwOnError();
  const cohort = z.object({ id: z.string(), join_code: z.string() }).parse(cohortRow);
  const [ann] = await Promise.all(
    ['ann', 'ben'].map(async (name) => {
      const student = await signUpStudent(`${name}-${tag}`);
      const db = await signedInClient(student.email, student.password);
      await db.rpc('join_cohort', { code: cohort.join_code }).throwOnError();
      return db;
    }),
  );
  const { data: cardioRows } = await instructor.db.from('questions').select('id').eq('published', true).eq('organ_system', 'cardiovascular').throwOnError();
  const cardio = new Set(z.array(z.object({ id: z.number() })).parse(cardioRows).map((r) => r.id));
  expect(cardio.size).toBeGreaterThan(3);

  await signInThroughUi(page, instructor.email, instructor.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Instructor' }).click();
  await page.getByRole('link', { name: `Assigned ${tag}` }).click();
  await expect(page.getByRole('heading', { name: 'Assignments (0)' })).toBeVisible();
  await page.getByRole('link', { name: 'New assignment' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `New assignment for Assigned ${tag}` })).toBeVisible();
  await expect(page.getByText(/Times are in your time zone, America\/New_York \(UTC−0[45]:00\)/)).toBeVisible();

  // Sending an empty title is stopped here, with the field named.
  await page.getByRole('button', { name: 'Set assignment' }).click();
  await expect(page.getByText('Give the assignment a title.')).toBeVisible();
  await expect(page.getByLabel('Title')).toBeFocused();
  await page.getByLabel('Title').fill(`Cardio week ${tag}`);

  // The live count follows the filters: every system, then cardiovascular only.
  const status = page.getByRole('status').filter({ hasText: /match|Choose at least/ });
  const matching = async () => Number(/^(\d+) published questions? match/.exec((await status.textContent()) ?? '')?.[1] ?? NaN);
  await expect(status).toContainText('the assignment will have 20 questions');
  const everything = await matching();
  await page.getByRole('button', { name: 'Clear organ systems' }).click();
  await expect(status).toHaveText('Choose at least one organ system.');
  await page.getByRole('checkbox', { name: 'Cardiovascular' }).check();
  await expect(status).toHaveText(`${cardio.size} published questions match — the assignment will have ${cardio.size} questions.`);
  expect(everything).toBeGreaterThan(cardio.size);

  // How many, the preview, and a reshuffle that keeps to the filters.
  await page.getByLabel('How many questions').fill('3');
  await expect(status).toContainText('the assignment will have 3 questions');
  const preview = page.getByRole('list', { name: /Preview \(3\)/ });
  await expect(preview.getByRole('listitem')).toHaveCount(3);
  await expect(preview.getByRole('listitem')).toContainText(['Cardiovascular', 'Cardiovascular', 'Cardiovascular']);
  const previewIds = async () => (await preview.getByRole('listitem').allTextContents()).map((t) => Number(/^Q(\d+)/.exec(t)?.[1]));
  const before = await previewIds();
  await expect(async () => {
    await page.getByRole('button', { name: 'Reshuffle' }).click();
    expect(await previewIds()).not.toEqual(before);
  }).toPass({ timeout: 10_000 });
  const chosen = await previewIds();
  expect(chosen.every((id) => cardio.has(id))).toBe(true);

  // Due on a winter evening in New York: stored as 22:00 UTC.
  await page.getByLabel('Due at').fill('2030-01-15T17:00');
  await page.getByLabel('Attempts allowed').fill('2');
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('button', { name: 'Set assignment' }).click();

  await expect(page).toHaveURL(/\/instructor\/assignments\/[0-9a-f-]{36}$/);
  const assignmentId = page.url().split('/').at(-1) ?? '';
  await expect(page.getByRole('heading', { level: 1, name: `Cardio week ${tag}` })).toBeVisible();
  await expect(page.getByText('Jan 15, 2030, 5:00 PM')).toBeVisible();
  const counts = page.getByRole('region', { name: 'Where the class is' });
  await expect(counts.getByRole('listitem').filter({ hasText: 'Not started' })).toContainText('2');
  await expect(counts.getByRole('listitem').filter({ hasText: 'Done late' })).toContainText('0');
  const students = page.getByRole('table', { name: "Each student's result, sortable by column" });
  await expect(students.getByRole('row', { name: new RegExp(`ann-${tag} test`) })).toContainText('Not started');
  await expect(students.getByRole('row', { name: new RegExp(`ben-${tag} test`) })).toContainText('Not started');
  const questions = page.getByRole('table', { name: "Results by question, in the assignment's order" });
  await expect(questions.getByRole('row')).toHaveCount(4);
  await expect(page.getByRole('table', { name: 'Scores of finished students' })).toBeAttached();
  await expectNoSeriousA11yViolations(page);

  const { data: stored } = await instructor.db.from('assignments').select('question_ids, mode, due_at, max_attempts').eq('id', assignmentId).single().throwOnError();
  expect(stored).toMatchObject({ question_ids: chosen, mode: 'tutor', max_attempts: 2 });
  expect(new Date(z.object({ due_at: z.string() }).parse(stored).due_at).toISOString()).toBe('2030-01-15T22:00:00.000Z');

  // Ann takes it (as her device would send it: one block, the assignment's section 0), two of three right.
  const { data: keyRows } = await instructor.db.from('questions').select('id, correct_choice').in('id', chosen).throwOnError();
  const keys = new Map(z.array(z.object({ id: z.number(), correct_choice: z.string() })).parse(keyRows).map((r) => [r.id, r.correct_choice]));
  const wrong = (q: number) => (keys.get(q) === 'A' ? 'B' : 'A');
  const block = randomUUID();
  const startedAt = Date.now() - 10 * 60_000;
  await ann
    ?.rpc('submit_answers', {
      attempts: [
        {
          id: block, mode: 'tutor', kind: 'assignment', question_ids: chosen, time_limit_seconds: null, filters: {},
          started_at: new Date(startedAt).toISOString(), completed_at: new Date().toISOString(),
          assignment_id: assignmentId, sitting_id: block, section: 0,
        },
      ],
      answers: chosen.map((q, i) => ({
        id: randomUUID(), attempt_id: block, question_id: q, choice: i === 2 ? wrong(q) : keys.get(q), time_spent_ms: 30_000,
        answered_at: new Date(startedAt + (i + 1) * 60_000).toISOString(),
      })),
    })
    .throwOnError();
  await page.reload();
  await expect(counts.getByRole('listitem').filter({ hasText: /^\s*\d+\s*Done\s*$/ })).toContainText('1');
  await expect(counts.getByRole('listitem').filter({ hasText: 'Not started' })).toContainText('1');
  const histogram = page.getByRole('table', { name: 'Scores of finished students' });
  await expect(histogram.getByRole('row', { name: /60–69 %/ })).toContainText('1');
  await expect(students.getByRole('row', { name: new RegExp(`ann-${tag} test`) })).toContainText('67%');
  await expect(questions.getByRole('row').nth(3)).toContainText('0%'); // the third question: one answer, wrong

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(new RegExp(`^cardio-week-${tag}-results-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const lines = (await readFile(await download.path(), 'utf8')).split('\r\n');
  expect(lines[0]).toBe('name,status,overdue,answered,correct,questions,score_pct,late_answers,sittings,started_at,completed_at');
  expect(lines.find((l) => l.startsWith(`ann-${tag} test,`))).toMatch(/,done,no,3,2,3,66\.7,0,1,/);
  expect(lines.find((l) => l.startsWith(`ben-${tag} test,`))).toMatch(/,not_started,no,0,0,3,,0,0,,$/);

  // It is in the cohort's list, linking to its results.
  await page.getByRole('link', { name: '← The cohort' }).click();
  await expect(page.getByRole('heading', { name: 'Assignments (1)' })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(`Cardio week ${tag}`) })).toContainText('Jan 15, 2030, 5:00 PM');
  await page.getByRole('link', { name: `Cardio week ${tag}` }).click();
  await expect(page).toHaveURL(new RegExp(`/instructor/assignments/${assignmentId}$`));

  // Deleting asks first, then the list is empty and the results page says it is gone.
  await page.goBack();
  await page.getByRole('button', { name: `Delete Cardio week ${tag}` }).click();
  await page.getByRole('group', { name: `Confirm deleting Cardio week ${tag}` }).getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page.getByRole('heading', { name: 'Assignments (0)' })).toBeVisible();
  // The stored copy of the assignment may still be there; its results are refused (403), then it is read again.
  consoleErrors.expect(/status of 403 .*get_assignment_results/);
  await page.goto(`/instructor/assignments/${assignmentId}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Assignment not found' })).toBeVisible();
});

test('the results of a 10,000-student cohort load, and the student table stays virtualised', async ({ page }) => {
  test.setTimeout(120_000);
  const db = await signedInClient('instructor@example.com');
  const { data: questionRows } = await db.from('questions').select('id').eq('published', true).order('id').limit(5).throwOnError();
  const { data: created } = await db
    .from('assignments')
    .insert({
      cohort_id: BIG_COHORT.id,
      title: `Big assignment ${Date.now().toString(36)}`,
      question_ids: z.array(z.object({ id: z.number() })).parse(questionRows).map((q) => q.id),
      mode: 'tutor',
      due_at: new Date(Date.now() + 7 * 24 * 3_600_000).toISOString(),
    })
    .select('id')
    .single()
    .throwOnError();
  const { id } = z.object({ id: z.string() }).parse(created);

  await signInThroughUi(page, 'instructor@example.com', DEMO_PASSWORD);
  await page.goto(`/instructor/assignments/${id}`);
  await expect(page.getByRole('heading', { name: `Students (${BIG_COHORT.size})` })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('region', { name: 'Where the class is' }).getByRole('listitem').filter({ hasText: 'Not started' })).toContainText(String(BIG_COHORT.size));
  const table = page.getByRole('table', { name: "Each student's result, sortable by column" });
  await expect(table).toHaveAttribute('aria-rowcount', String(BIG_COHORT.size + 1));
  const rendered = () => table.locator('tbody tr[data-index]').count();
  await expect(table.getByRole('row', { name: /Big Student 00001/ })).toBeVisible();
  expect(await rendered()).toBeLessThanOrEqual(60);

  // Sorted by name, descending: the last student comes first; scrolled to the end, the first is last.
  await table.getByRole('button', { name: 'Name' }).click();
  await table.getByRole('button', { name: 'Name' }).click();
  await expect(table.getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'descending');
  await expect(table.locator('tbody tr[data-index="0"]')).toContainText('Big Student 10000');
  const scroller = page.getByRole('region', { name: 'Student results, scrollable' });
  await expect(async () => {
    await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect(table.getByRole('row', { name: /Big Student 00001/ })).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  expect(await rendered()).toBeLessThanOrEqual(60);
  await expectNoSeriousA11yViolations(page);
});
