/**
 * Spaced review on the server (#17): an answer's confidence and a block's kind go through submit_answers
 * like every other field (validated, stored, immutable); review answers never move rank but count in the
 * student's own stats, apart; the desired retention is the student's own setting, within its range.
 * Cards themselves are derived on the device (src/features/quiz/model/cards/).
 */
import { expect, test } from 'vitest';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { admin, anonKey, createUser, untypedClient, type TestUser } from './helpers.ts';
import { answer, createCohort, joinCohort, publishedQuestionIds } from './world.ts';

function block(questionIds: number[], kind?: unknown) {
  return {
    id: randomUUID(),
    mode: 'tutor',
    ...(kind === undefined ? {} : { kind }),
    question_ids: questionIds,
    time_limit_seconds: null,
    filters: {},
    started_at: new Date(Date.now() - 60_000).toISOString(),
  };
}

async function keyOf(user: TestUser, questionId: number): Promise<string> {
  const { data } = await user.db.from('questions').select('correct_choice').eq('id', questionId).single().throwOnError();
  return z.object({ correct_choice: z.string() }).parse(data).correct_choice;
}

async function studentInCohort() {
  const instructor = await createUser({ role: 'instructor' });
  const cohort = await createCohort(instructor);
  const student = await createUser();
  await joinCohort(student, cohort.join_code);
  return { instructor, cohort, student, qids: await publishedQuestionIds(student, 6) };
}

const submit = (user: TestUser, answers: unknown[], attempts: unknown[]) =>
  untypedClient(anonKey, user.accessToken).rpc('submit_answers', { answers, attempts });

test('confidence is stored with the answer; absent or null means not given; anything else is a 400 that writes nothing', async () => {
  const { student, qids } = await studentInCohort();
  const b = block(qids.slice(0, 4));
  const rows = [
    { ...answer(b.id, qids[0]!), confidence: 'sure' },
    { ...answer(b.id, qids[1]!), confidence: 'guessed' },
    { ...answer(b.id, qids[2]!), confidence: null },
    answer(b.id, qids[3]!),
  ];
  for (const bad of ['certain', 3, ['sure'], { c: 'sure' }, true]) {
    const r = await submit(student, [...rows.slice(0, 3), { ...rows[3], confidence: bad }], [b]);
    expect(r.status).toBe(400);
    expect(r.error?.message).toBe('answers[3].confidence must be sure, unsure, guessed or null.');
  }
  const none = await student.db.from('attempts').select('id').eq('id', b.id);
  expect(none.data).toEqual([]);

  const ok = await submit(student, rows, [b]);
  expect(ok.error).toBeNull();
  const { data } = await student.db.from('answers').select('question_id, confidence').eq('attempt_id', b.id).order('question_id').throwOnError();
  const byQuestion = new Map((data ?? []).map((r) => [r.question_id, r.confidence]));
  expect(qids.slice(0, 4).map((q) => byQuestion.get(q))).toEqual(['sure', 'guessed', null, null]);
});

test('a stored confidence or block kind cannot be changed, by the student or the service role', async () => {
  const { student, qids } = await studentInCohort();
  const b = block(qids.slice(0, 1), 'review');
  await submit(student, [{ ...answer(b.id, qids[0]!), confidence: 'unsure' }], [b]);
  // Students have no UPDATE on answers at all, and none on attempts.kind.
  const a = await student.db.from('answers').update({ confidence: 'sure' }).eq('attempt_id', b.id).select();
  expect(a.error?.code).toBe('42501');
  const k = await student.db.from('attempts').update({ kind: 'practice' } as never).eq('id', b.id).select();
  expect(k.error?.code).toBe('42501');
  const guardedAnswer = await admin().from('answers').update({ confidence: 'sure' }).eq('attempt_id', b.id);
  expect(guardedAnswer.error?.message).toMatch(/confidence/);
  const guardedKind = await admin().from('attempts').update({ kind: 'practice' }).eq('id', b.id);
  expect(guardedKind.error?.message).toMatch(/kind/);
  const { data } = await student.db.from('answers').select('confidence').eq('attempt_id', b.id).single().throwOnError();
  expect(data.confidence).toBe('unsure');
});

test('a block kind is practice unless said; review, assignment and live (tests/assignments.test.ts, tests/live-sessions.test.ts) are the others; anything else is a 400', async () => {
  const { student, qids } = await studentInCohort();
  const plain = block(qids.slice(0, 1));
  const review = block(qids.slice(1, 2), 'review');
  await submit(student, [answer(plain.id, qids[0]!), answer(review.id, qids[1]!)], [plain, review]);
  const { data } = await student.db.from('attempts').select('id, kind').in('id', [plain.id, review.id]).throwOnError();
  expect(new Map((data ?? []).map((r) => [r.id, r.kind]))).toEqual(new Map([[plain.id, 'practice'], [review.id, 'review']]));
  for (const bad of ['exam', 1, null]) {
    const b = block(qids.slice(2, 3), bad);
    const r = await submit(student, [answer(b.id, qids[2]!)], [b]);
    expect(r.status).toBe(400);
    expect(r.error?.message).toBe('attempts[0].kind must be practice, review, assignment or live.');
  }
  // Created directly (PostgREST insert), a review block is the student's own too.
  const direct = block(qids.slice(3, 4));
  await student.db.from('attempts').insert({ ...direct, kind: 'review', user_id: student.id }).throwOnError();
  const stored = await student.db.from('attempts').select('kind').eq('id', direct.id).single().throwOnError();
  expect(stored.data.kind).toBe('review');
});

test('review answers never move rank, but count in the student\'s own stats, apart from first-pass answers', async () => {
  const { student, cohort, qids } = await studentInCohort();
  const keys = await Promise.all(qids.slice(0, 3).map((q) => keyOf(student, q)));
  const wrong = (k: string) => (k === 'A' ? 'B' : 'A');
  // First pass: q0 wrong, q1 right.
  const practice = block(qids.slice(0, 2));
  await submit(student, [{ ...answer(practice.id, qids[0]!), choice: wrong(keys[0]!) }, { ...answer(practice.id, qids[1]!), choice: keys[1] }], [practice]);
  const rollup = async () =>
    (await student.db.from('leaderboard_all_time').select('answered, correct').eq('cohort_id', cohort.id).eq('user_id', student.id).single().throwOnError()).data;
  expect(await rollup()).toEqual({ answered: 2, correct: 1 });
  // Review: q0 now right.
  const review = block(qids.slice(0, 1), 'review');
  await submit(student, [{ ...answer(review.id, qids[0]!), choice: keys[0] }], [review]);
  expect(await rollup()).toEqual({ answered: 2, correct: 1 });
  // A review block of a question never answered before does not claim its first answer either:
  // the practice answer that comes later does.
  const forged = block(qids.slice(2, 3), 'review');
  await submit(student, [answer(forged.id, qids[2]!)], [forged]);
  expect((await rollup())?.answered).toBe(2);
  const later = block(qids.slice(2, 3));
  await submit(student, [answer(later.id, qids[2]!)], [later]);
  expect((await rollup())?.answered).toBe(3);

  const stats = z
    .object({ answered: z.number(), correct: z.number(), review_answered: z.number(), review_correct: z.number() })
    .strip()
    .parse((await student.db.rpc('get_my_stats').throwOnError()).data);
  // Five answers in all; two of them in review blocks (q0 right, q2 with choice A).
  const q2 = keys[2] === 'A' ? 1 : 0;
  expect(stats).toEqual({ answered: 5, correct: 1 + 1 + 2 * q2, review_answered: 2, review_correct: 1 + q2 });
});

test('desired retention is the student\'s own setting, 0.70 to 0.97, default 0.90', async () => {
  const student = await createUser();
  const other = await createUser();
  const read = async (u: TestUser) => (await u.db.from('profiles').select('desired_retention').eq('id', u.id).single().throwOnError()).data.desired_retention;
  expect(await read(student)).toBe(0.9);
  await student.db.from('profiles').update({ desired_retention: 0.85 }).eq('id', student.id).throwOnError();
  expect(await read(student)).toBe(0.85);
  for (const bad of [0.5, 0.98, 1]) {
    const r = await student.db.from('profiles').update({ desired_retention: bad }).eq('id', student.id);
    expect(r.status).toBe(400);
  }
  expect(await read(student)).toBe(0.85);
  // Another student's setting is out of reach (RLS: no row to update).
  const r = await other.db.from('profiles').update({ desired_retention: 0.7 }).eq('id', student.id).select();
  expect(r.data).toEqual([]);
  expect(await read(student)).toBe(0.85);
});

test("get_my_answer_log is the caller's own answers with their organ system, in received order, a keyset page at a time", async () => {
  const { instructor, student, qids } = await studentInCohort();
  const b = block(qids.slice(0, 3));
  await submit(student, [{ ...answer(b.id, qids[0]!), confidence: 'unsure' }, answer(b.id, qids[1]!), answer(b.id, qids[2]!)], [b]);
  const all = await student.db.rpc('get_my_answer_log').throwOnError();
  const systems = await student.db.from('questions').select('id, organ_system').in('id', qids.slice(0, 3)).throwOnError();
  const systemOf = new Map((systems.data ?? []).map((q) => [q.id, q.organ_system]));
  expect(new Map((all.data ?? []).map((r) => [r.question_id, [r.confidence, r.organ_system]]))).toEqual(
    new Map(qids.slice(0, 3).map((q) => [q, [q === qids[0] ? 'unsure' : null, systemOf.get(q)]])),
  );
  // Pages of 2, then 1, after the last row's (received_at, id): the same rows, none twice.
  const first = (await student.db.rpc('get_my_answer_log', { p_limit: 2 }).throwOnError()).data ?? [];
  const last = first.at(-1);
  const second = (await student.db.rpc('get_my_answer_log', { p_after_received: last?.received_at, p_after_id: last?.id, p_limit: 2 }).throwOnError()).data ?? [];
  expect([...first, ...second].map((r) => r.id)).toEqual((all.data ?? []).map((r) => r.id));
  // The instructor reads this student's answers through the answers policy, but the log is "mine" only.
  const theirs = await instructor.db.from('answers').select('id').eq('user_id', student.id).throwOnError();
  expect(theirs.data).toHaveLength(3);
  expect((await instructor.db.rpc('get_my_answer_log').throwOnError()).data).toEqual([]);
  const anon = await untypedClient(anonKey).rpc('get_my_answer_log');
  expect(anon.error?.code).toBe('42501');
});
