/** The demo data promised by the README: logins, a cohort with a join code, a bank, answer history. */
import { expect, test } from 'vitest';
import { z } from 'zod';
import { CHOICES } from '../src/lib/taxonomy.ts';
import { client } from './helpers.ts';

async function signIn(email: string) {
  const c = client();
  const { data, error } = await c.auth.signInWithPassword({ email, password: 'rounds-demo' });
  expect(error).toBeNull();
  return { c, user: data.user };
}

test('the demo student signs in and sees the published bank (≥ 60 questions, ≥ 10 systems, ≥ 5 disciplines)', async () => {
  const { c } = await signIn('student@example.com');
  const { data } = await c.from('questions').select('id, organ_system, discipline, choices, correct_choice, explanation').eq('published', true)
    // The seeded bank (no author): other test files publish questions of their own in parallel.
    .is('created_by', null)
    .throwOnError();
  const rows = z
    .array(z.object({ id: z.number(), organ_system: z.string(), discipline: z.string(), choices: z.array(z.string()).length(5), correct_choice: z.string(), explanation: z.string() }))
    .parse(data);
  expect(rows.length).toBeGreaterThanOrEqual(60);
  expect(new Set(rows.map((r) => r.organ_system)).size).toBeGreaterThanOrEqual(10);
  expect(new Set(rows.map((r) => r.discipline)).size).toBeGreaterThanOrEqual(5);
  // Each explanation says why every wrong choice is wrong.
  for (const r of rows) {
    for (const letter of CHOICES.filter((l) => l !== r.correct_choice)) {
      expect(r.explanation, `question ${r.id} explains (${letter})`).toContain(`(${letter})`);
    }
  }
});

test('the demo student has answer history and belongs to the demo cohort', async () => {
  const { c, user } = await signIn('student@example.com');
  const { count } = await c.from('answers').select('*', { count: 'exact', head: true }).eq('user_id', user?.id ?? '');
  expect(count).toBeGreaterThanOrEqual(20);
  const { data } = await c.from('cohorts').select('name, join_code').throwOnError();
  expect(data).toEqual([{ name: 'Class of 2028 - Step 1', join_code: 'ROUNDS28' }]);
});

test('the demo instructor is an instructor and sees at least 5 students with history on the leaderboard', async () => {
  const { c, user } = await signIn('instructor@example.com');
  const { data: me } = await c.from('profiles').select('role').eq('id', user?.id ?? '').single().throwOnError();
  expect(me).toEqual({ role: 'instructor' });
  const { data: cohort } = await c.from('cohorts').select('id').eq('join_code', 'ROUNDS28').single().throwOnError();
  const { data: board } = await c.rpc('get_leaderboard', { p_cohort_id: z.object({ id: z.string() }).parse(cohort).id, p_period: 'all' }).throwOnError();
  const rows = z.array(z.object({ rank: z.number(), name: z.string(), answered: z.number() })).parse(board);
  expect(rows.length).toBeGreaterThanOrEqual(5);
  expect(rows.map((r) => r.rank)).toEqual(rows.map((_, i) => i + 1));
  expect(rows.every((r) => r.answered > 0)).toBe(true);
});
