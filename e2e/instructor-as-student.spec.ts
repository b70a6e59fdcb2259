/**
 * "Mine" means mine, for instructors too. RLS returns a cohort's attempts and answers to its instructor,
 * so every read that means "the signed-in user's own" filters user_id itself. Here an instructor whose
 * students have history (finished blocks with wrong answers and marks, and a block left half done) does
 * everything a student does, and sees only their own data: home, the three pools, a block taken,
 * continued and reviewed.
 */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { createInstructor, signedInClient, signUpStudent } from './api.ts';
import { signInThroughUi } from './ui.ts';
import { expect, test } from './fixtures.ts';
import { CHOICES } from '../src/lib/taxonomy.ts';

/** Six answered questions (every other one wrong), one marked, in a finished block; and a block left open. */
async function createStudentHistory(db: SupabaseClient): Promise<void> {
  const { data } = await db.from('questions').select('id, correct_choice').eq('published', true).order('id').limit(8).throwOnError();
  const questions = z.array(z.object({ id: z.number(), correct_choice: z.enum(CHOICES) })).parse(data);
  const done = questions.slice(0, 6);
  const id = randomUUID();
  await db.from('attempts').insert({ id, mode: 'tutor', question_ids: done.map((q) => q.id) }).throwOnError();
  const answers = done.map((q, i) => ({
    id: randomUUID(),
    attempt_id: id,
    question_id: q.id,
    choice: i % 2 === 0 ? q.correct_choice : q.correct_choice === 'A' ? 'B' : 'A',
    time_spent_ms: 30_000,
    answered_at: new Date().toISOString(),
  }));
  await db.rpc('submit_answers', { answers }).throwOnError();
  await db
    .from('attempts')
    .update({ completed_at: new Date().toISOString(), marked_question_ids: [done[0]?.id ?? 0] })
    .eq('id', id)
    .throwOnError();
  await db.from('attempts').insert({ id: randomUUID(), mode: 'tutor', question_ids: questions.slice(6).map((q) => q.id) }).throwOnError();
}

test('an instructor who takes blocks sees only their own: home, pools, continue and review', async ({ page }) => {
  test.setTimeout(120_000);
  const instructor = await createInstructor('Dr Own Data');
  const teacherDb = instructor.db;
  const { data: cohort } = await teacherDb
    .from('cohorts')
    .insert({ name: `Own data ${randomUUID().slice(0, 4)}` })
    .select('join_code')
    .single()
    .throwOnError();
  const code = z.object({ join_code: z.string() }).parse(cohort).join_code;

  // Two students of this instructor with history: finished blocks (2 wrong, 1 marked each) and one
  // block left half done (what a "Continue" would open).
  for (const tag of ['own-a', 'own-b']) {
    const student = await signUpStudent(tag);
    const db = await signedInClient(student.email, student.password);
    await db.rpc('join_cohort', { code }).throwOnError();
    await createStudentHistory(db);
  }
  const { count: bankSize } = await teacherDb.from('questions').select('id', { count: 'exact', head: true }).eq('published', true).throwOnError();
  expect(bankSize).toBeGreaterThan(10);

  await signInThroughUi(page, instructor.email, instructor.password);
  const stats = page.getByRole('region', { name: 'Your stats' });
  await expect(stats.getByText("You haven't answered any questions yet")).toBeVisible();
  const recent = page.getByRole('region', { name: 'Recent blocks' });
  await expect(recent.getByText('No blocks yet.')).toBeVisible();
  await expect(recent.getByRole('link', { name: 'Continue' })).toHaveCount(0);

  // The pools are built from the instructor's own history: nothing answered, nothing wrong, nothing marked.
  await page.goto('/blocks/new');
  const status = page.locator('.nb-status');
  const pool = (label: string) => page.getByRole('group', { name: 'Questions from' }).getByLabel(label, { exact: false });
  await expect(status).toContainText(`${bankSize} questions match`);
  await pool('Incorrect').check();
  await expect(status).toContainText('No questions match');
  await pool('Marked').check();
  await expect(status).toContainText('No questions match');

  // A three-question tutor block: the first answer wrong on purpose (A, then whatever the key says).
  await pool('Unused').check();
  await page.getByLabel('Number of questions').fill('3');
  await page.getByRole('button', { name: 'Start block' }).click();
  for (let n = 1; n <= 3; n++) {
    await expect(page.getByRole('heading', { name: `Question ${n} of 3` })).toBeVisible();
    await page.keyboard.press(String(n));
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Explanation' })).toBeVisible();
    if (n < 3) await page.keyboard.press('ArrowRight');
  }
  await page.getByRole('button', { name: 'End block' }).click();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/blocks\/[0-9a-f-]{36}\/review$/);
  await expect(page.getByText('Your answer')).toHaveCount(3, { timeout: 20_000 });
  await expect(page.getByTestId('sync-status')).toContainText('All answers synced');

  // A second block, left after one answer: home offers to continue the instructor's own block only.
  await page.goto('/blocks/new');
  await expect(status).toContainText(`${(bankSize ?? 0) - 3} questions match`);
  await page.getByLabel('Number of questions').fill('3');
  await page.getByRole('button', { name: 'Start block' }).click();
  await expect(page.getByRole('heading', { name: 'Question 1 of 3' })).toBeVisible();
  await page.keyboard.press('1');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Explanation' })).toBeVisible();
  await expect(page.getByTestId('sync-status')).toContainText('All answers synced');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
  await expect(recent.getByRole('listitem')).toHaveCount(2);
  await expect(recent.getByRole('link', { name: 'Continue' })).toHaveCount(1);
  await expect(recent.getByRole('link', { name: 'Review' })).toHaveCount(1);
  await expect(stats.getByRole('definition').first()).toHaveText('4');

  await recent.getByRole('link', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: /Question \d of 3/ })).toBeVisible();
});
