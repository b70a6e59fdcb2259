/** Per-user admission (admission.ts) on its own: who runs, who waits, who is refused, in what order. */
import { expect, test } from 'vitest';
import { ApiError } from './errors.ts';
import { admissionKey, createAdmission, createRequestRate } from './admission.ts';

/** A job that runs until its `finish` is called, recording when it started. */
function job(started: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    finish: () => finish(),
    fn: async () => {
      started.push(name);
      await done;
      return name;
    },
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

test("a user's requests beyond the share wait in that user's FIFO queue; other users are not held up", async () => {
  const admission = createAdmission({ perUser: 2, queuePerUser: 5 });
  const started: string[] = [];
  const a = [1, 2, 3, 4].map((i) => job(started, `a${i}`));
  const b = job(started, 'b');
  const runs = a.map((j) => admission.run('sub:a', j.fn));
  const runB = admission.run('sub:b', b.fn);
  await tick();
  expect(started).toEqual(['a1', 'a2', 'b']);
  expect(admission.load('sub:a')).toEqual({ running: 2, waiting: 2 });

  a[1]?.finish();
  await tick();
  expect(started).toEqual(['a1', 'a2', 'b', 'a3']);
  a[0]?.finish();
  await tick();
  expect(started).toEqual(['a1', 'a2', 'b', 'a3', 'a4']);
  for (const j of [...a, b]) j.finish();
  expect(await Promise.all([...runs, runB])).toEqual(['a1', 'a2', 'a3', 'a4', 'b']);
  expect(admission.load('sub:a')).toEqual({ running: 0, waiting: 0 });
});

test('past the queue a request is refused at once with 429, Retry-After and the rate_limited body; a failing request frees its place', async () => {
  const admission = createAdmission({ perUser: 1, queuePerUser: 1 });
  const started: string[] = [];
  const first = job(started, 'first');
  const runFirst = admission.run('k', first.fn);
  const queued = admission
    .run('k', async () => {
      throw new Error('boom');
    })
    .catch((e: unknown) => e);
  const refused = await admission.run('k', async () => 'never').catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(ApiError);
  const res = refused instanceof ApiError ? refused.toResponse() : undefined;
  expect(res?.status).toBe(429);
  expect(res?.headers['retry-after']).toBe('1');
  expect(JSON.parse(res?.body ?? '{}')).toEqual({
    code: 'rate_limited',
    details: '{"limit":1,"queue":1,"retry_after_seconds":1}',
    hint: 'Wait for your earlier requests to finish, then try again.',
    message: 'Too many concurrent requests: at most 1 run and 1 wait per user.',
  });

  first.finish();
  await expect(runFirst).resolves.toBe('first');
  expect(await queued).toEqual(new Error('boom'));
  expect(admission.load('k')).toEqual({ running: 0, waiting: 0 });
  await expect(admission.run('k', async () => 'again')).resolves.toBe('again');
});

test('a user is the JWT subject; without one, the role at the client IP', () => {
  expect(admissionKey({ sub: 'u1', role: 'authenticated' }, 'authenticated', '10.0.0.1')).toBe('sub:u1');
  expect(admissionKey({ role: 'anon' }, 'anon', '10.0.0.1')).toBe('anon@10.0.0.1');
  expect(admissionKey({ role: 'service_role' }, 'service_role', '10.0.0.1')).toBe('service_role@10.0.0.1');
  expect(admissionKey({ sub: '' }, 'anon', '10.0.0.2')).toBe('anon@10.0.0.2');
});

test('the request rate lets a burst through, then refuses with 429 and Retry-After until tokens come back', () => {
  let t = 0;
  const rate = createRequestRate({ perSecond: 10, burst: 3 }, () => t);
  for (let i = 0; i < 3; i++) rate.take('sub:a');
  const refused = (() => {
    try {
      rate.take('sub:a');
      return undefined;
    } catch (e) {
      return e;
    }
  })();
  expect(refused).toBeInstanceOf(ApiError);
  const res = (refused as ApiError).toResponse();
  expect(res.status).toBe(429);
  expect(res.headers['retry-after']).toBe('1');
  // Another user is not affected.
  rate.take('sub:b');
  // 100 ms later one request is allowed again (10 per second), not two.
  t = 100;
  rate.take('sub:a');
  expect(() => rate.take('sub:a')).toThrow(ApiError);
});
