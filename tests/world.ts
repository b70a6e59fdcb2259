/**
 * A small world for authorisation tests, built through the public API exactly as users would:
 * cohort 1 (instructor I1; students A, B, D, E), cohort 2 (instructor I2; student C).
 * A has started an attempt and answered one question in it.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Json } from '../src/lib/database.types.ts';
import { createUser, type TestUser } from './helpers.ts';

const cohortRow = z.object({ id: z.string().uuid(), join_code: z.string() });

export interface World {
  A: TestUser;
  B: TestUser;
  C: TestUser;
  D: TestUser;
  E: TestUser;
  I1: TestUser;
  I2: TestUser;
  cohort1: { id: string; join_code: string };
  cohort2: { id: string; join_code: string };
  questionIds: number[];
  attemptId: string;
  answerId: string;
}

export async function createCohort(instructor: TestUser, name = `Cohort ${randomUUID().slice(0, 6)}`) {
  const { data } = await instructor.db
    .from('cohorts')
    .insert({ name, instructor_id: instructor.id })
    .select('id, join_code')
    .single()
    .throwOnError();
  return cohortRow.parse(data);
}

export async function joinCohort(student: TestUser, code: string) {
  await student.db.rpc('join_cohort', { code }).throwOnError();
}

export async function publishedQuestionIds(user: TestUser, n: number): Promise<number[]> {
  const { data } = await user.db.from('questions').select('id').eq('published', true).order('id').limit(n).throwOnError();
  return z.array(z.object({ id: z.number() })).parse(data).map((r) => r.id);
}

export async function startAttempt(student: TestUser, questionIds: number[], mode: 'tutor' | 'timed' = 'tutor') {
  const id = randomUUID();
  await student.db
    .from('attempts')
    .insert({ id, mode, question_ids: questionIds, time_limit_seconds: mode === 'timed' ? 90 * questionIds.length : null })
    .throwOnError();
  return id;
}

export function answer(attemptId: string, questionId: number, choice = 'A', overrides: Record<string, Json> = {}) {
  return {
    id: randomUUID(),
    attempt_id: attemptId,
    question_id: questionId,
    choice,
    time_spent_ms: 42_000,
    answered_at: new Date().toISOString(),
    ...overrides,
  };
}

export async function buildWorld(): Promise<World> {
  const [A, B, C, D, E, I1, I2] = await Promise.all([
    createUser({ displayName: 'Alice Student' }),
    createUser({ displayName: 'Bob Student' }),
    createUser({ displayName: 'Cara Student' }),
    createUser({ displayName: 'Dan Student' }),
    createUser({ displayName: 'Eve Student' }),
    createUser({ role: 'instructor', displayName: 'Dr One' }),
    createUser({ role: 'instructor', displayName: 'Dr Two' }),
  ]);
  const cohort1 = await createCohort(I1);
  const cohort2 = await createCohort(I2);
  await Promise.all([A, B, D, E].map((s) => joinCohort(s, cohort1.join_code)));
  await joinCohort(C, cohort2.join_code);
  const questionIds = await publishedQuestionIds(A, 5);
  const attemptId = await startAttempt(A, questionIds.slice(0, 3));
  const ans = answer(attemptId, questionIds[0] ?? 0, 'B');
  await A.db.rpc('submit_answers', { answers: [ans] }).throwOnError();
  return { A, B, C, D, E, I1, I2, cohort1, cohort2, questionIds, attemptId, answerId: ans.id };
}
