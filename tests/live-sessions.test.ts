/**
 * Live sessions on the server (#19): an instructor runs a cohort through questions one at a time; students
 * answer in a live block through submit_answers; the server takes an answer only while its question is
 * open by its own clock and refuses a late one (too_late: not stored, not counted). Realtime topics are
 * readable only by the cohort (live-host only by its instructor), and no client can broadcast on them:
 * every question, close, count and board message is sent by the database.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, expect, test } from 'vitest';
import { z } from 'zod';
import type { SupabaseClient } from '@supabase/supabase-js';
import { admin, anonKey, apiUrl, createUser, untypedClient, type TestUser } from './helpers.ts';
import { recorder, subscribe } from './realtime.ts';
import { createCohort, joinCohort, publishedQuestionIds } from './world.ts';
import { createUntypedTestClient } from '../supabase/local/test-client.ts';

const sockets: SupabaseClient[] = [];
afterAll(async () => {
  await Promise.all(sockets.map((c) => c.realtime.disconnect()));
});

async function realtimeOf(user: TestUser): Promise<SupabaseClient> {
  const c = createUntypedTestClient(apiUrl(), { key: anonKey });
  sockets.push(c);
  await c.realtime.setAuth(user.accessToken);
  return c;
}

/** Joins a private topic as `user`; resolves with the recorder once SUBSCRIBED, or the refusal. */
async function listen(user: TestUser, topic: string) {
  const ch = (await realtimeOf(user)).channel(topic, { config: { private: true } });
  const rec = recorder(ch);
  const outcome = await subscribe(ch);
  return { ch, rec, outcome };
}

const rpc = (user: TestUser, fn: string, args: Record<string, unknown> = {}) => untypedClient(anonKey, user.accessToken).rpc(fn, args);

async function keysOf(user: TestUser, ids: number[]): Promise<Map<number, string>> {
  const { data } = await user.db.from('questions').select('id, correct_choice').in('id', ids).throwOnError();
  return new Map(z.array(z.object({ id: z.number(), correct_choice: z.string() })).parse(data).map((r) => [r.id, r.correct_choice]));
}
const wrong = (key: string) => (key === 'A' ? 'B' : 'A');

/** xs[i], which the test knows is there. */
function at<T>(xs: readonly T[], i: number): T {
  const x = xs[i];
  if (x === undefined) throw new Error(`no element ${i}`);
  return x;
}

async function classroom() {
  const instructor = await createUser({ role: 'instructor', displayName: 'Dr Live' });
  const cohort = await createCohort(instructor);
  const [ann, ben, cat] = await Promise.all([1, 2, 3].map((i) => createUser({ displayName: `Student ${i}` })));
  if (!ann || !ben || !cat) throw new Error('students');
  const students = [ann, ben, cat];
  for (const s of students) await joinCohort(s, cohort.join_code);
  const otherInstructor = await createUser({ role: 'instructor' });
  const outsider = await createUser({ displayName: 'Other cohort' });
  await joinCohort(outsider, (await createCohort(otherInstructor)).join_code);
  const qids = await publishedQuestionIds(instructor, 4);
  return { instructor, cohort, ann, ben, cat, students, otherInstructor, outsider, qids, keys: await keysOf(instructor, qids) };
}

async function startSession(instructor: TestUser, cohortId: string, questionIds: number[]) {
  return untypedClient(anonKey, instructor.accessToken)
    .from('live_sessions')
    .insert({ id: randomUUID(), cohort_id: cohortId, title: 'Cardio quickfire', question_ids: questionIds })
    .select('id, status, current_position')
    .single();
}

/** The live block's id, as every device of the student derives it (src/features/live). */
function liveBlockId(sessionId: string, userId: string): string {
  const h = createHash('sha256').update(`live:${sessionId}:${userId}`).digest('hex');
  const variant = ((parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function liveBlock(sessionId: string, student: TestUser, questionIds: number[]) {
  return {
    id: liveBlockId(sessionId, student.id),
    mode: 'tutor',
    kind: 'live',
    question_ids: questionIds,
    time_limit_seconds: null,
    filters: {},
    started_at: new Date().toISOString(),
    live_session_id: sessionId,
  };
}

function liveAnswer(sessionId: string, student: TestUser, questionId: number, choice: string, id = randomUUID()) {
  return {
    id,
    attempt_id: liveBlockId(sessionId, student.id),
    question_id: questionId,
    choice,
    time_spent_ms: 4000,
    answered_at: new Date().toISOString(),
  };
}

const outcome = z.object({ id: z.string(), status: z.string(), reason: z.string().optional(), is_correct: z.boolean().optional() });
async function submit(student: TestUser, answers: unknown[], attempts: unknown[] = []) {
  const { data, error, status } = await rpc(student, 'submit_answers', { answers, attempts });
  if (error) return { status, error, outcomes: [] };
  return { status, error, outcomes: z.array(outcome).parse(data) };
}

const question = z.object({ position: z.number(), question_id: z.number(), choices_at: z.string(), closes_at: z.string(), now: z.string() });
const standings = z.object({
  participants: z.number(),
  top: z.array(z.object({ place: z.number(), name: z.string(), correct: z.number(), answered: z.number(), ms: z.number() })),
  scores: z.array(z.tuple([z.number(), z.number()])),
});
const closed = z.object({
  position: z.number(),
  question_id: z.number(),
  correct_choice: z.string(),
  counts: z.record(z.string(), z.number()),
  answered: z.number(),
  correct: z.number(),
  participants: z.number(),
  standings,
});

test('only the cohort instructor starts and runs a session; bad input is a 400 that writes nothing; one open session per cohort', async () => {
  const w = await classroom();
  for (const u of [w.ann, w.otherInstructor]) expect((await startSession(u, w.cohort.id, w.qids)).status).toBe(403);
  for (const bad of [[], [at(w.qids, 0), at(w.qids, 0)], [999_999_999], Array.from({ length: 41 }, (_, i) => i + 1)]) {
    const r = await startSession(w.instructor, w.cohort.id, bad);
    expect(r.status, JSON.stringify(bad)).toBe(400);
  }
  expect((await admin().from('live_sessions').select('id').eq('cohort_id', w.cohort.id)).data).toEqual([]);

  const s = await startSession(w.instructor, w.cohort.id, w.qids);
  expect(s.error).toBeNull();
  const id = z.object({ id: z.string() }).parse(s.data).id;
  expect(s.data).toMatchObject({ status: 'open', current_position: null });
  const again = await startSession(w.instructor, w.cohort.id, w.qids);
  expect(again.status).toBe(400);
  expect(again.error?.message).toMatch(/already has a live session/);

  // Readable by the cohort only; the state changes only through the instructor's RPCs.
  const seen = async (u: TestUser) => (await u.db.from('live_sessions').select('id').eq('id', id)).data?.length ?? -1;
  expect(await seen(w.ann)).toBe(1);
  expect(await seen(w.outsider)).toBe(0);
  expect(await seen(w.otherInstructor)).toBe(0);
  const forged = await untypedClient(anonKey, w.instructor.accessToken).from('live_sessions').update({ status: 'ended' }).eq('id', id);
  expect(forged.status).toBe(403);
  for (const u of [w.ann, w.otherInstructor, w.outsider]) {
    for (const fn of ['next_live_question', 'close_live_question', 'end_live_session', 'get_live_report']) {
      const r = await rpc(u, fn, { p_session_id: id });
      expect(r.status, `${fn} by another`).toBe(403);
    }
  }
  expect((await rpc(w.outsider, 'get_live_session', { p_session_id: id })).status).toBe(403);
  expect((await rpc(w.instructor, 'next_live_question', { p_session_id: id, p_seconds: 2 })).status).toBe(400);
  expect((await rpc(w.instructor, 'next_live_question', { p_session_id: id, p_choices_after_seconds: 31 })).status).toBe(400);
  expect((await rpc(w.instructor, 'close_live_question', { p_session_id: id })).status).toBe(400);
  const { data: q } = await admin().from('live_questions').select('position').eq('session_id', id);
  expect(q).toEqual([]);
  expect((await rpc(w.ann, 'get_my_live_sessions')).data).toEqual([
    expect.objectContaining({ id, cohort_id: w.cohort.id, title: 'Cardio quickfire' }),
  ]);
  expect((await rpc(w.outsider, 'get_my_live_sessions')).data).toEqual([]);
});

test('a class answers together: in time counted, after the close refused as too late and never stored; the report and standings add up', async () => {
  const w = await classroom();
  const { ann, ben, cat } = w;
  const s = await startSession(w.instructor, w.cohort.id, w.qids.slice(0, 2));
  const id = z.object({ id: z.string() }).parse(s.data).id;
  const qs = [at(w.qids, 0), at(w.qids, 1)];

  const key0 = w.keys.get(at(qs, 0)) ?? 'A';
  // Ann's block reaches the server on joining; answering before the question is shown is refused.
  const early = await submit(ann, [liveAnswer(id, ann, at(qs, 0), key0)], [liveBlock(id, ann, qs)]);
  expect(early.outcomes[0]).toMatchObject({ status: 'rejected', reason: 'not_open' });

  const shown = question.parse((await rpc(w.instructor, 'next_live_question', { p_session_id: id, p_seconds: 60, p_choices_after_seconds: 0 })).data);
  expect(shown).toMatchObject({ position: 0, question_id: at(qs, 0) });

  const a1 = await submit(ann, [liveAnswer(id, ann, at(qs, 0), key0)]);
  expect(a1.outcomes[0]).toMatchObject({ status: 'accepted', is_correct: true });
  // Ben's block and answer come together (his phone joined offline of the server until now).
  const b1 = await submit(ben, [liveAnswer(id, ben, at(qs, 0), wrong(key0))], [liveBlock(id, ben, qs)]);
  expect(b1.outcomes[0]).toMatchObject({ status: 'accepted', is_correct: false });
  // A second answer to the same question (another phone of Ann's, same derived block) changes nothing.
  const a1b = await submit(ann, [liveAnswer(id, ann, at(qs, 0), wrong(key0))], [liveBlock(id, ann, qs)]);
  expect(a1b.outcomes[0]).toMatchObject({ status: 'rejected', reason: 'already_answered' });

  // Snapshots: a student sees no key while the question is open; the instructor sees the live count.
  const open = z.object({ results: z.null(), host: z.unknown(), mine: z.array(z.object({ question_id: z.number(), choice: z.string(), is_correct: z.boolean().nullable() })) });
  const annOpen = open.parse((await rpc(ann, 'get_live_session', { p_session_id: id })).data);
  expect(annOpen.host).toBeNull();
  expect(annOpen.mine).toEqual([{ question_id: at(qs, 0), choice: key0, is_correct: null }]);
  const hostOpen = z.object({ host: z.object({ answered: z.number(), participants: z.number() }) }).parse(
    (await rpc(w.instructor, 'get_live_session', { p_session_id: id })).data,
  );
  expect(hostOpen.host).toMatchObject({ answered: 2, participants: 2 });

  const r0 = closed.parse((await rpc(w.instructor, 'close_live_question', { p_session_id: id })).data);
  expect(r0).toMatchObject({ position: 0, correct_choice: key0, answered: 2, correct: 1, participants: 2 });
  expect(r0.counts[key0]).toBe(1);
  expect(r0.counts[wrong(key0)]).toBe(1);
  // Closing again (a retried click) says the same and changes nothing.
  expect(closed.parse((await rpc(w.instructor, 'close_live_question', { p_session_id: id })).data)).toEqual(r0);

  // Cat's answer was queued on a dropped connection and arrives after the close: too late, not stored.
  const c1 = await submit(cat, [liveAnswer(id, cat, at(qs, 0), key0)], [liveBlock(id, cat, qs)]);
  expect(c1.outcomes[0]).toMatchObject({ status: 'rejected', reason: 'too_late' });
  // Ann's accepted answer, replayed after the close, is still hers (duplicate, not too late).
  const replay = await submit(ann, [{ ...liveAnswer(id, ann, at(qs, 0), key0), id: z.string().parse(a1.outcomes[0]?.id) }]);
  expect(replay.outcomes[0]).toMatchObject({ status: 'duplicate', is_correct: true });

  // Second question: Cat answers in time; the instructor ends the session while it is open.
  question.parse((await rpc(w.instructor, 'next_live_question', { p_session_id: id, p_seconds: 60, p_choices_after_seconds: 0 })).data);
  const key1 = w.keys.get(at(qs, 1)) ?? 'A';
  expect((await submit(cat, [liveAnswer(id, cat, at(qs, 1), key1)])).outcomes[0]).toMatchObject({ status: 'accepted' });
  expect((await submit(ann, [liveAnswer(id, ann, at(qs, 1), key1)])).outcomes[0]).toMatchObject({ status: 'accepted' });
  expect((await rpc(w.instructor, 'next_live_question', { p_session_id: id })).status).toBe(400); // no third question
  const podium = standings.parse((await rpc(w.instructor, 'end_live_session', { p_session_id: id })).data);
  expect(podium.participants).toBe(3);
  expect(podium.top.map((t) => t.correct)).toEqual([2, 1, 0]);
  expect(podium.scores).toEqual([[2, 1], [1, 1], [0, 1]]);
  expect((await submit(ben, [liveAnswer(id, ben, at(qs, 1), key1)])).outcomes[0]).toMatchObject({ status: 'rejected', reason: 'too_late' });
  // A new phone cannot start a block in an ended session.
  const late = await createUser();
  await joinCohort(late, w.cohort.join_code);
  expect((await submit(late, [liveAnswer(id, late, at(qs, 1), key1)], [liveBlock(id, late, qs)])).outcomes[0]).toMatchObject({ reason: 'attempt_not_found' });

  // Stored: exactly the in-time answers; every live block is complete.
  const { data: stored } = await admin().from('answers').select('user_id, question_id, choice').in('attempt_id', [ann, ben, cat].map((u) => liveBlockId(id, u.id)));
  expect(stored).toHaveLength(4);
  const { data: blocks } = await admin().from('attempts').select('completed_at, kind').eq('live_session_id', id);
  expect(blocks?.every((b) => b.completed_at !== null && b.kind === 'live')).toBe(true);

  // The report: real names for the instructor, one row per participant, per-question results.
  const report = z.object({
    questions: z.array(z.object({ position: z.number(), answered: z.number() })),
    students: z.array(z.object({ name: z.string(), correct: z.number(), answers: z.array(z.object({ position: z.number(), choice: z.string() })) })),
  }).parse((await rpc(w.instructor, 'get_live_report', { p_session_id: id })).data);
  expect(report.questions.map((q) => q.answered)).toEqual([2, 2]);
  expect(report.students.map((st) => [st.name, st.correct])).toEqual([['Student 1', 2], ['Student 3', 1], ['Student 2', 0]]);
  expect((await rpc(ann, 'get_my_live_sessions')).data).toEqual([]);
});

test('Realtime: the cohort hears the session, only the instructor hears the count, and nobody can forge a question, a close or a board update', async () => {
  const w = await classroom();
  const { ann, ben } = w;
  const cohortTopic = `cohort:${w.cohort.id}`;
  const annCohort = await listen(ann, cohortTopic);
  expect(annCohort.outcome.status).toBe('SUBSCRIBED');
  expect((await listen(w.outsider, cohortTopic)).outcome.status).toBe('CHANNEL_ERROR');

  const s = await startSession(w.instructor, w.cohort.id, w.qids.slice(0, 2));
  const id = z.object({ id: z.string() }).parse(s.data).id;
  expect(await annCohort.rec.next('live')).toMatchObject({ session_id: id, status: 'open' });

  const annLive = await listen(ann, `live:${id}`);
  const benLive = await listen(ben, `live:${id}`);
  const host = await listen(w.instructor, `live-host:${id}`);
  expect([annLive.outcome.status, benLive.outcome.status, host.outcome.status]).toEqual(['SUBSCRIBED', 'SUBSCRIBED', 'SUBSCRIBED']);
  for (const [u, topic] of [[w.outsider, `live:${id}`], [w.otherInstructor, `live:${id}`], [ann, `live-host:${id}`], [w.outsider, `live-host:${id}`]] as const) {
    const r = await listen(u, topic);
    expect(r.outcome.status, `${topic}`).toBe('CHANNEL_ERROR');
    expect(r.outcome.message).toMatch(/do not have permissions to read/);
  }

  // A student tries to close the question for everyone, and to push a board update: dropped.
  await annLive.ch.send({ type: 'broadcast', event: 'closed', payload: { position: 0, correct_choice: 'A', forged: true } });
  await annCohort.ch.send({ type: 'broadcast', event: 'board', payload: { forged: true } });

  const qs = [at(w.qids, 0), at(w.qids, 1)];
  await rpc(w.instructor, 'next_live_question', { p_session_id: id, p_seconds: 60, p_choices_after_seconds: 0 });
  expect(await benLive.rec.next('question')).toMatchObject({ position: 0, question_id: at(qs, 0), count: 2 });
  await submit(ben, [liveAnswer(id, ben, at(qs, 0), 'C')], [liveBlock(id, ben, qs)]);
  expect(await host.rec.match('answers', (p) => z.object({ answered: z.number() }).parse(p).answered === 1)).toMatchObject({ position: 0, participants: 1 });
  // Ben's answer counts for rank: his cohort's board moves.
  expect(await annCohort.rec.next('board')).toEqual({ cohort_id: w.cohort.id });

  await rpc(w.instructor, 'close_live_question', { p_session_id: id });
  const atBen = closed.parse(await benLive.rec.next('closed'));
  expect(atBen).toMatchObject({ position: 0, answered: 1, participants: 1 });
  // The forged close and board never reached anyone; only the database's messages did.
  expect(annLive.rec.seen.map((m) => m.event)).toEqual(['question', 'closed']);
  expect(annLive.rec.seen.some((m) => JSON.stringify(m.payload).includes('forged'))).toBe(false);
  expect(annCohort.rec.seen.some((m) => JSON.stringify(m.payload).includes('forged'))).toBe(false);

  await rpc(w.instructor, 'end_live_session', { p_session_id: id });
  expect(await annLive.rec.next('ended')).toMatchObject({ session_id: id });
  expect(await annCohort.rec.match('live', (p) => z.object({ status: z.string() }).parse(p).status === 'ended')).toMatchObject({ session_id: id });
});

test('the board message is debounced per cohort: a burst of answers sends about one', async () => {
  const w = await classroom();
  const watcher = await listen(w.ann, `cohort:${w.cohort.id}`);
  const marker = await listen(w.instructor, `cohort:${w.cohort.id}`);
  expect([watcher.outcome.status, marker.outcome.status]).toEqual(['SUBSCRIBED', 'SUBSCRIBED']);
  const qids = await publishedQuestionIds(w.instructor, 6);
  // Six practice answers from three students within a second.
  await Promise.all(
    w.students.map(async (st, i) => {
      const block = { id: randomUUID(), mode: 'tutor', question_ids: qids.slice(i * 2, i * 2 + 2), time_limit_seconds: null, filters: {}, started_at: new Date().toISOString() };
      const answers = block.question_ids.map((q) => ({ id: randomUUID(), attempt_id: block.id, question_id: q, choice: 'A', time_spent_ms: 1000, answered_at: new Date().toISOString() }));
      expect((await submit(st, answers, [block])).outcomes.every((o) => o.status === 'accepted')).toBe(true);
    }),
  );
  await watcher.rec.next('board');
  // A later live announcement arrives after any board message of the burst (one ordered path).
  const s = await startSession(w.instructor, w.cohort.id, qids.slice(0, 1));
  expect(s.error).toBeNull();
  await watcher.rec.next('live');
  expect(watcher.rec.events().filter((e) => e === 'board').length).toBe(1);
});
