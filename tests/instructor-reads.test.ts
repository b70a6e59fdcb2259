/**
 * Who gets what from the instructor's reads over their students' answers (get_item_statistics,
 * get_student_system_accuracy, export_cohort_results, get_cohort_roster), which are computed without RLS
 * once the caller is known to teach the cohort (supabase/migrations/20261206170000_instructor_reads.sql):
 * everyone else is refused, an instructor of another cohort sees none of this cohort's students, and the
 * questions reported are still only those the caller may read.
 */
import { expect, test } from 'vitest';
import { z } from 'zod';
import { admin, anonKey, createUser, untypedClient, type TestUser } from './helpers.ts';
import { createCohort, joinCohort } from './world.ts';
import { cohortWithStudents, importQuestions, seedAnswers } from './instructor-world.ts';

const READS = ['get_item_statistics', 'get_student_system_accuracy', 'export_cohort_results', 'get_cohort_roster'] as const;
const userIds = z.array(z.object({ user_id: z.string() }).passthrough());
const questionIds = z.array(z.object({ question_id: z.number() }).passthrough());

test('a student, a member, a signed-in outsider and the instructor of another cohort get 403 from every read; a missing cohort id 400', async () => {
  const { instructor, cohort, students } = await cohortWithStudents(1);
  const [q] = await importQuestions(instructor, [{ key: 'A', system: 'renal' }]);
  await seedAnswers([{ user_id: (students[0] as TestUser).id, question_id: q ?? 0, choice: 'A' }]);
  const otherInstructor = await createUser({ role: 'instructor' });
  await createCohort(otherInstructor);
  const outsider = await createUser();
  for (const caller of [students[0] as TestUser, outsider, otherInstructor]) {
    for (const fn of READS) {
      const r = await caller.db.rpc(fn, { p_cohort_id: cohort.id });
      expect([fn, r.status, r.error?.code, r.error?.message, r.data]).toEqual([fn, 403, '42501', 'Only the instructor of this cohort can do this.', null]);
    }
  }
  for (const fn of READS) {
    const r = await untypedClient(anonKey, instructor.accessToken).rpc(fn, { p_cohort_id: null });
    expect([fn, r.status, r.error?.code]).toEqual([fn, 400, '22023']);
  }
});

test("an instructor of another cohort reads only their own students, none of this cohort's", async () => {
  const mine = await cohortWithStudents(2);
  const theirs = await cohortWithStudents(1);
  const [q] = await importQuestions(mine.instructor, [{ key: 'A', system: 'renal' }]);
  await seedAnswers([...mine.students, ...theirs.students].map((s) => ({ user_id: s.id, question_id: q ?? 0, choice: 'A' as const })));
  const own = (theirs.students[0] as TestUser).id;
  for (const fn of ['get_student_system_accuracy', 'export_cohort_results', 'get_cohort_roster'] as const) {
    const { data } = await theirs.instructor.db.rpc(fn, { p_cohort_id: theirs.cohort.id }).throwOnError();
    expect([fn, userIds.parse(data).map((r) => r.user_id)]).toEqual([fn, [own]]);
  }
  const { data } = await theirs.instructor.db.rpc('get_item_statistics', { p_cohort_id: theirs.cohort.id }).throwOnError();
  // One first answer: their student's, not the three of both cohorts.
  expect(z.array(z.object({ question_id: z.number(), n: z.number() }).passthrough()).parse(data).map((r) => [r.question_id, r.n])).toEqual([[q, 1]]);
});

test('a question unpublished by another author leaves the reports as the questions policy hides it; the caller’s own draft stays', async () => {
  const { instructor, cohort, students } = await cohortWithStudents(2);
  const author = await createUser({ role: 'instructor' });
  const [theirs] = await importQuestions(author, [{ key: 'A', system: 'endocrine' }]);
  const [own] = await importQuestions(instructor, [{ key: 'A', system: 'renal' }]);
  await seedAnswers(students.flatMap((s) => [
    { user_id: s.id, question_id: theirs ?? 0, choice: 'A' as const },
    { user_id: s.id, question_id: own ?? 0, choice: 'B' as const },
  ]));
  await admin().from('questions').update({ published: false }).in('id', [theirs ?? 0, own ?? 0]).throwOnError();

  const items = await instructor.db.rpc('get_item_statistics', { p_cohort_id: cohort.id }).throwOnError();
  expect(questionIds.parse(items.data).map((r) => r.question_id)).toEqual([own]);
  const systems = await instructor.db.rpc('get_student_system_accuracy', { p_cohort_id: cohort.id }).throwOnError();
  expect(z.array(z.object({ organ_system: z.string(), answered: z.number() }).passthrough()).parse(systems.data).map((r) => [r.organ_system, r.answered]))
    .toEqual([['renal', 1], ['renal', 1]]);
  const exported = await instructor.db.rpc('export_cohort_results', { p_cohort_id: cohort.id }).throwOnError();
  expect(z.array(z.object({ answered: z.number(), correct: z.number(), by_system: z.record(z.string(), z.unknown()) }).passthrough())
    .parse(exported.data).map((r) => [r.answered, r.correct, Object.keys(r.by_system)])).toEqual([[1, 0, ['renal']], [1, 0, ['renal']]]);
  // The roster counts answers from the leaderboard rollup, as before: both questions.
  const roster = await instructor.db.rpc('get_cohort_roster', { p_cohort_id: cohort.id }).throwOnError();
  expect(z.array(z.object({ answered: z.number() }).passthrough()).parse(roster.data).map((r) => r.answered)).toEqual([2, 2]);
});

test('a student in two cohorts is read by both instructors, each through their own cohort only', async () => {
  const a = await cohortWithStudents(1);
  const b = await cohortWithStudents(0);
  const shared = a.students[0] as TestUser;
  await joinCohort(shared, b.cohort.join_code);
  const [q] = await importQuestions(a.instructor, [{ key: 'A', system: 'renal' }]);
  await seedAnswers([{ user_id: shared.id, question_id: q ?? 0, choice: 'A' }]);
  for (const { instructor, cohort } of [a, b]) {
    const { data } = await instructor.db.rpc('export_cohort_results', { p_cohort_id: cohort.id }).throwOnError();
    expect(z.array(z.object({ user_id: z.string(), answered: z.number() }).passthrough()).parse(data).map((r) => [r.user_id, r.answered]))
      .toEqual([[shared.id, 1]]);
    const other = cohort === a.cohort ? b.cohort : a.cohort;
    const r = await instructor.db.rpc('export_cohort_results', { p_cohort_id: other.id });
    expect([r.status, r.error?.code]).toEqual([403, '42501']);
  }
});
