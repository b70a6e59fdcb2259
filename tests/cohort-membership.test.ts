/**
 * Cohort members are students (docs/decisions/019-question-ownership-and-cohort-members.md): an
 * instructor cannot join any cohort as a member, by code or otherwise; the refusal is a 403 with a
 * message written for the join form, and no membership is written.
 */
import { expect, test } from 'vitest';
import { admin, createUser } from './helpers.ts';
import { createCohort, joinCohort } from './world.ts';

const members = async (cohortId: string) =>
  ((await admin().from('cohort_members').select('user_id').eq('cohort_id', cohortId).throwOnError()).data ?? []).map((m) => m.user_id);

test("an instructor cannot join a colleague's cohort by its code (403 instructor_cannot_join, nothing written)", async () => {
  const [owner, colleague, student] = await Promise.all([createUser({ role: 'instructor' }), createUser({ role: 'instructor' }), createUser()]);
  const cohort = await createCohort(owner);
  await joinCohort(student, cohort.join_code);

  const r = await colleague.db.rpc('join_cohort', { code: cohort.join_code });
  expect([r.status, r.error?.code, r.error?.message, r.error?.hint]).toEqual([
    403,
    'instructor_cannot_join',
    'Instructors cannot join cohorts: cohort members are students.',
    'To teach a class, create a cohort of your own on the Instructor page.',
  ]);
  expect(await members(cohort.id)).toEqual([student.id]);
  // Nor can the colleague then read the cohort or its leaderboard as a member would.
  expect((await colleague.db.from('cohorts').select('id').eq('id', cohort.id)).data).toEqual([]);
});

test('the rule is on the table: the service role cannot add an instructor as a member either', async () => {
  const [owner, colleague] = await Promise.all([createUser({ role: 'instructor' }), createUser({ role: 'instructor' })]);
  const cohort = await createCohort(owner);
  const r = await admin().from('cohort_members').insert({ cohort_id: cohort.id, user_id: colleague.id });
  expect([r.status, r.error?.code]).toEqual([403, 'instructor_cannot_join']);
  expect(await members(cohort.id)).toEqual([]);
});
