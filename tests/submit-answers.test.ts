/**
 * submit_answers(): server grading, idempotency, batch semantics, concurrency, and rollups that count
 * each answer exactly once. Runs on PGlite and, in CI, on Postgres (where concurrency is real).
 */
import { expect, test } from 'vitest';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CHOICES } from '../src/lib/taxonomy.ts';
import { anonKey, apiUrl, createUser, untypedClient, type TestUser } from './helpers.ts';
import { answer, createCohort, joinCohort, publishedQuestionIds, startAttempt } from './world.ts';

const outcome = z.object({
  id: z.string().uuid(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  is_correct: z.boolean().optional(),
  correct_choice: z.enum(CHOICES).optional(),
  reason: z.string().optional(),
});
const outcomes = z.array(outcome);

async function keyOf(user: TestUser, questionId: number): Promise<string> {
  const { data } = await user.db.from('questions').select('correct_choice').eq('id', questionId).single().throwOnError();
  return z.object({ correct_choice: z.string() }).parse(data).correct_choice;
}
const wrongFor = (key: string) => (key === 'A' ? 'B' : 'A');

/** Untyped: rows are malformed on purpose in some tests. */
async function submit(user: TestUser, rows: unknown[]) {
  const r = await untypedClient(anonKey, user.accessToken).rpc('submit_answers', { answers: rows });
  return { ...r, outcomes: r.error ? [] : outcomes.parse(r.data) };
}

async function answerCount(user: TestUser, attemptId: string): Promise<number> {
  const { count } = await user.db.from('answers').select('*', { count: 'exact', head: true }).eq('attempt_id', attemptId).throwOnError();
  return count ?? -1;
}

async function rollup(user: TestUser, cohortId: string) {
  const { data } = await user.db
    .from('leaderboard_all_time')
    .select('answered, correct')
    .eq('cohort_id', cohortId)
    .eq('user_id', user.id)
    .maybeSingle()
    .throwOnError();
  return data ?? { answered: 0, correct: 0 };
}

async function studentInCohort() {
  const instructor = await createUser({ role: 'instructor' });
  const cohort = await createCohort(instructor);
  const student = await createUser();
  await joinCohort(student, cohort.join_code);
  const qids = await publishedQuestionIds(student, 10);
  return { instructor, cohort, student, qids };
}

test('grades on the server and ignores a forged is_correct', async () => {
  const { student, qids, cohort } = await studentInCohort();
  const q = qids[0] ?? 0;
  const key = await keyOf(student, q);
  const attempt = await startAttempt(student, [q]);
  const forged = answer(attempt, q, wrongFor(key), { is_correct: true });
  const r = await submit(student, [forged]);
  expect(r.error).toBeNull();
  expect(r.outcomes).toEqual([{ id: forged.id, status: 'accepted', is_correct: false, correct_choice: key }]);
  const { data } = await student.db.from('answers').select('is_correct, choice').eq('id', forged.id).single();
  expect(data).toEqual({ is_correct: false, choice: wrongFor(key) });
  expect(await rollup(student, cohort.id)).toEqual({ answered: 1, correct: 0 });
});

test('a replayed batch returns the same grades as duplicates and changes nothing', async () => {
  const { student, qids, cohort } = await studentInCohort();
  const attempt = await startAttempt(student, qids.slice(0, 3));
  const keys = await Promise.all(qids.slice(0, 3).map((q) => keyOf(student, q)));
  const batch = qids.slice(0, 3).map((q, i) => answer(attempt, q, i === 0 ? keys[0] : wrongFor(keys[i] ?? 'A')));
  const first = await submit(student, batch);
  expect(first.outcomes.map((o) => o.status)).toEqual(['accepted', 'accepted', 'accepted']);
  const before = await rollup(student, cohort.id);
  expect(before).toEqual({ answered: 3, correct: 1 });

  const replay = await submit(student, batch);
  expect(replay.outcomes.map((o) => o.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
  expect(replay.outcomes.map((o) => o.is_correct)).toEqual(first.outcomes.map((o) => o.is_correct));
  expect(await answerCount(student, attempt)).toBe(3);
  expect(await rollup(student, cohort.id)).toEqual(before);
});

test('the same answer sent 50 times concurrently is stored once and counted once', async () => {
  const { student, qids, cohort } = await studentInCohort();
  const q = qids[0] ?? 0;
  const key = await keyOf(student, q);
  const attempt = await startAttempt(student, [q]);
  const one = answer(attempt, q, key);
  const results = await Promise.all(Array.from({ length: 50 }, () => submit(student, [one])));
  expect(results.every((r) => r.error === null)).toBe(true);
  const statuses = results.map((r) => r.outcomes[0]?.status);
  expect(statuses.filter((s) => s === 'accepted')).toHaveLength(1);
  expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(49);
  expect(await answerCount(student, attempt)).toBe(1);
  expect(await rollup(student, cohort.id)).toEqual({ answered: 1, correct: 1 });
});

test('more than 50 answers in one call is a 400 and writes nothing', async () => {
  const { student, qids } = await studentInCohort();
  const attempt = await startAttempt(student, qids.slice(0, 1));
  const rows = Array.from({ length: 51 }, () => answer(attempt, qids[0] ?? 0));
  const r = await submit(student, rows);
  expect(r.status).toBe(400);
  expect(r.error?.message).toBe('Too many answers in one call: 51 (the limit is 50).');
  expect(await answerCount(student, attempt)).toBe(0);
});

test('a malformed row refuses the whole batch with a clear message and writes nothing', async () => {
  const { student, qids } = await studentInCohort();
  const attempt = await startAttempt(student, qids.slice(0, 2));
  const good = answer(attempt, qids[0] ?? 0);
  const cases: [unknown, string][] = [
    [{ ...answer(attempt, qids[1] ?? 0), choice: 'F' }, 'answers[1].choice must be one of A, B, C, D, E.'],
    [{ ...answer(attempt, qids[1] ?? 0), id: 'not-a-uuid' }, 'answers[1].id must be a UUID.'],
    [{ ...answer(attempt, qids[1] ?? 0), question_id: '7' }, 'answers[1].question_id must be a positive integer.'],
    [{ ...answer(attempt, qids[1] ?? 0), answered_at: 'yesterday' }, 'answers[1].answered_at must be an ISO 8601 timestamp with a time zone.'],
    [{ ...answer(attempt, qids[1] ?? 0), time_spent_ms: -5 }, 'answers[1].time_spent_ms must be an integer between 0 and 86400000.'],
    ['just a string', 'answers[1] must be an object.'],
  ];
  for (const [bad, message] of cases) {
    const r = await submit(student, [good, bad]);
    expect(r.status).toBe(400);
    expect(r.error?.message).toBe(message);
  }
  const notArray = await student.db.rpc('submit_answers', { answers: { id: good.id } });
  expect(notArray.status).toBe(400);
  expect(notArray.error?.message).toBe('answers must be a JSON array of answer objects.');
  const empty = await student.db.rpc('submit_answers', { answers: [] });
  expect(empty.status).toBe(400);
  expect(await answerCount(student, attempt)).toBe(0);
});

test('well-formed rows are judged one by one: valid rows are stored, invalid ones rejected with a reason', async () => {
  const { student, qids } = await studentInCohort();
  const other = await createUser();
  const attempt = await startAttempt(student, qids.slice(0, 2));
  const othersAttempt = await startAttempt(other, qids.slice(0, 2));
  const ok = answer(attempt, qids[0] ?? 0);
  const notInAttempt = answer(attempt, qids[5] ?? 0);
  const unknownAttempt = answer(randomUUID(), qids[0] ?? 0);
  const someoneElses = answer(othersAttempt, qids[0] ?? 0);
  const secondTry = answer(attempt, qids[0] ?? 0, 'E');
  const r = await submit(student, [ok, notInAttempt, unknownAttempt, someoneElses, secondTry]);
  expect(r.error).toBeNull();
  expect(r.outcomes.map((o) => [o.status, o.reason])).toEqual([
    ['accepted', undefined],
    ['rejected', 'question_not_in_attempt'],
    ['rejected', 'attempt_not_found'],
    ['rejected', 'attempt_not_found'],
    ['rejected', 'already_answered'],
  ]);
  expect(await answerCount(student, attempt)).toBe(1);
});

test("reusing another student's answer id is rejected and leaves their answer untouched", async () => {
  const { student, qids } = await studentInCohort();
  const thief = await createUser();
  const attempt = await startAttempt(student, qids.slice(0, 1));
  const original = answer(attempt, qids[0] ?? 0, 'C');
  await submit(student, [original]);
  const thiefAttempt = await startAttempt(thief, qids.slice(0, 1));
  const r = await submit(thief, [{ ...original, attempt_id: thiefAttempt, choice: 'D' }]);
  expect(r.outcomes).toEqual([{ id: original.id, status: 'rejected', reason: 'id_conflict' }]);
  const { data } = await student.db.from('answers').select('choice, user_id').eq('id', original.id).single();
  expect(data).toEqual({ choice: 'C', user_id: student.id });
});

test('rollups equal a recomputation from the answers table', async () => {
  const { student, qids, cohort, instructor } = await studentInCohort();
  const attempt = await startAttempt(student, qids.slice(0, 8));
  const rows = qids.slice(0, 8).map((q, i) => answer(attempt, q, CHOICES[i % CHOICES.length]));
  await submit(student, rows.slice(0, 5));
  await submit(student, rows); // 5 duplicates + 3 new
  const { data } = await instructor.db.from('answers').select('is_correct').eq('user_id', student.id).throwOnError();
  const all = z.array(z.object({ is_correct: z.boolean() })).parse(data);
  expect(all).toHaveLength(8);
  const expected = { answered: all.length, correct: all.filter((a) => a.is_correct).length };
  expect(await rollup(student, cohort.id)).toEqual(expected);
  const { data: weekly } = await student.db
    .from('leaderboard_weekly')
    .select('answered, correct')
    .eq('cohort_id', cohort.id)
    .eq('user_id', student.id)
    .throwOnError();
  const sum = z.array(z.object({ answered: z.number(), correct: z.number() })).parse(weekly)
    .reduce((s, r) => ({ answered: s.answered + r.answered, correct: s.correct + r.correct }), { answered: 0, correct: 0 });
  expect(sum).toEqual(expected);
});

test('joining a cohort brings the history; leaving takes it away', async () => {
  const student = await createUser();
  const qids = await publishedQuestionIds(student, 4);
  const attempt = await startAttempt(student, qids);
  const r = await submit(student, qids.map((q) => answer(attempt, q)));
  const correct = r.outcomes.filter((o) => o.is_correct).length;
  const instructor = await createUser({ role: 'instructor' });
  const cohort = await createCohort(instructor);
  await joinCohort(student, cohort.join_code);
  await joinCohort(student, cohort.join_code); // joining twice is harmless
  expect(await rollup(student, cohort.id)).toEqual({ answered: 4, correct });
  await student.db.from('cohort_members').delete().eq('cohort_id', cohort.id).eq('user_id', student.id).throwOnError();
  const { data } = await instructor.db.from('leaderboard_all_time').select('user_id').eq('user_id', student.id);
  expect(data).toEqual([]);
});

test('join_cohort explains a wrong code and normalises spacing and case', async () => {
  const instructor = await createUser({ role: 'instructor' });
  const cohort = await createCohort(instructor);
  const student = await createUser();
  const wrong = await student.db.rpc('join_cohort', { code: 'ZZZZZZZZ' });
  expect(wrong.status).toBe(400);
  expect(wrong.error?.message).toBe('No cohort has the join code ZZZZZZZZ.');
  const silly = await student.db.rpc('join_cohort', { code: '!' });
  expect(silly.status).toBe(400);
  const messy = `${cohort.join_code.slice(0, 4).toLowerCase()} ${cohort.join_code.slice(4)}`;
  const ok = await student.db.rpc('join_cohort', { code: messy });
  expect(ok.error).toBeNull();
  expect(ok.data).toMatchObject({ id: cohort.id });
});

test('the raw HTTP answer of submit_answers is a JSON array in input order', async () => {
  const { student, qids } = await studentInCohort();
  const attempt = await startAttempt(student, qids.slice(0, 2));
  const rows = [answer(attempt, qids[1] ?? 0), answer(attempt, qids[0] ?? 0)];
  const res = await fetch(`${apiUrl()}/rest/v1/rpc/submit_answers`, {
    method: 'POST',
    headers: { apikey: anonKey, Authorization: `Bearer ${student.accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ answers: rows }),
  });
  expect(res.status).toBe(200);
  const body = outcomes.parse(await res.json());
  expect(body.map((o) => o.id)).toEqual(rows.map((r) => r.id));
});

function offlineAttempt(questionIds: number[], overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    mode: 'tutor',
    question_ids: questionIds,
    time_limit_seconds: null,
    filters: { pool: 'all' },
    started_at: new Date(Date.now() - 60_000).toISOString(),
    ...overrides,
  };
}

test('a block started offline syncs with its answers in one call; a replay changes nothing', async () => {
  const { student, qids, cohort } = await studentInCohort();
  const block = offlineAttempt(qids.slice(0, 3));
  const rows = qids.slice(0, 3).map((q) => answer(block.id, q));
  const first = await student.db.rpc('submit_answers', { answers: rows, attempts: [block] });
  expect(first.error).toBeNull();
  expect(outcomes.parse(first.data).map((o) => o.status)).toEqual(['accepted', 'accepted', 'accepted']);
  const again = await student.db.rpc('submit_answers', { answers: rows, attempts: [block] });
  expect(outcomes.parse(again.data).map((o) => o.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
  expect(await answerCount(student, block.id)).toBe(3);
  expect((await rollup(student, cohort.id)).answered).toBe(3);
  const { data } = await student.db.from('attempts').select('user_id, question_ids, completed_at').eq('id', block.id).single();
  expect(data).toEqual({ user_id: student.id, question_ids: qids.slice(0, 3), completed_at: null });
});

test('completing a block through attempts sets completed_at once and the marks', async () => {
  const { student, qids } = await studentInCohort();
  const block = offlineAttempt(qids.slice(0, 2));
  await student.db.rpc('submit_answers', { answers: [answer(block.id, qids[0] ?? 0)], attempts: [block] }).throwOnError();
  const done = new Date(Date.now() + 60_000).toISOString();
  const r = await student.db.rpc('submit_answers', {
    answers: [],
    attempts: [{ ...block, completed_at: done, marked_question_ids: qids.slice(1, 2) }],
  });
  expect(r.error).toBeNull();
  expect(r.data).toEqual([]);
  await student.db.rpc('submit_answers', { answers: [], attempts: [{ ...block, completed_at: new Date(Date.now() + 3_600_000).toISOString() }] }).throwOnError();
  const { data } = await student.db.from('attempts').select('completed_at, marked_question_ids').eq('id', block.id).single();
  expect(z.object({ completed_at: z.string(), marked_question_ids: z.array(z.number()) }).parse(data)).toEqual({
    completed_at: expect.stringMatching(new RegExp(`^${done.slice(0, 19)}`)),
    marked_question_ids: [qids[1]],
  });
});

test("an attempt the server refuses is skipped and its answers are rejected; someone else's attempt is not touched", async () => {
  const { student, qids } = await studentInCohort();
  const other = await createUser();
  const good = offlineAttempt(qids.slice(0, 1));
  const bad = offlineAttempt([qids[0] ?? 0, 999_999_999]);
  const othersBlock = await startAttempt(other, qids.slice(0, 1));
  const r = await student.db.rpc('submit_answers', {
    answers: [answer(good.id, qids[0] ?? 0), answer(bad.id, qids[0] ?? 0)],
    attempts: [good, bad, { ...offlineAttempt(qids.slice(0, 1)), id: othersBlock, completed_at: new Date().toISOString() }],
  });
  expect(r.error).toBeNull();
  expect(outcomes.parse(r.data).map((o) => [o.status, o.reason])).toEqual([
    ['accepted', undefined],
    ['rejected', 'attempt_not_found'],
  ]);
  const { data } = await other.db.from('attempts').select('completed_at').eq('id', othersBlock).single();
  expect(data).toEqual({ completed_at: null });
});

test('a completion stamped before the start (a clock that ran backwards) is clamped, not refused', async () => {
  const { student, qids } = await studentInCohort();
  const block = offlineAttempt(qids.slice(0, 1), { started_at: new Date().toISOString(), completed_at: new Date(Date.now() - 3 * 86_400_000).toISOString() });
  const r = await student.db.rpc('submit_answers', { answers: [answer(block.id, qids[0] ?? 0)], attempts: [block] });
  expect(outcomes.parse(r.data).map((o) => o.status)).toEqual(['accepted']);
  const { data } = await student.db.from('attempts').select('started_at, completed_at').eq('id', block.id).single();
  const row = z.object({ started_at: z.string(), completed_at: z.string() }).parse(data);
  expect(Date.parse(row.completed_at)).toBe(Date.parse(row.started_at));
});

test('a malformed attempt refuses the whole call and writes nothing', async () => {
  const { student, qids } = await studentInCohort();
  const block = offlineAttempt(qids.slice(0, 1), { mode: 'exam' });
  const r = await student.db.rpc('submit_answers', { answers: [answer(block.id, qids[0] ?? 0)], attempts: [block] });
  expect(r.status).toBe(400);
  expect(r.error?.message).toBe('attempts[0].mode must be tutor or timed.');
  const { data } = await student.db.from('attempts').select('id').eq('id', block.id);
  expect(data).toEqual([]);
});
