/**
 * get_item_statistics and get_student_system_accuracy on a small fixture whose expected values are
 * computed by hand below (first attempts only, upper/lower 27 % discrimination, flags at n ≥ 10).
 */
import { expect, test } from 'vitest';
import { z } from 'zod';
import { anonKey, createUser, untypedClient, type TestUser } from './helpers.ts';
import { joinCohort } from './world.ts';
import { CHOICES } from '../src/lib/taxonomy.ts';
import { cohortWithStudents, importQuestions, seedAnswers, type SeedAnswer } from './instructor-world.ts';

const itemRow = z.object({
  question_id: z.number(),
  organ_system: z.string(),
  correct_choice: z.string(),
  n: z.number(),
  correct: z.number(),
  facility: z.coerce.number(),
  discrimination: z.coerce.number().nullable(),
  a: z.number(),
  b: z.number(),
  c: z.number(),
  d: z.number(),
  e: z.number(),
  mean_time_ms: z.number(),
  flags: z.array(z.string()),
});

// First answers of students S1..S10 to Q1..Q5 (keys A, B, C, D, E); '.' would mean "not answered".
// Upper-case = the key (correct), lower-case = the distractor chosen.
//          Q1 Q2 Q3 Q4 Q5   score (correct of 5)
const MATRIX = [
  'A B C D E', // S1  5
  'A B C D E', // S2  5
  'A B C a E', // S3  4
  'A B d a E', // S4  3
  'A a C a E', // S5  3
  'b B C a E', // S6  3
  'A B d a E', // S7  3
  'A a d a E', // S8  2
  'c B a a E', // S9  2
  'c e b a E', // S10 1
];
// n = 10 per item, k = round(0.27 × 10) = round(2.7) = 3.
// Ordered by score: upper 3 = {S1, S2, S3} (5, 5, 4); lower 3 = {S8, S9, S10} (2, 2, 1). No tie crosses a
// group boundary (4th is 3 < 4; 7th is 3 > 2), so the groups do not depend on the user-id tie-break.
//   Q1 key A: correct S1 S2 S3 S4 S5 S7 S8 = 7 → facility 0.7; upper 3/3, lower 1/3 (S8) → D = 1 − 1/3 = 0.6667
//             choices A 7, B 1 (S6), C 2 (S9, S10)
//   Q2 key B: correct S1 S2 S3 S4 S6 S7 S9 = 7 → 0.7; upper 3/3, lower 1/3 (S9) → D = 0.6667; A 2, B 7, E 1
//   Q3 key C: correct S1 S2 S3 S5 S6 = 5 → 0.5; upper 3/3, lower 0/3 → D = 1; A 1, B 1, C 5, D 3
//   Q4 key D: correct S1 S2 = 2 → 0.2 < 0.3 → too_hard; upper 2/3, lower 0/3 → D = 0.6667; A 8, D 2
//   Q5 key E: correct all 10 → 1.0 > 0.9 → too_easy; upper 3/3, lower 3/3 → D = 0 < 0.2 → low_discrimination
// Mean time: every first answer takes 30 000 ms except S1 on Q1 (10 000 ms):
//   Q1 = (10 000 + 9 × 30 000) / 10 = 28 000 ms; the others 30 000 ms.
// Ignored, and would change the numbers if counted: S10 answers Q1 again later with the key (a retake),
// and an outsider (not in the cohort) answers Q1..Q5 wrongly.

test('item statistics from first attempts: facility, upper–lower discrimination, distractors, time, flags', async () => {
  const { instructor, cohort, students } = await cohortWithStudents(10);
  const systems = ['cardiovascular', 'cardiovascular', 'renal', 'renal', 'respiratory'];
  const qids = await importQuestions(instructor, CHOICES.map((key, i) => ({ key, system: systems[i] ?? '' })));
  const t0 = Date.now() - 86_400_000;
  const rows: SeedAnswer[] = MATRIX.flatMap((line, s) =>
    line.split(' ').map((choice, q) => ({
      user_id: (students[s] as TestUser).id,
      question_id: qids[q] ?? 0,
      choice: z.enum(CHOICES).parse(choice.toUpperCase()),
      answered_at: new Date(t0 + q * 60_000).toISOString(),
      time_spent_ms: s === 0 && q === 0 ? 10_000 : 30_000,
    })),
  );
  const s10 = students[9] as TestUser;
  rows.push({ user_id: s10.id, question_id: qids[0] ?? 0, choice: 'A', answered_at: new Date(t0 + 3_600_000).toISOString(), time_spent_ms: 1 });
  const outsider = await createUser();
  rows.push(...qids.map((q) => ({ user_id: outsider.id, question_id: q, correct: false })));
  await seedAnswers(rows);

  const { data } = await instructor.db.rpc('get_item_statistics', { p_cohort_id: cohort.id }).throwOnError();
  const stats = z.array(itemRow).parse(data);
  const pick = (r: z.infer<typeof itemRow>) => ({
    n: r.n, facility: r.facility, discrimination: r.discrimination,
    choices: [r.a, r.b, r.c, r.d, r.e], mean_time_ms: r.mean_time_ms, flags: r.flags,
  });
  expect(stats.map((r) => r.question_id)).toEqual(qids);
  expect(stats.map(pick)).toEqual([
    { n: 10, facility: 0.7, discrimination: 0.6667, choices: [7, 1, 2, 0, 0], mean_time_ms: 28_000, flags: [] },
    { n: 10, facility: 0.7, discrimination: 0.6667, choices: [2, 7, 0, 0, 1], mean_time_ms: 30_000, flags: [] },
    { n: 10, facility: 0.5, discrimination: 1, choices: [1, 1, 5, 3, 0], mean_time_ms: 30_000, flags: [] },
    { n: 10, facility: 0.2, discrimination: 0.6667, choices: [8, 0, 0, 2, 0], mean_time_ms: 30_000, flags: ['too_hard'] },
    { n: 10, facility: 1, discrimination: 0, choices: [0, 0, 0, 0, 10], mean_time_ms: 30_000, flags: ['too_easy', 'low_discrimination'] },
  ]);
});

test('no flags below 10 first answers; D needs at least 2', async () => {
  const { instructor, cohort, students } = await cohortWithStudents(3);
  const [q] = await importQuestions(instructor, [{ key: 'A', system: 'skin' }]);
  // 3 students, all wrong: facility 0 would be "too hard", but n = 3 < 10 → no flags.
  // k = max(1, round(0.81)) = 1: upper = best scorer, lower = worst; all scores 0 → D = 0 − 0 = 0.
  await seedAnswers(students.map((s) => ({ user_id: s.id, question_id: q ?? 0, choice: 'B' as const })));
  const { data } = await instructor.db.rpc('get_item_statistics', { p_cohort_id: cohort.id }).throwOnError();
  expect(z.array(itemRow).parse(data).map((r) => [r.n, r.facility, r.discrimination, r.flags])).toEqual([[3, 0, 0, []]]);
});

test('per-student accuracy by organ system counts every answer (retakes included)', async () => {
  const { instructor, cohort, students } = await cohortWithStudents(2, { names: ['Ann Learner', 'Ben Learner'] });
  const [ann, ben] = students as [TestUser, TestUser];
  const [c1, c2, r1] = await importQuestions(instructor, [
    { key: 'A', system: 'cardiovascular' }, { key: 'B', system: 'cardiovascular' }, { key: 'C', system: 'renal' },
  ]);
  await seedAnswers([
    // Ann: cardiovascular c1 wrong, c2 right, c1 again right → 2/3 = 0.6667; renal r1 wrong → 0/1 = 0.
    { user_id: ann.id, question_id: c1 ?? 0, choice: 'B' },
    { user_id: ann.id, question_id: c2 ?? 0, choice: 'B' },
    { user_id: ann.id, question_id: c1 ?? 0, choice: 'A' },
    { user_id: ann.id, question_id: r1 ?? 0, choice: 'A' },
    // Ben: renal r1 right → 1/1.
    { user_id: ben.id, question_id: r1 ?? 0, choice: 'C' },
  ]);
  const { data } = await instructor.db.rpc('get_student_system_accuracy', { p_cohort_id: cohort.id }).throwOnError();
  const rows = z
    .array(z.object({ user_id: z.string(), display_name: z.string(), organ_system: z.string(), answered: z.number(), correct: z.number(), accuracy: z.coerce.number() }))
    .parse(data);
  expect(rows).toEqual([
    { user_id: ann.id, display_name: 'Ann Learner', organ_system: 'cardiovascular', answered: 3, correct: 2, accuracy: 0.6667 },
    { user_id: ann.id, display_name: 'Ann Learner', organ_system: 'renal', answered: 1, correct: 0, accuracy: 0 },
    { user_id: ben.id, display_name: 'Ben Learner', organ_system: 'renal', answered: 1, correct: 1, accuracy: 1 },
  ]);
});

test('item statistics are for the cohort instructor only: a student, a member and another instructor get 403', async () => {
  const { cohort, students } = await cohortWithStudents(1);
  const other = await createUser({ role: 'instructor' });
  const outsider = await createUser();
  await joinCohort(outsider, cohort.join_code);
  for (const caller of [students[0] as TestUser, other, outsider]) {
    for (const fn of ['get_item_statistics', 'get_student_system_accuracy'] as const) {
      const r = await caller.db.rpc(fn, { p_cohort_id: cohort.id });
      expect([fn, r.status, r.error?.code, r.error?.message]).toEqual([fn, 403, '42501', 'Only the instructor of this cohort can do this.']);
    }
  }
  const none = await untypedClient(anonKey, other.accessToken).rpc('get_item_statistics', { p_cohort_id: null });
  expect([none.status, none.error?.code]).toEqual([400, '22023']);
});
