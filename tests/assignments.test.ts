/**
 * Assignments on the server (#18): an instructor sets a cohort work; students take it as ordinary blocks
 * through submit_answers (kind 'assignment', one block per section, a sitting id); the server checks a
 * block against its assignment, judges lateness (private.assignment_on_time), which sittings count and
 * the score. Nobody outside the cohort reads or changes an assignment or its results.
 */
import { expect, test } from 'vitest';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { admin, anonKey, client, createUser, untypedClient, type TestUser } from './helpers.ts';
import { answer, createCohort, joinCohort, publishedQuestionIds } from './world.ts';

const HOUR = 3_600_000;
const iso = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();

async function keysOf(user: TestUser, ids: number[]): Promise<Map<number, string>> {
  const { data } = await user.db.from('questions').select('id, correct_choice').in('id', ids).throwOnError();
  return new Map(z.array(z.object({ id: z.number(), correct_choice: z.string() })).parse(data).map((r) => [r.id, r.correct_choice]));
}

async function classroom() {
  const instructor = await createUser({ role: 'instructor', displayName: 'Dr Set' });
  const cohort = await createCohort(instructor);
  const [s1, s2] = await Promise.all([createUser({ displayName: 'Ann Early' }), createUser({ displayName: 'Ben Late' })]);
  await joinCohort(s1, cohort.join_code);
  await joinCohort(s2, cohort.join_code);
  const outsider = await createUser({ displayName: 'Other Cohort' });
  const otherInstructor = await createUser({ role: 'instructor' });
  await joinCohort(outsider, (await createCohort(otherInstructor)).join_code);
  const qids = await publishedQuestionIds(instructor, 12);
  return { instructor, cohort, s1, s2, outsider, otherInstructor, qids, keys: await keysOf(instructor, qids) };
}

type Fields = Record<string, unknown>;
async function createAssignment(instructor: TestUser, cohortId: string, fields: Fields) {
  const r = await untypedClient(anonKey, instructor.accessToken)
    .from('assignments')
    .insert({ cohort_id: cohortId, title: 'Week 1: cardio', mode: 'tutor', opens_at: iso(-HOUR), due_at: iso(24 * HOUR), ...fields })
    .select('id, question_ids, mode, section_size, section_seconds, time_limit_seconds')
    .single();
  return r;
}

/** A block of an assignment as the device sends it (submit_answers' attempts[i]). */
function sectionBlock(assignmentId: string, questionIds: number[], opts: { section?: number; sitting?: string; mode?: string; limit?: number | null } = {}) {
  const id = randomUUID();
  return {
    id,
    mode: opts.mode ?? 'tutor',
    kind: 'assignment',
    question_ids: questionIds,
    time_limit_seconds: opts.limit ?? null,
    filters: {},
    started_at: iso(-60_000),
    assignment_id: assignmentId,
    sitting_id: opts.sitting ?? id,
    section: opts.section ?? 0,
  };
}

const submit = (user: TestUser, answers: unknown[], attempts: unknown[]) =>
  untypedClient(anonKey, user.accessToken).rpc('submit_answers', { answers, attempts });

const myAssignment = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['not_started', 'in_progress', 'done', 'late']),
  answered: z.number(),
  correct: z.number(),
  late: z.number(),
  sittings_used: z.number(),
});
async function mine(student: TestUser, id: string) {
  const { data } = await untypedClient(anonKey, student.accessToken).rpc('get_my_assignments').throwOnError();
  return z.array(myAssignment.passthrough()).parse(data).find((a) => a.id === id);
}

const results = z.object({
  total: z.number(),
  students: z.array(z.object({ user_id: z.string(), display_name: z.string(), status: z.string(), answered: z.number(), correct: z.number(), late: z.number(), sittings: z.number() })),
  questions: z.array(z.object({ question_id: z.number(), answered: z.number(), correct: z.number(), a: z.number(), b: z.number(), c: z.number(), d: z.number(), e: z.number() })),
});
async function resultsOf(user: TestUser, id: string) {
  return untypedClient(anonKey, user.accessToken).rpc('get_assignment_results', { p_assignment_id: id });
}

test('an instructor sets an assignment; only the cohort (members and instructor) can read it', async () => {
  const w = await classroom();
  const r = await createAssignment(w.instructor, w.cohort.id, { question_ids: w.qids.slice(0, 3) });
  expect(r.error).toBeNull();
  const id = z.object({ id: z.string() }).parse(r.data).id;

  const seen = async (db: ReturnType<typeof client>) => (await db.from('assignments').select('id').eq('id', id)).data?.length ?? -1;
  expect(await seen(w.instructor.db)).toBe(1);
  expect(await seen(w.s1.db)).toBe(1);
  expect(await seen(w.outsider.db)).toBe(0);
  expect(await seen(w.otherInstructor.db)).toBe(0);
  expect((await client().from('assignments').select('id').eq('id', id)).status).toBe(401);

  expect((await mine(w.s1, id))?.status).toBe('not_started');
  expect(await mine(w.outsider, id)).toBeUndefined();

  // Nobody else can change or remove it; the cohort's instructor can edit the dates, not the questions.
  for (const u of [w.s1, w.outsider, w.otherInstructor]) {
    const upd = await u.db.from('assignments').update({ title: 'Hijacked' }, { count: 'exact' }).eq('id', id);
    expect(upd.error ? upd.status : upd.count).toBe(0);
    const del = await u.db.from('assignments').delete({ count: 'exact' }).eq('id', id);
    expect(del.error ? del.status : del.count).toBe(0);
  }
  const moved = await w.instructor.db.from('assignments').update({ due_at: iso(48 * HOUR) }, { count: 'exact' }).eq('id', id);
  expect(moved.count).toBe(1);
  const widen = await w.instructor.db.from('assignments').update({ question_ids: w.qids } as never).eq('id', id);
  expect(widen.status).toBe(403);
  const guarded = await admin().from('assignments').update({ question_ids: w.qids }).eq('id', id);
  expect(guarded.error?.message).toMatch(/question_ids/);
  const { data } = await w.instructor.db.from('assignments').select('title, question_ids').eq('id', id).single().throwOnError();
  expect(data).toEqual({ title: 'Week 1: cardio', question_ids: w.qids.slice(0, 3) });
});

test('only the instructor of a cohort can set it work; bad assignments are a 400 that writes nothing', async () => {
  const w = await classroom();
  for (const u of [w.s1, w.otherInstructor]) {
    const r = await createAssignment(u, w.cohort.id, { question_ids: w.qids.slice(0, 2) });
    expect(r.status).toBe(403);
  }
  const anon = await untypedClient(anonKey).from('assignments').insert({ cohort_id: w.cohort.id, title: 'x', mode: 'tutor', question_ids: [w.qids[0]], due_at: iso(HOUR) });
  expect(anon.status).toBe(401);

  const bad: Fields[] = [
    { question_ids: [] },
    { question_ids: [w.qids[0], w.qids[0]] },
    { question_ids: [999_999_999] },
    { question_ids: Array.from({ length: 41 }, (_, i) => i + 1) },
    { question_ids: w.qids.slice(0, 2), mode: 'speedrun' },
    { question_ids: w.qids.slice(0, 2), mode: 'timed' },
    { question_ids: w.qids.slice(0, 2), mode: 'exam' },
    { question_ids: w.qids.slice(0, 2), due_at: iso(-2 * HOUR) },
    { question_ids: w.qids.slice(0, 2), title: '   ' },
    { question_ids: w.qids.slice(0, 2), max_attempts: 0 },
    { question_ids: w.qids.slice(0, 9), mode: 'exam', section_size: 1, section_seconds: 600, break_seconds: 0 },
  ];
  for (const fields of bad) {
    const r = await createAssignment(w.instructor, w.cohort.id, fields);
    expect([r.status, fields]).toEqual([400, fields]);
  }
  const { data } = await w.instructor.db.from('assignments').select('id').eq('cohort_id', w.cohort.id).throwOnError();
  expect(data).toEqual([]);
});

test('a student takes a tutor assignment through submit_answers; both sides see the server-graded result', async () => {
  const w = await classroom();
  const qids = w.qids.slice(0, 4);
  const created = await createAssignment(w.instructor, w.cohort.id, { question_ids: qids });
  const id = z.object({ id: z.string() }).parse(created.data).id;

  const b = sectionBlock(id, qids);
  const key = (q: number) => w.keys.get(q)!;
  const wrong = (q: number) => (key(q) === 'A' ? 'B' : 'A');
  // Three right, one wrong (choice chosen so the distractor spread is known).
  const rows = [answer(b.id, qids[0]!, key(qids[0]!)), answer(b.id, qids[1]!, key(qids[1]!)), answer(b.id, qids[2]!, key(qids[2]!)), answer(b.id, qids[3]!, wrong(qids[3]!))];
  const first = await submit(w.s1, rows.slice(0, 2), [b]);
  expect(z.array(z.object({ status: z.string() })).parse(first.data).map((o) => o.status)).toEqual(['accepted', 'accepted']);
  expect((await mine(w.s1, id))?.status).toBe('in_progress');

  const done = await submit(w.s1, rows.slice(2), [{ ...b, completed_at: iso(0) }]);
  expect(done.error).toBeNull();
  expect(await mine(w.s1, id)).toMatchObject({ status: 'done', answered: 4, correct: 3, late: 0, sittings_used: 1 });

  const r = await resultsOf(w.instructor, id);
  expect(r.error).toBeNull();
  const res = results.parse(r.data);
  expect(res.total).toBe(4);
  const byName = new Map(res.students.map((s) => [s.display_name, s]));
  expect(byName.get('Ann Early')).toMatchObject({ status: 'done', answered: 4, correct: 3, late: 0, sittings: 1 });
  expect(byName.get('Ben Late')).toMatchObject({ status: 'not_started', answered: 0, correct: 0, sittings: 0 });
  expect(res.questions.map((q) => q.question_id)).toEqual(qids);
  const last = res.questions[3]!;
  expect(last).toMatchObject({ answered: 1, correct: 0 });
  expect(last[wrong(qids[3]!).toLowerCase() as 'a' | 'b']).toBe(1);

  // Assignment answers are first answers: they count on the cohort's board like practice.
  const { data: board } = await w.instructor.db.from('leaderboard_all_time').select('answered, correct').eq('cohort_id', w.cohort.id).eq('user_id', w.s1.id).single().throwOnError();
  expect(board).toEqual({ answered: 4, correct: 3 });

  // Results are the instructor's: not the students', another instructor's or anon's.
  expect((await resultsOf(w.s1, id)).status).toBe(403);
  expect((await resultsOf(w.otherInstructor, id)).status).toBe(403);
  expect((await untypedClient(anonKey).rpc('get_assignment_results', { p_assignment_id: id })).status).toBe(401);
  expect((await resultsOf(w.instructor, randomUUID())).status).toBe(403);
  // A classmate's result is not readable through the student's own list either.
  expect((await mine(w.s2, id))?.status).toBe('not_started');
});

test('a block that is not exactly a section of an assignment of my cohort is refused, answers and all', async () => {
  const w = await classroom();
  const qids = w.qids.slice(0, 3);
  const id = z.object({ id: z.string() }).parse((await createAssignment(w.instructor, w.cohort.id, { question_ids: qids })).data).id;
  const later = z.object({ id: z.string() }).parse(
    (await createAssignment(w.instructor, w.cohort.id, { question_ids: qids, opens_at: iso(24 * HOUR), due_at: iso(48 * HOUR) })).data,
  ).id;
  const cases: [TestUser, ReturnType<typeof sectionBlock>][] = [
    [w.s1, sectionBlock(id, qids.slice(0, 2))], // not the whole section
    [w.s1, sectionBlock(id, [...qids].reverse())], // not in the set order
    [w.s1, sectionBlock(id, qids, { section: 1 })], // no such section
    [w.s1, sectionBlock(id, qids, { mode: 'timed', limit: 300 })], // not the assignment's mode
    [w.s1, sectionBlock(randomUUID(), qids)], // no such assignment
    [w.outsider, sectionBlock(id, qids)], // not my cohort
    [w.s1, sectionBlock(later, qids)], // not open yet
  ];
  for (const [who, b] of cases) {
    const r = await submit(who, [answer(b.id, b.question_ids[0]!)], [b]);
    expect(z.array(z.object({ status: z.string(), reason: z.string() })).parse(r.data)).toEqual([
      expect.objectContaining({ status: 'rejected', reason: 'attempt_not_found' }),
    ]);
  }
  // Shape errors are a 400 that writes nothing.
  for (const bad of [{ section: 7 }, { section: '0' }, { assignment_id: 'nope' }, { sitting_id: 12 }, { kind: 'homework' }]) {
    const b = { ...sectionBlock(id, qids), ...bad };
    const r = await submit(w.s1, [answer(b.id, qids[0]!)], [b]);
    expect([r.status, bad]).toEqual([400, bad]);
  }
  expect((await mine(w.s1, id))?.status).toBe('not_started');
});

test('exam mode: one timed block per section in one sitting; done when every section has ended; a section cannot be started twice', async () => {
  const w = await classroom();
  const qids = w.qids.slice(0, 5);
  const created = await createAssignment(w.instructor, w.cohort.id, {
    question_ids: qids, mode: 'exam', section_size: 3, section_seconds: 180, break_seconds: 600,
  });
  expect(created.error).toBeNull();
  const id = z.object({ id: z.string() }).parse(created.data).id;
  const sitting = randomUUID();
  const s0 = sectionBlock(id, qids.slice(0, 3), { section: 0, sitting, mode: 'timed', limit: 180 });
  const s1 = sectionBlock(id, qids.slice(3), { section: 1, sitting, mode: 'timed', limit: 180 });

  const wrongLimit = sectionBlock(id, qids.slice(0, 3), { section: 0, sitting: randomUUID(), mode: 'timed', limit: 60 });
  const refused = await submit(w.s1, [answer(wrongLimit.id, qids[0]!)], [wrongLimit]);
  expect(z.array(z.object({ reason: z.string() })).parse(refused.data)[0]?.reason).toBe('attempt_not_found');

  await submit(w.s1, qids.slice(0, 3).map((q) => answer(s0.id, q, w.keys.get(q))), [{ ...s0, completed_at: iso(0) }]).then((r) => expect(r.error).toBeNull());
  expect((await mine(w.s1, id))?.status).toBe('in_progress');

  // The same section again in the same sitting (a confused or forged client) is refused, not a 5xx.
  const again = sectionBlock(id, qids.slice(0, 3), { section: 0, sitting, mode: 'timed', limit: 180 });
  const dup = await submit(w.s1, [answer(again.id, qids[0]!)], [again]);
  expect(z.array(z.object({ reason: z.string() })).parse(dup.data)[0]?.reason).toBe('attempt_not_found');

  await submit(w.s1, [answer(s1.id, qids[3]!, w.keys.get(qids[3]!))], [{ ...s1, completed_at: iso(0) }]).then((r) => expect(r.error).toBeNull());
  // One question unanswered in section 2: done, 4 of 5.
  expect(await mine(w.s1, id)).toMatchObject({ status: 'done', answered: 4, correct: 4, sittings_used: 1 });
  const res = results.parse((await resultsOf(w.instructor, id)).data);
  expect(res.students.find((s) => s.user_id === w.s1.id)).toMatchObject({ status: 'done', correct: 4, sittings: 1 });
});

test('on time: answered before the due date by the device clock and synced within 24 hours of it; anything else is late but kept', async () => {
  const w = await classroom();
  const qids = w.qids.slice(0, 4);
  // Due an hour ago: an answer recorded offline before then, synced now, is on time.
  const recent = z.object({ id: z.string() }).parse(
    (await createAssignment(w.instructor, w.cohort.id, { question_ids: qids, opens_at: iso(-5 * HOUR), due_at: iso(-HOUR) })).data,
  ).id;
  const b = sectionBlock(recent, qids);
  await submit(w.s1, [
    answer(b.id, qids[0]!, 'A', { answered_at: iso(-2 * HOUR) }), // before due: on time
    answer(b.id, qids[1]!, 'A', { answered_at: iso(-30 * 60_000) }), // after due: late
    answer(b.id, qids[2]!, 'A', { answered_at: iso(HOUR) }), // a clock ahead: judged by arrival, late
  ], [{ ...b, completed_at: iso(0) }]).then((r) => expect(r.error).toBeNull());
  expect(await mine(w.s1, recent)).toMatchObject({ status: 'late', answered: 3, late: 2 });

  // Due two days ago: even an answer whose clock says it was given before then arrives too late to count.
  const old = z.object({ id: z.string() }).parse(
    (await createAssignment(w.instructor, w.cohort.id, { question_ids: qids, opens_at: iso(-72 * HOUR), due_at: iso(-48 * HOUR) })).data,
  ).id;
  const o = sectionBlock(old, qids);
  await submit(w.s2, [answer(o.id, qids[0]!, 'A', { answered_at: iso(-50 * HOUR) })], [{ ...o, completed_at: iso(0) }]);
  expect(await mine(w.s2, old)).toMatchObject({ status: 'late', answered: 1, late: 1 });

  // Every answer was stored, whatever its judgement.
  const { count } = await w.instructor.db.from('answers').select('id', { count: 'exact', head: true }).in('attempt_id', [b.id, o.id]);
  expect(count).toBe(4);
});

test('only the first max_attempts sittings count, and the best of them is the result; extra sittings are kept', async () => {
  const w = await classroom();
  const qids = w.qids.slice(0, 2);
  const id = z.object({ id: z.string() }).parse((await createAssignment(w.instructor, w.cohort.id, { question_ids: qids, max_attempts: 2 })).data).id;
  const key = (q: number) => w.keys.get(q)!;
  const wrong = (q: number) => (key(q) === 'A' ? 'B' : 'A');
  const go = async (choices: string[], minutesAgo: number) => {
    const b = { ...sectionBlock(id, qids), started_at: iso(-minutesAgo * 60_000) };
    const r = await submit(w.s1, qids.map((q, i) => answer(b.id, q, choices[i])), [{ ...b, completed_at: iso(0) }]);
    expect(r.error).toBeNull();
  };
  await go([wrong(qids[0]!), wrong(qids[1]!)], 30); // sitting 1: 0 of 2
  await go([key(qids[0]!), wrong(qids[1]!)], 20); // sitting 2: 1 of 2 — the best that counts
  await go([key(qids[0]!), key(qids[1]!)], 10); // sitting 3: over the limit, not counted
  expect(await mine(w.s1, id)).toMatchObject({ status: 'done', correct: 1, sittings_used: 3 });
  const res = results.parse((await resultsOf(w.instructor, id)).data);
  expect(res.students.find((s) => s.user_id === w.s1.id)).toMatchObject({ correct: 1, sittings: 3 });
  expect(res.questions.map((q) => q.answered)).toEqual([1, 1]);
});

test('deleting an assignment keeps every answer given to it', async () => {
  const w = await classroom();
  const qids = w.qids.slice(0, 2);
  const id = z.object({ id: z.string() }).parse((await createAssignment(w.instructor, w.cohort.id, { question_ids: qids })).data).id;
  const b = sectionBlock(id, qids);
  await submit(w.s1, qids.map((q) => answer(b.id, q)), [b]).then((r) => expect(r.error).toBeNull());
  const del = await w.instructor.db.from('assignments').delete({ count: 'exact' }).eq('id', id);
  expect(del.count).toBe(1);
  const { data } = await w.s1.db.from('attempts').select('kind, assignment_id, sitting_id').eq('id', b.id).single().throwOnError();
  expect(data).toEqual({ kind: 'assignment', assignment_id: null, sitting_id: b.id });
  const { count } = await w.s1.db.from('answers').select('id', { count: 'exact', head: true }).eq('attempt_id', b.id);
  expect(count).toBe(2);
});

test('setting work is rate-limited per instructor: a burst is refused with 429 and writes nothing more', async () => {
  const w = await classroom();
  const results = await Promise.all(
    Array.from({ length: 25 }, (_, i) => createAssignment(w.instructor, w.cohort.id, { question_ids: w.qids.slice(0, 1), title: `Burst ${i}` })),
  );
  expect(results.filter((r) => r.status === 201).length).toBe(20);
  expect(results.filter((r) => r.status === 429).length).toBe(5);
  const { count } = await w.instructor.db.from('assignments').select('id', { count: 'exact', head: true }).eq('cohort_id', w.cohort.id);
  expect(count).toBe(20);
});
