/**
 * Server rate limits (SQL, sliding window, exact under concurrency): 100 parallel calls against a limit
 * of N → exactly N succeed, the rest get 429 with Retry-After, and refused calls write nothing.
 */
import { expect, test } from 'vitest';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { anonKey, apiUrl, createUser } from './helpers.ts';
import { answer, publishedQuestionIds, startAttempt } from './world.ts';

const errorBody = z.object({ code: z.string(), message: z.string(), details: z.string().nullable(), hint: z.string().nullable() });

async function post(path: string, token: string, body: unknown, prefer?: string) {
  const res = await fetch(`${apiUrl()}/rest/v1/${path}`, {
    method: 'POST',
    headers: {
      apikey: anonKey,
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      ...(prefer ? { Prefer: prefer } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.text() };
}

test('submit_answers: 100 parallel calls, limit 60 per minute → exactly 60 succeed, 40 get 429 + Retry-After', async () => {
  const student = await createUser();
  const [q] = await publishedQuestionIds(student, 1);
  const attempt = await startAttempt(student, [q ?? 0]);
  const one = answer(attempt, q ?? 0);
  const results = await Promise.all(Array.from({ length: 100 }, () => post('rpc/submit_answers', student.accessToken, { answers: [one] })));
  const ok = results.filter((r) => r.status === 200);
  const limited = results.filter((r) => r.status === 429);
  expect(ok).toHaveLength(60);
  expect(limited).toHaveLength(40);
  for (const r of limited) {
    expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(r.retryAfter)).toBeLessThanOrEqual(60);
    const body = errorBody.parse(JSON.parse(r.body));
    expect(body.code).toBe('rate_limited');
    expect(body.message).toBe('Too many submit_answers requests: at most 60 every 60 seconds.');
  }
  // Exactly one answer row: the first accepted call stored it, the other 59 were duplicates.
  const { count } = await student.db.from('answers').select('*', { count: 'exact', head: true }).eq('attempt_id', attempt);
  expect(count).toBe(1);
});

test('attempt creation: 40 parallel inserts, limit 30 per minute → exactly 30 attempts exist', async () => {
  const student = await createUser();
  const qids = await publishedQuestionIds(student, 2);
  const results = await Promise.all(
    Array.from({ length: 40 }, () => post('attempts', student.accessToken, { id: randomUUID(), mode: 'tutor', question_ids: qids })),
  );
  expect(results.filter((r) => r.status === 201)).toHaveLength(30);
  const limited = results.filter((r) => r.status === 429);
  expect(limited).toHaveLength(10);
  expect(limited.every((r) => Number(r.retryAfter) >= 1)).toBe(true);
  const { count } = await student.db.from('attempts').select('*', { count: 'exact', head: true }).eq('user_id', student.id);
  expect(count).toBe(30);
});

test('limits are per user: one student being limited does not affect another', async () => {
  const [a, b] = await Promise.all([createUser(), createUser()]);
  await Promise.all(Array.from({ length: 12 }, () => a.db.rpc('join_cohort', { code: 'NOPE0000' })));
  const limitedA = await a.db.rpc('join_cohort', { code: 'NOPE0000' });
  expect(limitedA.status).toBe(429);
  const fineB = await b.db.rpc('join_cohort', { code: 'NOPE0000' });
  expect(fineB.status).toBe(400);
});
