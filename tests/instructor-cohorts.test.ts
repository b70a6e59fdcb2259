/**
 * Running a cohort: rotating the join code, the roster, removing a student (RLS delete), and the
 * results export.
 */
import { expect, test } from 'vitest';
import { z } from 'zod';
import { admin, createUser, type TestUser } from './helpers.ts';
import { cohortWithStudents, importQuestions, seedAnswers } from './instructor-world.ts';

test('rotate_join_code: the instructor gets a new code, the old one stops working, members stay', async () => {
  const { instructor, cohort, students } = await cohortWithStudents(1);
  const { data } = await instructor.db.rpc('rotate_join_code', { p_cohort_id: cohort.id }).throwOnError();
  const code = z.string().regex(/^[A-HJKMNP-Z2-9]{8}$/).parse(data);
  expect(code).not.toBe(cohort.join_code);

  const late = await createUser();
  const old = await late.db.rpc('join_cohort', { code: cohort.join_code });
  expect([old.status, old.error?.code]).toEqual([400, 'cohort_not_found']);
  await late.db.rpc('join_cohort', { code }).throwOnError();
  const { data: members } = await instructor.db.from('cohort_members').select('user_id').eq('cohort_id', cohort.id).throwOnError();
  expect(new Set((members ?? []).map((m) => m.user_id))).toEqual(new Set([students[0]?.id, late.id]));
});

test('rotate_join_code is refused to students and other instructors (403) and changes nothing', async () => {
  const { cohort, students } = await cohortWithStudents(1);
  const other = await createUser({ role: 'instructor' });
  for (const caller of [students[0] as TestUser, other]) {
    const r = await caller.db.rpc('rotate_join_code', { p_cohort_id: cohort.id });
    expect([r.status, r.error?.code]).toEqual([403, '42501']);
  }
  const { data } = await admin().from('cohorts').select('join_code').eq('id', cohort.id).single().throwOnError();
  expect(data?.join_code).toBe(cohort.join_code);
});

const rosterRow = z.object({
  user_id: z.string(),
  display_name: z.string(),
  email: z.string(),
  joined_at: z.string(),
  answered: z.number(),
  correct: z.number(),
  last_active_at: z.string().nullable(),
});

test('get_cohort_roster: names, emails, join time, answers and last activity for the instructor', async () => {
  const { instructor, cohort, students } = await cohortWithStudents(2, { names: ['Amy Roster', 'Zed Roster'] });
  const [amy, zed] = students as [TestUser, TestUser];
  const [q1, q2, q3] = await importQuestions(instructor, [
    { key: 'A', system: 'renal' }, { key: 'A', system: 'renal' }, { key: 'A', system: 'renal' },
  ]);
  const last = new Date(Date.now() - 60_000).toISOString();
  await seedAnswers([
    { user_id: amy.id, question_id: q1 ?? 0, choice: 'A', answered_at: new Date(Date.now() - 3_600_000).toISOString() },
    { user_id: amy.id, question_id: q2 ?? 0, choice: 'A', answered_at: last },
    { user_id: amy.id, question_id: q3 ?? 0, choice: 'B', answered_at: new Date(Date.now() - 7_200_000).toISOString() },
  ]);
  const { data } = await instructor.db.rpc('get_cohort_roster', { p_cohort_id: cohort.id }).throwOnError();
  const roster = z.array(rosterRow).parse(data);
  expect(roster.map((r) => [r.user_id, r.display_name, r.email, r.answered, r.correct])).toEqual([
    [amy.id, 'Amy Roster', amy.email, 3, 2],
    [zed.id, 'Zed Roster', zed.email, 0, 0],
  ]);
  expect(new Date(roster[0]?.last_active_at ?? '').toISOString()).toBe(last);
  expect(roster[1]?.last_active_at).toBeNull();
  expect(Date.parse(roster[0]?.joined_at ?? '')).toBeLessThanOrEqual(Date.parse(roster[1]?.joined_at ?? ''));
});

test('the instructor removes a student with a plain delete; the student loses access and leaves the board', async () => {
  const { instructor, cohort, students } = await cohortWithStudents(2, { minToRank: 0 });
  const [gone, stays] = students as [TestUser, TestUser];
  const other = await createUser({ role: 'instructor' });
  const { count: refused } = await other.db
    .from('cohort_members').delete({ count: 'exact' }).eq('cohort_id', cohort.id).eq('user_id', gone.id).throwOnError();
  expect(refused).toBe(0);
  const { count } = await instructor.db
    .from('cohort_members').delete({ count: 'exact' }).eq('cohort_id', cohort.id).eq('user_id', gone.id).throwOnError();
  expect(count).toBe(1);

  const { data } = await instructor.db.rpc('get_cohort_roster', { p_cohort_id: cohort.id }).throwOnError();
  expect(z.array(rosterRow).parse(data).map((r) => r.user_id)).toEqual([stays.id]);
  const r = await gone.db.rpc('get_leaderboard', { p_cohort_id: cohort.id });
  expect([r.status, r.error?.code]).toEqual([403, '42501']);
  const { data: rollups } = await admin().from('leaderboard_all_time').select('user_id').eq('cohort_id', cohort.id).eq('user_id', gone.id).throwOnError();
  expect(rollups).toEqual([]);
});

test('export_cohort_results: totals and per-system accuracy per student, for CSV', async () => {
  const { instructor, cohort, students } = await cohortWithStudents(2, { names: ['Eva Export', 'Finn Export'] });
  const [eva, finn] = students as [TestUser, TestUser];
  const [c1, c2, r1] = await importQuestions(instructor, [
    { key: 'A', system: 'cardiovascular' }, { key: 'B', system: 'cardiovascular' }, { key: 'C', system: 'renal' },
  ]);
  // Eva: cardiovascular 1 of 2 (c1 right, c2 wrong), renal 1 of 1 → overall 2 of 3 = 0.6667.
  await seedAnswers([
    { user_id: eva.id, question_id: c1 ?? 0, choice: 'A' },
    { user_id: eva.id, question_id: c2 ?? 0, choice: 'C' },
    { user_id: eva.id, question_id: r1 ?? 0, choice: 'C' },
  ]);
  const { data } = await instructor.db.rpc('export_cohort_results', { p_cohort_id: cohort.id }).throwOnError();
  expect(data).toEqual([
    {
      user_id: eva.id, display_name: 'Eva Export', email: eva.email, joined_at: expect.any(String),
      answered: 3, correct: 2, accuracy: 0.6667,
      by_system: {
        cardiovascular: { answered: 2, correct: 1, accuracy: 0.5 },
        renal: { answered: 1, correct: 1, accuracy: 1 },
      },
    },
    {
      user_id: finn.id, display_name: 'Finn Export', email: finn.email, joined_at: expect.any(String),
      answered: 0, correct: 0, accuracy: null, by_system: {},
    },
  ]);
});
