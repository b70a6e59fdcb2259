/**
 * Factories for the instructor and leaderboard tests, on top of tests/world.ts. Answers with chosen
 * timestamps are seeded through the test-only `test_insert_answers` (tests/fixtures/020_leaderboard_fixtures.sql),
 * callable with the service key only; everything else goes through the public API.
 */
import { z } from 'zod';
import { CHOICES, type Choice } from '../src/lib/taxonomy.ts';
import { anonKey, createUser, untypedAdmin, untypedClient, type TestUser } from './helpers.ts';
import { createCohort, joinCohort } from './world.ts';

export interface SeedAnswer {
  user_id: string;
  question_id: number;
  choice?: Choice;
  correct?: boolean;
  answered_at?: string;
  received_at?: string;
  time_spent_ms?: number;
}

export async function seedAnswers(rows: SeedAnswer[]): Promise<string[]> {
  const { data } = await untypedAdmin().rpc('test_insert_answers', { p_rows: rows }).throwOnError();
  return z.array(z.string().uuid()).parse(data);
}

/** An instructor, a cohort with `min_answers_to_rank` = minToRank, and `n` students who joined it. */
export async function cohortWithStudents(n: number, opts: { minToRank?: number; names?: string[] } = {}) {
  const instructor = await createUser({ role: 'instructor', displayName: 'Dr Lead' });
  const cohort = await createCohort(instructor);
  if (opts.minToRank !== undefined) {
    await instructor.db.from('cohorts').update({ min_answers_to_rank: opts.minToRank }).eq('id', cohort.id).throwOnError();
  }
  const students: TestUser[] = await Promise.all(
    Array.from({ length: n }, (_, i) => createUser({ displayName: opts.names?.[i] ?? `Real Name ${i + 1}` })),
  );
  // Sequential joins keep joined_at in index order.
  for (const s of students) await joinCohort(s, cohort.join_code);
  return { instructor, cohort, students };
}

/** Imports and publishes questions with the given keys and organ systems (through import_questions). */
export async function importQuestions(instructor: TestUser, specs: { key: Choice; system: string }[]): Promise<number[]> {
  const rows = specs.map((s, i) => ({
    stem: `Fixture vignette ${i + 1}: a 24-year-old presents with a finding that tests item statistics.`,
    choices: CHOICES.map((k) => `Option ${k}`),
    correct_choice: s.key,
    // Published questions must explain every wrong choice by letter (tests/seed.test.ts checks the whole bank).
    explanation: 'Fixture explanation: (A), (B), (C), (D) and (E) are discussed.',
    organ_system: s.system,
    discipline: 'physiology',
  }));
  const { data } = await instructor.db.rpc('import_questions', { p_rows: rows, p_publish: true }).throwOnError();
  return z.array(z.number()).parse(data);
}

/** Monday 00:00:00 UTC of the current ISO week. */
export function currentWeekStart(now = new Date()): Date {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const isoDow = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
  d.setUTCDate(d.getUTCDate() - (isoDow - 1));
  return d;
}

/** A board row is what the screen shows, nothing more (strict: an extra column such as a user id fails). */
export const leaderboardRow = z
  .object({
    rank: z.number(),
    name: z.string(),
    is_me: z.boolean(),
    answered: z.number(),
    correct: z.number(),
    accuracy: z.coerce.number(),
    cursor: z.record(z.string(), z.unknown()),
  })
  .strict();
export type LeaderboardRow = z.infer<typeof leaderboardRow>;

export async function leaderboard(
  user: TestUser,
  cohortId: string,
  opts: { period?: 'all' | 'week'; after?: unknown; limit?: number } = {},
): Promise<LeaderboardRow[]> {
  // Untyped: tests send cursors of every vintage and shape, as a client holding an old one would.
  const { data } = await untypedClient(anonKey, user.accessToken)
    .rpc('get_leaderboard', { p_cohort_id: cohortId, p_period: opts.period ?? 'all', p_after: opts.after ?? null, p_limit: opts.limit ?? 50 })
    .throwOnError();
  return z.array(leaderboardRow).parse(data);
}
