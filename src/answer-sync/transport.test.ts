import { expect, test, vi } from 'vitest';
import type { AnswerInput, AttemptWrite } from './shapes';
import { createSyncPipeline, mergeAttempt, type SendBatch } from './transport';

const attempt = (id: string, extra: Partial<AttemptWrite> = {}): AttemptWrite => ({
  id, mode: 'tutor', kind: 'practice', question_ids: [1, 2, 3], time_limit_seconds: null, filters: {}, started_at: '2026-11-22T08:00:00Z', assignment_id: null, sitting_id: null, section: null, live_session_id: null, ...extra,
});
const answer = (id: string, attemptId = 'att-1', q = 1): AnswerInput => ({
  id, attempt_id: attemptId, question_id: q, choice: 'A', time_spent_ms: 1000, answered_at: '2026-11-22T08:01:00Z',
});
const accepted: SendBatch = async (answers) => answers.map((a) => ({ id: a.id, status: 'accepted' as const, is_correct: true }));

function setup(send: SendBatch = accepted, isClientError: (e: unknown) => boolean = () => false) {
  const timers: (() => void)[] = [];
  const calls: { answers: AnswerInput[]; attempts: AttemptWrite[] }[] = [];
  const pipeline = createSyncPipeline({
    send: (a, t) => {
      calls.push({ answers: a, attempts: t });
      return send(a, t);
    },
    isClientError,
    schedule: (fn) => timers.push(fn),
  });
  const tick = async () => {
    while (timers.length) timers.shift()?.();
    await vi.waitFor(() => undefined);
  };
  return { pipeline, calls, tick };
}

test('500 answers from 13 blocks go out in 10 requests of ≤ 50, each carrying the blocks of its answers', async () => {
  const { pipeline, calls, tick } = setup();
  const promises = Array.from({ length: 500 }, (_, i) => {
    const block = `att-${Math.floor(i / 40)}`;
    return pipeline.submitAnswer(answer(`ans-${i}`, block, (i % 40) + 1), attempt(block));
  });
  await tick();
  const outcomes = await Promise.all(promises);
  expect(calls).toHaveLength(10);
  expect(calls.every((c) => c.answers.length === 50)).toBe(true);
  for (const c of calls) {
    const blocks = new Set(c.answers.map((a) => a.attempt_id));
    expect(new Set(c.attempts.map((a) => a.id))).toEqual(blocks);
  }
  expect(outcomes.map((o) => o.id)).toEqual(Array.from({ length: 500 }, (_, i) => `ans-${i}`));
});

test('each caller gets its own outcome, rejected ones included', async () => {
  const { pipeline, tick } = setup(async (answers) =>
    answers.map((a) => (a.id === 'bad' ? { id: a.id, status: 'rejected' as const, reason: 'attempt_not_found' } : { id: a.id, status: 'duplicate' as const })),
  );
  const p1 = pipeline.submitAnswer(answer('ok'));
  const p2 = pipeline.submitAnswer(answer('bad'));
  await tick();
  expect(await p1).toEqual({ id: 'ok', status: 'duplicate' });
  expect(await p2).toEqual({ id: 'bad', status: 'rejected', reason: 'attempt_not_found' });
});

test('a failed request rejects every item in it (the mutations retry them)', async () => {
  const boom = new Error('offline');
  const { pipeline, tick } = setup(async () => {
    throw boom;
  });
  const p1 = pipeline.submitAnswer(answer('a1'));
  const p2 = pipeline.upsertAttempt(attempt('att-9', { completed_at: '2026-11-22T09:00:00Z' }));
  await tick();
  await expect(p1).rejects.toBe(boom);
  await expect(p2).rejects.toBe(boom);
});

test('a malformed batch is split so one bad item does not fail the others', async () => {
  const refused = Object.assign(new Error('bad'), { client: true });
  const { pipeline, calls, tick } = setup(
    async (answers) => {
      if (answers.some((a) => a.id === 'poison')) throw refused;
      return answers.map((a) => ({ id: a.id, status: 'accepted' as const }));
    },
    (e: unknown) => e === refused,
  );
  const ok = pipeline.submitAnswer(answer('fine'));
  const bad = pipeline.submitAnswer(answer('poison'));
  await tick();
  expect(await ok).toEqual({ id: 'fine', status: 'accepted' });
  await expect(bad).rejects.toBe(refused);
  expect(calls.map((c) => c.answers.map((a) => a.id))).toEqual([['fine', 'poison'], ['fine'], ['poison']]);
});

test('block updates are merged: completion and marks from the newest, creation fields kept', async () => {
  const { pipeline, calls, tick } = setup();
  const a = pipeline.upsertAttempt(attempt('att-1'));
  const b = pipeline.upsertAttempt(attempt('att-1', { marked_question_ids: [2] }));
  const c = pipeline.upsertAttempt(attempt('att-1', { completed_at: '2026-11-22T09:00:00Z' }));
  await tick();
  await Promise.all([a, b, c]);
  expect(calls).toHaveLength(1);
  expect(calls[0]?.answers).toEqual([]);
  expect(calls[0]?.attempts).toEqual([attempt('att-1', { marked_question_ids: [2], completed_at: '2026-11-22T09:00:00Z' })]);
  expect(mergeAttempt(attempt('x', { completed_at: 'T' }), attempt('x'))).toMatchObject({ completed_at: 'T' });
});

test('failed requests share one retry slot, so their items are retried together; a success resets the backoff', async () => {
  let t = 1_000_000;
  let fail = true;
  const timers: (() => void)[] = [];
  const pipeline = createSyncPipeline({
    send: async (answers) => {
      if (fail) throw new Error('503');
      return answers.map((a) => ({ id: a.id, status: 'accepted' as const }));
    },
    isClientError: () => false,
    schedule: (fn) => timers.push(fn),
    now: () => t,
    random: () => 0.5, // no jitter
  });
  const flush = async () => {
    while (timers.length) timers.shift()?.();
    await vi.waitFor(() => undefined);
  };
  expect(pipeline.nextRetryInMs()).toBe(0);

  // Two requests fail (60 answers → 50 + 10): one slot, 1 s away, for all 60.
  const first = Array.from({ length: 60 }, (_, i) => pipeline.submitAnswer(answer(`a-${i}`, 'att-1', (i % 3) + 1)).catch(() => 'failed'));
  await flush();
  expect(await Promise.all(first)).toEqual(Array(60).fill('failed'));
  expect(pipeline.nextRetryInMs()).toBe(1000);
  t += 400;
  expect(pipeline.nextRetryInMs()).toBe(600); // a later failure joins the open slot

  // The slot is due and fails again: the next one backs off to 2 s.
  t += 600;
  const second = pipeline.submitAnswer(answer('b')).catch(() => 'failed');
  await flush();
  expect(await second).toBe('failed');
  expect(pipeline.nextRetryInMs()).toBe(2000);

  // Any success closes the slot and resets the backoff.
  fail = false;
  t += 2000;
  await Promise.all([pipeline.submitAnswer(answer('c')), flush()]);
  expect(pipeline.nextRetryInMs()).toBe(0);
  fail = true;
  const third = pipeline.submitAnswer(answer('d')).catch(() => 'failed');
  await flush();
  expect(await third).toBe('failed');
  expect(pipeline.nextRetryInMs()).toBe(1000);
});
