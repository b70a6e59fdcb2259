import { readFile } from 'node:fs/promises';
import type { Locator } from '@playwright/test';
import { z } from 'zod';
import { createInstructor, DEMO_PASSWORD, signedInClient } from './api.ts';
import { expect, test } from './fixtures.ts';
import { BIG_COHORT } from './seed-big-cohort.ts';
import { expectNoSeriousA11yViolations, signInThroughUi } from './ui.ts';

const INSTRUCTOR = 'instructor@example.com';
/** The virtualiser's promise: rows in view + overscan, never the whole board. */
const MAX_ROWS_IN_DOM = 60;

/** Ranks of the board rows currently in the DOM, in DOM order (the "Loading more…" row has none). */
async function renderedRanks(board: Locator): Promise<number[]> {
  const ranks = await board.getByRole('listitem').evaluateAll((els) => els.map((el) => el.getAttribute('data-rank')));
  return ranks.filter((r) => r !== null).map(Number);
}

async function expectWindowOfConsecutiveRanks(board: Locator): Promise<number[]> {
  expect(await board.getByRole('listitem').count()).toBeLessThanOrEqual(MAX_ROWS_IN_DOM);
  const ranks = await renderedRanks(board);
  expect(ranks.length).toBeGreaterThan(5);
  expect(ranks).toEqual(ranks.map((_, i) => (ranks[0] ?? 0) + i));
  return ranks;
}

/** Scrolls the board to its loaded end until a row with at least `rank` is rendered (pages load as it goes). */
async function scrollUntilRank(board: Locator, rank: number): Promise<void> {
  await expect(async () => {
    await board.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    expect(Math.max(...(await renderedRanks(board)))).toBeGreaterThanOrEqual(rank);
  }).toPass({ timeout: 90_000, intervals: [50, 100, 200] });
}

test('an instructor runs cohorts, reads a 10,000-student board, exports, reviews items, resolves an edit conflict and imports', async ({
  page,
  consoleErrors,
}) => {
  test.setTimeout(240_000);
  const tag = `e2e-${Date.now().toString(36)}`;
  await signInThroughUi(page, INSTRUCTOR, DEMO_PASSWORD);

  // Create a cohort: the generated join code is shown.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Instructor' }).click();
  await page.getByLabel('Cohort name').fill(`Cohort ${tag}`);
  await page.getByRole('button', { name: 'Create cohort' }).click();
  const created = page.getByRole('status').filter({ hasText: `Cohort ${tag} is ready` });
  await expect(created).toContainText(/Students join with the code [A-Z0-9]{8}/);

  // The 10,000-row board stays virtualised from top to bottom.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Leaderboard' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Leaderboard' })).toBeVisible();
  await page.getByLabel('Cohort', { exact: true }).selectOption({ label: `${BIG_COHORT.name} (you teach)` });
  await page.getByRole('tab', { name: 'All time' }).click();
  await expect(page.getByRole('tab', { name: 'All time' })).toHaveAttribute('aria-selected', 'true');
  const board = page.getByRole('region', { name: `${BIG_COHORT.name} — All time` });
  await expect(board.getByRole('listitem').first()).toHaveAttribute('data-rank', '1');
  expect((await expectWindowOfConsecutiveRanks(board))[0]).toBe(1);
  await expectNoSeriousA11yViolations(page);

  await scrollUntilRank(board, BIG_COHORT.size / 2);
  const middle = await expectWindowOfConsecutiveRanks(board);
  expect(Math.max(...middle)).toBeGreaterThanOrEqual(BIG_COHORT.size / 2);

  await scrollUntilRank(board, BIG_COHORT.size);
  await expect(page.getByText(`${(BIG_COHORT.size).toLocaleString('en-US')} ranked`)).toBeVisible();
  const end = await expectWindowOfConsecutiveRanks(board);
  expect(end.at(-1)).toBe(BIG_COHORT.size);

  // Export the cohort's results as CSV.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^big-cohort-results-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile(await download.path(), 'utf8');
  const lines = csv.split('\r\n');
  // Totals, then answered/correct/accuracy per organ system that the cohort has answers in.
  expect(lines[0]).toBe('name,email,joined_at,answered,correct,accuracy_pct,cardiovascular_answered,cardiovascular_correct,cardiovascular_accuracy_pct');
  expect(lines.find((l) => l.startsWith('Big Student 00001,'))).toMatch(/^Big Student 00001,big-1@test\.local,\d{4}-[^,]*,5,1,20(\.0+)?,5,1,20(\.0+)?$/);
  expect(lines.find((l) => l.startsWith('Big Student 00040,'))).toMatch(/^Big Student 00040,big-40@test\.local,\d{4}-[^,]*,5,4,80(\.0+)?,5,4,80(\.0+)?$/);
  expect(lines.filter((l) => l !== '')).toHaveLength(BIG_COHORT.size + 1);

  // The demo cohort: roster, then item statistics.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Instructor' }).click();
  await page.getByRole('link', { name: 'Class of 2028 - Step 1' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Class of 2028 - Step 1' })).toBeVisible();
  await expect(page.getByText('ROUNDS28')).toBeVisible();
  await expect(page.getByRole('row', { name: /Sam Rivera/ })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByRole('link', { name: 'Item statistics' }).click();
  const items = page.getByRole('table', { name: 'Item statistics, sortable by column' });
  await expect(items.getByRole('columnheader', { name: 'Flags' })).toBeVisible();
  await expect(items.getByRole('row').nth(1)).toBeVisible();
  await items.getByRole('button', { name: 'Facility' }).click();
  await expect(items.getByRole('columnheader', { name: /Facility/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect(page.getByRole('heading', { name: 'Accuracy by organ system' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // The big cohort's items: 40 students answered 5 questions (e2e/seed-big-cohort.ts), enough for flags:
  // 100 %, 0 %, 75 %, 50 % and 25 % correct; the first two do not discriminate.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Instructor' }).click();
  await page.getByRole('link', { name: BIG_COHORT.name }).click();
  await page.getByRole('link', { name: 'Item statistics' }).click();
  const bigItems = page.getByRole('table', { name: 'Item statistics, sortable by column' });
  // Computed on read over every answer of the cohort; on PGlite (one transaction at a time) behind the
  // other specs' traffic on a loaded 2-core runner this has taken over 5 s, so it gets longer to appear.
  await expect(bigItems.getByRole('row').filter({ hasText: 'Too easy' })).toHaveCount(1, { timeout: 20_000 });
  await expect(bigItems.getByRole('row').filter({ hasText: 'Too hard' })).toHaveCount(2); // 0 % and 25 % correct
  await expect(bigItems.getByRole('row').filter({ hasText: 'Low discrimination' })).toHaveCount(2);
  await expectNoSeriousA11yViolations(page);

  // Edit conflict: the same author saves from another session while the editor is open; "Overwrite with mine" wins.
  const db = await signedInClient(INSTRUCTOR);
  const questionRow = z.object({ id: z.number(), version: z.number(), explanation: z.string(), tags: z.array(z.string()) });
  const { data: inserted } = await db
    .from('questions')
    .insert({
      stem: `A draft question for the conflict test (${tag}). Which choice is correct?`,
      choices: ['One', 'Two', 'Three', 'Four', 'Five'],
      correct_choice: 'B',
      explanation: 'The original explanation.',
      organ_system: 'renal',
      discipline: 'physiology',
    })
    .select('id, version, explanation, tags')
    .single()
    .throwOnError();
  const draft = questionRow.parse(inserted);
  await page.goto(`/instructor/questions/${draft.id}`);
  await expect(page.getByRole('heading', { level: 1, name: `Edit question ${draft.id}` })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await db
    .rpc('update_question', { p_id: draft.id, p_expected_version: draft.version, p_changes: { explanation: 'A colleague rewrote this.' } })
    .throwOnError();
  await page.getByLabel('Tags (comma-separated)').fill(`conflict, ${tag}`);
  consoleErrors.expect(/status of 409/);
  await page.getByRole('button', { name: 'Save' }).click();
  const conflict = page.getByRole('alert').filter({ hasText: 'Someone else saved this question' });
  await expect(conflict).toBeVisible();
  await expect(conflict.getByRole('row', { name: /Explanation/ })).toContainText('A colleague rewrote this.');
  await expect(conflict.getByRole('row', { name: /Explanation/ })).toContainText('The original explanation.');
  await expect(conflict.getByRole('row', { name: /Tags/ })).toContainText(`conflict, ${tag}`);
  await conflict.getByRole('button', { name: 'Overwrite with mine' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Saved — version \d+/ })).toBeVisible();
  const { data: saved } = await db.from('questions').select('id, version, explanation, tags').eq('id', draft.id).single().throwOnError();
  expect(questionRow.parse(saved)).toMatchObject({ explanation: 'The original explanation.', tags: ['conflict', tag], version: draft.version + 2 });

  // Import: a file with one bad question is refused with its line and nothing is written; a good one is imported.
  await page.goto('/instructor/import');
  await expect(page.getByRole('heading', { level: 1, name: 'Import questions' })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  const aiken = (fifthChoice: string | null) =>
    [
      `Imported question one (${tag}): which vitamin deficiency causes scurvy?`,
      'A) Vitamin A',
      'B) Vitamin B12',
      'C) Vitamin C',
      'D) Vitamin D',
      'E) Vitamin K',
      'ANSWER: C',
      '',
      `Imported question two (${tag}): which electrolyte disorder causes peaked T waves?`,
      'A) Hyperkalemia',
      'B) Hypokalemia',
      'C) Hypercalcemia',
      'D) Hyponatremia',
      fifthChoice,
      'ANSWER: A',
      '',
    ]
      .filter((line) => line !== null)
      .join('\n');
  await page.getByLabel('Organ system', { exact: true }).selectOption('renal');
  await page.getByLabel('Discipline', { exact: true }).selectOption('physiology');
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'bad.txt', mimeType: 'text/plain', buffer: Buffer.from(aiken(null)) });
  await page.getByRole('button', { name: 'Check and import' }).click();
  const report = page.getByRole('alert').filter({ hasText: 'Nothing was imported' });
  await expect(report).toContainText('Question 2, line 14:');
  await expect(report).toContainText('4 choices');
  const { count } = await db.from('questions').select('id', { count: 'exact', head: true }).like('stem', `%${tag}%`).throwOnError();
  expect(count).toBe(1); // only the conflict test's draft

  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'good.txt', mimeType: 'text/plain', buffer: Buffer.from(aiken('E) Hypomagnesemia')) });
  await page.getByRole('button', { name: 'Check and import' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Imported 2 questions as drafts.' })).toBeVisible();
  await page.getByRole('link', { name: 'See them in the list' }).click();
  await expect(page.getByRole('row', { name: new RegExp(`Imported question one \\(${tag}\\)`) })).toContainText('Draft');
  await expect(page.getByRole('row', { name: new RegExp(`Imported question two \\(${tag}\\)`) })).toContainText('Renal');
});

test("questions belong to their author: the bank and a colleague's questions are read-only until the colleague adds you as an editor", async ({
  page,
  consoleErrors,
}) => {
  test.setTimeout(120_000);
  const tag = `own-${Date.now().toString(36)}`;
  const colleague = await createInstructor(`Dr Colleague ${tag}`);
  const { data: ids } = await colleague.db
    .rpc('import_questions', {
      p_rows: [
        {
          stem: `A colleague's published question (${tag}): which nerve is injured in wrist drop?`,
          choices: ['Radial', 'Ulnar', 'Median', 'Axillary', 'Musculocutaneous'],
          correct_choice: 'A',
          explanation: 'Radial nerve (A); not (B), (C), (D) or (E).',
          organ_system: 'musculoskeletal',
          discipline: 'anatomy',
        },
      ],
      p_publish: true,
    })
    .throwOnError();
  const colleagueQuestion = z.array(z.number()).parse(ids)[0] ?? 0;
  const { data: colleagueCohort } = await colleague.db.from('cohorts').insert({ name: `Colleague cohort ${tag}` }).select('join_code').single().throwOnError();
  const colleagueCode = z.object({ join_code: z.string() }).parse(colleagueCohort).join_code;

  await signInThroughUi(page, INSTRUCTOR, DEMO_PASSWORD);
  await page.goto('/instructor/questions');
  await expect(page.getByRole('heading', { level: 1, name: 'Questions' })).toBeVisible();
  // The seeded bank and the colleague's question: author shown, read only, no Publish control.
  const bankRow = page.getByRole('row').filter({ hasText: 'A 64-year-old man is admitted with an inferior ST-elevation' });
  await expect(bankRow).toContainText('Rounds bank');
  await expect(bankRow).toContainText('Read only');
  await expect(bankRow.getByRole('button')).toHaveCount(0);
  const colleagueRow = page.getByRole('row').filter({ hasText: `A colleague's published question (${tag})` });
  await expect(colleagueRow).toContainText(`Dr Colleague ${tag}`);
  await expect(colleagueRow.getByRole('button')).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);

  await colleagueRow.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: `Question ${colleagueQuestion}` })).toBeVisible();
  await expect(page.getByRole('note')).toHaveText(`By Dr Colleague ${tag} — read only. Ask them to add you as an editor.`);
  await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);
  await expect(page.getByText('Radial (correct)')).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.goto('/instructor/questions/1');
  await expect(page.getByRole('note')).toHaveText('Rounds bank — read only. The Rounds team maintains these questions.');

  // The author's editors panel: a student's email is refused in the server's words; a colleague is added, then removed.
  await page.goto('/instructor/questions');
  const panel = page.getByRole('region', { name: 'Editors of your questions' });
  await expect(panel).toContainText('No editors yet');
  consoleErrors.expect(/status of 400/);
  await panel.getByLabel('Add an editor by email').fill('student@example.com');
  await panel.getByRole('button', { name: 'Add editor' }).click();
  await expect(panel.getByRole('alert')).toHaveText('No instructor has the email student@example.com. An editor must already have an instructor account on Rounds.');
  await panel.getByLabel('Add an editor by email').fill(colleague.email);
  await panel.getByLabel('Add an editor by email').press('Enter');
  await expect(panel.getByRole('status').filter({ hasText: `Dr Colleague ${tag} can now edit your questions.` })).toBeVisible();
  await expect(panel.getByRole('list', { name: 'Your editors' }).getByRole('listitem')).toHaveText([new RegExp(`Dr Colleague ${tag}`)]);
  await expectNoSeriousA11yViolations(page);
  // The colleague can now change the demo instructor's questions.
  const own = await signedInClient(INSTRUCTOR);
  const { data: mine } = await own.rpc('import_questions', {
    p_rows: [{
      stem: `The demo instructor's draft (${tag}): which enzyme is deficient in classic PKU?`,
      choices: ['Phenylalanine hydroxylase', 'Tyrosinase', 'Homogentisate oxidase', 'Cystathionine synthase', 'Dihydropteridine reductase'],
      correct_choice: 'A',
      explanation: 'Phenylalanine hydroxylase (A).',
      organ_system: 'nervous',
      discipline: 'biochemistry',
    }],
  }).throwOnError();
  const myDraft = z.array(z.number()).parse(mine)[0] ?? 0;
  await colleague.db.rpc('update_question', { p_id: myDraft, p_expected_version: 1, p_changes: { difficulty: 4 } }).throwOnError();
  await panel.getByRole('button', { name: `Remove Dr Colleague ${tag} as an editor` }).click();
  await expect(panel.getByRole('status').filter({ hasText: `Dr Colleague ${tag} can no longer edit your questions.` })).toBeVisible();
  await expect(panel).toContainText('No editors yet');
  // Removed, the colleague no longer even sees the draft.
  const refused = await colleague.db.rpc('update_question', { p_id: myDraft, p_expected_version: 2, p_changes: { difficulty: 5 } });
  expect([refused.status, refused.error?.code]).toEqual([404, 'question_not_found']);

  // The colleague names the demo instructor an editor: after a reload, their question has a Publish control and a form.
  await colleague.db.rpc('add_question_editor', { p_email: INSTRUCTOR }).throwOnError();
  await page.reload();
  await expect(colleagueRow.getByRole('button', { name: `Unpublish question ${colleagueQuestion}` })).toBeVisible();
  await expect(panel).toContainText(`You are an editor of the questions of Dr Colleague ${tag}.`);
  await colleagueRow.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: `Edit question ${colleagueQuestion}` })).toBeVisible();
  await expect(page.getByText(`By Dr Colleague ${tag} — you are one of their editors.`)).toBeVisible();

  // Members are students: the instructor trying a colleague's join code gets a calm explanation, not an error.
  consoleErrors.expect(/status of 403/);
  await page.goto('/settings');
  await page.getByLabel('Join code').fill(colleagueCode);
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Instructors cannot join cohorts: cohort members are students.' })).toBeVisible();
  await expect(page.getByLabel('Join code')).not.toHaveAttribute('aria-invalid', 'true');
});

test('a student sees aliases, their own row highlighted and pinned with rank and percentile', async ({ page }) => {
  await signInThroughUi(page, 'student@example.com', DEMO_PASSWORD);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Leaderboard' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Instructor' })).toHaveCount(0);
  await page.getByRole('tab', { name: 'All time' }).click();
  const board = page.getByRole('region', { name: 'Class of 2028 - Step 1 — All time' });
  await expect(board.getByRole('listitem').first()).toHaveAttribute('data-rank', '1');
  await expect(board.getByText('Priya Nair')).toHaveCount(0);
  await expect(board.locator('[aria-current="true"]')).toContainText('NightShiftSam');
  await expect(page.getByRole('region', { name: 'Your position' })).toContainText(/You: rank \d+ of \d+|Answer \d+ more to be ranked/);
  await page.getByRole('tab', { name: 'All time' }).press('ArrowLeft');
  await expect(page.getByRole('tab', { name: 'This week (UTC)' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'This week (UTC)' })).toHaveAttribute('aria-selected', 'true');
  await expectNoSeriousA11yViolations(page);
});
