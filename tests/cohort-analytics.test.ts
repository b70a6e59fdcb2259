/**
 * Cohort analytics (issue #18, docs/decisions/022): the trigger-kept rollups always equal a straightforward
 * GROUP BY over the current members' answers (tests/fixtures/040_cohort_analytics.sql) — after batches
 * over several weeks, retakes, review blocks, a late join with history, a leave and a question moved to
 * another topic; the three RPCs read them right (weakest topics need 30 first answers, the at-risk rules
 * incl. members who never answered); and only the cohort's instructor may read any of it.
 */
import { randomUUID } from 'node:crypto';
import { expect, test } from 'vitest';
import { z } from 'zod';
import type { Json } from '../src/lib/database.types.ts';
import { CHOICES } from '../src/lib/taxonomy.ts';
import { anonKey, client, createUser, untypedAdmin, untypedClient, type TestUser } from './helpers.ts';
import { answer, joinCohort } from './world.ts';
import { cohortWithStudents, currentWeekStart, seedAnswers, type SeedAnswer } from './instructor-world.ts';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

/** Imports and publishes questions of the given topics (key A). */
async function importTopics(instructor: TestUser, topics: { system: string; discipline: string }[]): Promise<number[]> {
  const rows = topics.map((t, i) => ({
    stem: `Analytics vignette ${i + 1}: a 30-year-old presents with a finding that tests cohort analytics.`,
    choices: CHOICES.map((k) => `Option ${k}`),
    correct_choice: 'A',
    explanation: 'Fixture explanation: (A), (B), (C), (D) and (E) are discussed.',
    organ_system: t.system,
    discipline: t.discipline,
  }));
  const { data } = await instructor.db.rpc('import_questions', { p_rows: rows, p_publish: true }).throwOnError();
  return z.array(z.number()).parse(data);
}

async function check(cohortId: string) {
  const { data } = await untypedAdmin().rpc('test_cohort_analytics_check', { p_cohort_id: cohortId }).throwOnError();
  return z.object({ rollup: z.unknown(), raw: z.unknown() }).parse(data);
}
async function expectRollupsEqualRaw(cohortId: string) {
  const { rollup, raw } = await check(cohortId);
  expect(rollup).toEqual(raw);
  return raw;
}

const count = z.object({ answered: z.number(), correct: z.number() });
const topicAccuracy = z.object({
  min_answers: z.number(),
  by_system: z.array(count.extend({ organ_system: z.string() })),
  by_discipline: z.array(count.extend({ discipline: z.string() })),
  weakest_topics: z.array(
    count.extend({ organ_system: z.string(), discipline: z.string(), weeks: z.array(count.extend({ week_start: z.string() })) }),
  ),
});
const activity = z.object({
  members: z.number(),
  weeks: z.array(z.object({ week_start: z.string(), students_active: z.number(), answers: z.number() })),
});
const atRisk = z.object({
  total: z.number(),
  inactive: z.number(),
  low_accuracy: z.number(),
  qualified: z.number(),
  accuracy_threshold: z.coerce.number().nullable(),
  students: z.array(
    z.object({
      user_id: z.string(),
      display_name: z.string(),
      answered: z.number(),
      correct: z.number(),
      last_active_at: z.string().nullable(),
      reasons: z.array(z.enum(['inactive', 'never_active', 'low_accuracy'])),
    }),
  ),
});

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

test('the rollups equal the raw GROUP BY after batches, retakes, review blocks, a late join, a leave and a moved question', async () => {
  const { instructor, cohort, students } = await cohortWithStudents(3);
  const [s1, s2, s3] = students as [TestUser, TestUser, TestUser];
  const qids = await importTopics(instructor, [
    { system: 'cardiovascular', discipline: 'physiology' },
    { system: 'cardiovascular', discipline: 'pharmacology' },
    { system: 'renal', discipline: 'physiology' },
    { system: 'renal', discipline: 'pathology' },
    { system: 'nervous', discipline: 'anatomy' },
  ]);
  const q = (i: number) => qids[i] ?? 0;
  await expectRollupsEqualRaw(cohort.id);

  // Answers over four weeks; s1 retakes q0 (right this time, must not count for accuracy) and two
  // answers of s2 arrive a day after they were given (offline).
  const rows: SeedAnswer[] = [
    { user_id: s1.id, question_id: q(0), correct: false, answered_at: ago(22), received_at: ago(22) },
    { user_id: s1.id, question_id: q(1), correct: true, answered_at: ago(15), received_at: ago(15) },
    { user_id: s1.id, question_id: q(0), correct: true, answered_at: ago(8), received_at: ago(8) },
    { user_id: s2.id, question_id: q(0), correct: true, answered_at: ago(9), received_at: ago(8) },
    { user_id: s2.id, question_id: q(2), correct: false, answered_at: ago(9), received_at: ago(8) },
    { user_id: s2.id, question_id: q(3), correct: true, answered_at: ago(1), received_at: ago(1) },
    { user_id: s3.id, question_id: q(4), correct: false },
  ];
  await seedAnswers(rows);
  const raw1 = z.object({ topics: z.array(count.extend({ organ_system: z.string(), discipline: z.string() })) }).parse(
    await expectRollupsEqualRaw(cohort.id),
  );
  // cardiovascular × physiology: s1's first (wrong) and s2's (right); the retake is not counted.
  expect(raw1.topics.find((t) => t.organ_system === 'cardiovascular' && t.discipline === 'physiology')).toMatchObject({ answered: 2, correct: 1 });

  // A review block through the API: activity, not accuracy — even for a question never answered before.
  const review = { id: randomUUID(), mode: 'tutor', kind: 'review', question_ids: [q(3), q(4)] };
  await s1.db.rpc('submit_answers', { answers: [answer(review.id, q(3), 'A'), answer(review.id, q(4), 'A')], attempts: [review] }).throwOnError();
  // A practice block through the API, as the app sends it.
  const practice = { id: randomUUID(), mode: 'tutor', question_ids: [q(2)] };
  await s3.db.rpc('submit_answers', { answers: [answer(practice.id, q(2), 'A')], attempts: [practice] }).throwOnError();
  const raw2 = z
    .object({ topics: z.array(count.extend({ organ_system: z.string(), discipline: z.string() })), activity: z.array(z.unknown()) })
    .parse(await expectRollupsEqualRaw(cohort.id));
  expect(raw2.topics.find((t) => t.organ_system === 'renal' && t.discipline === 'pathology')).toMatchObject({ answered: 1, correct: 1 });

  // A student with a history joins late: the history comes with them; then s2 leaves and takes theirs.
  const late = await createUser({ displayName: 'Late Joiner' });
  await seedAnswers([
    { user_id: late.id, question_id: q(0), correct: true, answered_at: ago(30), received_at: ago(30) },
    { user_id: late.id, question_id: q(1), correct: false, answered_at: ago(2), received_at: ago(2) },
    { user_id: late.id, question_id: q(1), correct: true, answered_at: ago(1), received_at: ago(1) },
  ]);
  await joinCohort(late, cohort.join_code);
  await expectRollupsEqualRaw(cohort.id);
  await instructor.db.from('cohort_members').delete().eq('cohort_id', cohort.id).eq('user_id', s2.id).throwOnError();
  await expectRollupsEqualRaw(cohort.id);
  // s2 answers after leaving: nothing of it reaches the cohort.
  await seedAnswers([{ user_id: s2.id, question_id: q(4), correct: true }]);
  await expectRollupsEqualRaw(cohort.id);

  // The author moves q0 to another topic: its counted answers move with it.
  const { data: version } = await instructor.db.from('questions').select('version').eq('id', q(0)).single().throwOnError();
  await instructor.db
    .rpc('update_question', { p_id: q(0), p_expected_version: version.version, p_changes: { organ_system: 'endocrine', discipline: 'biochemistry' } })
    .throwOnError();
  const raw3 = z.object({ topics: z.array(count.extend({ organ_system: z.string(), discipline: z.string() })) }).parse(
    await expectRollupsEqualRaw(cohort.id),
  );
  expect(raw3.topics.find((t) => t.organ_system === 'endocrine')).toMatchObject({ answered: 2, correct: 1 });
  expect(raw3.topics.find((t) => t.organ_system === 'cardiovascular' && t.discipline === 'physiology')).toBeUndefined();

  // The RPCs read the same figures.
  const { data: acc } = await instructor.db.rpc('get_cohort_topic_accuracy', { p_cohort_id: cohort.id }).throwOnError();
  const topics = topicAccuracy.parse(acc);
  const sum = (xs: { answered: number; correct: number }[]) => xs.reduce((s, x) => ({ answered: s.answered + x.answered, correct: s.correct + x.correct }), { answered: 0, correct: 0 });
  expect(sum(topics.by_system)).toEqual(sum(raw3.topics));
  expect(sum(topics.by_discipline)).toEqual(sum(raw3.topics));
  // No topic has 30 first answers yet.
  expect(topics.weakest_topics).toEqual([]);

  const { data: act } = await instructor.db.rpc('get_cohort_activity', { p_cohort_id: cohort.id }).throwOnError();
  const weeks = activity.parse(act);
  expect(weeks.members).toBe(3);
  expect(weeks.weeks.map((w) => w.week_start)).toEqual(
    Array.from({ length: 8 }, (_, i) => isoDay(new Date(currentWeekStart().getTime() - (7 - i) * 7 * DAY))),
  );
  // This week: s1 (review), s3 (practice + seeded), late (if their answer 1 day ago is this week) …
  // checked against the oracle rather than by hand, week by week.
  const { raw } = await check(cohort.id);
  const rawActivity = z.object({ activity: z.array(z.object({ week_start: z.string(), students_active: z.number(), answers: z.number() })) }).parse(raw).activity;
  for (const w of weeks.weeks) {
    const r = rawActivity.find((x) => x.week_start === w.week_start);
    expect(w).toEqual({ week_start: w.week_start, students_active: r?.students_active ?? 0, answers: r?.answers ?? 0 });
  }
});

test('the weakest topics need 30 first answers and come with 8 weeks of trend', async () => {
  const { instructor, cohort, students } = await cohortWithStudents(1);
  const s = students[0] as TestUser;
  const topics = [
    ...Array.from({ length: 35 }, () => ({ system: 'cardiovascular', discipline: 'physiology' })),
    ...Array.from({ length: 31 }, () => ({ system: 'renal', discipline: 'pathology' })),
    ...Array.from({ length: 5 }, () => ({ system: 'skin', discipline: 'anatomy' })),
  ];
  const qids = await importTopics(instructor, topics);
  // cardiovascular × physiology: 35 answers, 21 right (60 %), 10 of them 2 weeks ago; renal × pathology:
  // 31, 31 right; skin × anatomy: 5, all wrong — below the 30 needed, so never among the weakest.
  await seedAnswers(
    qids.map((question_id, i) => {
      const t = topics[i];
      const when = t?.system === 'cardiovascular' && i < 10 ? ago(14) : ago(0);
      return { user_id: s.id, question_id, correct: t?.system === 'renal' || (t?.system === 'cardiovascular' && i % 5 < 3), answered_at: when, received_at: when };
    }),
  );
  await expectRollupsEqualRaw(cohort.id);
  const { data } = await instructor.db.rpc('get_cohort_topic_accuracy', { p_cohort_id: cohort.id }).throwOnError();
  const r = topicAccuracy.parse(data);
  expect(r.min_answers).toBe(30);
  expect(r.weakest_topics.map((t) => [t.organ_system, t.discipline, t.answered, t.correct])).toEqual([
    ['cardiovascular', 'physiology', 35, 21],
    ['renal', 'pathology', 31, 31],
  ]);
  const trend = r.weakest_topics[0]?.weeks ?? [];
  expect(trend).toHaveLength(8);
  expect(trend.reduce((n, w) => n + w.answered, 0)).toBe(35);
  expect(trend.at(-1)?.answered).toBe(25);
  expect(r.by_system.find((x) => x.organ_system === 'skin')).toEqual({ organ_system: 'skin', answered: 5, correct: 0 });
});

test('students at risk: inactive 7 days, never active since joining a week ago, bottom decile with 50 answers once 10 qualify', async () => {
  const names = [...Array.from({ length: 10 }, (_, i) => `Qualified ${i + 1}`), 'Never Active Old', 'Never Active New', 'Few Answers'];
  const { instructor, cohort, students } = await cohortWithStudents(names.length, { names });
  const qids = await importTopics(instructor, Array.from({ length: 50 }, () => ({ system: 'respiratory', discipline: 'physiology' })));
  const [q1, q2] = students as [TestUser, TestUser];
  const [neverOld, neverNew, few] = students.slice(10) as [TestUser, TestUser, TestUser];
  // Qualified k answers all 50 questions with 25 + k right; Q1 gets only 10 right (the bottom), Q2
  // answered 9 days ago and not since.
  const seedQualified = (from: number, to: number) =>
    seedAnswers(
      students.slice(from, to).flatMap((st, j) => {
        const k = from + j + 1;
        const right = k === 1 ? 10 : 25 + k;
        const when = k === 2 ? ago(9) : ago(0);
        return qids.map((question_id, i) => ({ user_id: st.id, question_id, correct: i < right, answered_at: when, received_at: when }));
      }),
    );
  await seedQualified(0, 9);
  await seedAnswers(qids.slice(0, 20).map((question_id) => ({ user_id: few.id, question_id, correct: false })));
  await untypedAdmin()
    .rpc('test_backdate_membership', { p_cohort_id: cohort.id, p_user_id: neverOld.id, p_joined_at: ago(8) })
    .throwOnError();
  await expectRollupsEqualRaw(cohort.id);

  const read = async () => {
    const { data } = await instructor.db.rpc('get_cohort_students_at_risk', { p_cohort_id: cohort.id }).throwOnError();
    return atRisk.parse(data);
  };
  // Nine qualify: no decile yet, only the quiet ones.
  const before = await read();
  expect(before).toMatchObject({ qualified: 9, low_accuracy: 0, accuracy_threshold: null, total: 2, inactive: 2 });

  await seedQualified(9, 10);
  const after = await read();
  expect(after).toMatchObject({ qualified: 10, total: 3, inactive: 2, low_accuracy: 1, accuracy_threshold: 0.2 });
  // Longest quiet first: Q2 (9 days), then the member who joined 8 days ago, then the low accuracy.
  expect(after.students.map((s) => [s.user_id, s.display_name, s.reasons])).toEqual([
    [q2.id, 'Qualified 2', ['inactive']],
    [neverOld.id, 'Never Active Old', ['never_active']],
    [q1.id, 'Qualified 1', ['low_accuracy']],
  ]);
  expect(after.students[2]).toMatchObject({ answered: 50, correct: 10 });
  expect(after.students.map((s) => s.user_id)).not.toContain(neverNew.id);
  expect(after.students.map((s) => s.user_id)).not.toContain(few.id);

  // Q2 answers 100 new questions today, all wrong (27 of 150 = 18 %): no longer inactive, now the bottom
  // of the decile, and Q1 (20 %) is no longer in it.
  const more = await importTopics(instructor, Array.from({ length: 100 }, () => ({ system: 'respiratory', discipline: 'pathology' })));
  await seedAnswers(more.map((question_id) => ({ user_id: q2.id, question_id, correct: false })));
  const later = await read();
  expect(later.students.map((s) => [s.display_name, s.reasons])).toEqual([
    ['Never Active Old', ['never_active']],
    ['Qualified 2', ['low_accuracy']],
  ]);
  // Paging: one row at a time, same order.
  const { data: page2 } = await instructor.db.rpc('get_cohort_students_at_risk', { p_cohort_id: cohort.id, p_limit: 1, p_offset: 1 }).throwOnError();
  expect(atRisk.parse(page2).students.map((s) => s.display_name)).toEqual(['Qualified 2']);
  await expectRollupsEqualRaw(cohort.id);
});

test('only the cohort\'s instructor reads its analytics: another instructor, a member and anon are refused; bad input is a 400', async () => {
  const { instructor, cohort, students } = await cohortWithStudents(1);
  const member = students[0] as TestUser;
  const other = await createUser({ role: 'instructor', displayName: 'Dr Other' });
  const calls: [string, Record<string, Json>][] = [
    ['get_cohort_topic_accuracy', { p_cohort_id: cohort.id }],
    ['get_cohort_activity', { p_cohort_id: cohort.id }],
    ['get_cohort_students_at_risk', { p_cohort_id: cohort.id }],
  ];
  for (const [fn, args] of calls) {
    const ok = await untypedClient(anonKey, instructor.accessToken).rpc(fn, args);
    expect(ok.error).toBeNull();
    for (const user of [other, member]) {
      const r = await untypedClient(anonKey, user.accessToken).rpc(fn, args);
      expect({ fn, status: r.status, data: r.data }).toEqual({ fn, status: 403, data: null });
      expect(r.error?.message).toBe('Only the instructor of this cohort can do this.');
    }
    const anon = await client().rpc(fn as 'get_cohort_activity', { p_cohort_id: cohort.id });
    expect({ fn, status: anon.status }).toEqual({ fn, status: 401 });
    const missing = await untypedClient(anonKey, instructor.accessToken).rpc(fn, { ...args, p_cohort_id: randomUUID() });
    expect(missing.status).toBe(403);
    const none = await untypedClient(anonKey, instructor.accessToken).rpc(fn, { ...args, p_cohort_id: null });
    expect({ fn, status: none.status, message: none.error?.message }).toEqual({ fn, status: 400, message: 'p_cohort_id is required.' });
    const garbage = await untypedClient(anonKey, instructor.accessToken).rpc(fn, { ...args, p_cohort_id: 'not-a-uuid' });
    expect(garbage.status).toBe(400);
  }
  for (const [p_limit, p_offset, message] of [
    [0, 0, 'p_limit must be between 1 and 200.'],
    [201, 0, 'p_limit must be between 1 and 200.'],
    [10, -1, 'p_offset must be between 0 and 100000.'],
  ] as const) {
    const r = await instructor.db.rpc('get_cohort_students_at_risk', { p_cohort_id: cohort.id, p_limit, p_offset });
    expect({ status: r.status, message: r.error?.message }).toEqual({ status: 400, message });
  }
  // The rollups themselves are not reachable through the API, for anyone.
  for (const table of ['cohort_topic_totals', 'cohort_member_stats', 'cohort_activity_weekly']) {
    const r = await untypedClient(anonKey, instructor.accessToken).from(table).select('*');
    expect(r.data).toBeNull();
    expect(r.status).toBeGreaterThanOrEqual(400);
  }
});
