import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createNetworkFetch, type FetchLike, type NetworkFetchOptions } from '@/lib/network/network-fetch';
import { NetworkError } from '@/lib/network/network-error';

// Fake timers only: Date.now and setTimeout are both driven by vi, and networkFetch's default clock
// looks them up per call.
beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

interface Call {
  readonly url: string;
  readonly at: number;
  readonly signal: AbortSignal | undefined;
}

/** A fake server: `respond` decides each answer; every call is recorded with the fake time it arrived. */
function fakeServer(respond: (url: string, signal: AbortSignal | undefined) => Promise<Response> | Response = () => new Response('{}')) {
  const calls: Call[] = [];
  const fetch: FetchLike = async (input, init) => {
    const url = String(input);
    const signal = init?.signal ?? undefined;
    calls.push({ url, at: Date.now(), signal });
    return respond(url, signal);
  };
  return { calls, fetch };
}

/** Never answers; rejects with the signal's reason on abort, as a browser's fetch does. */
function hang(signal: AbortSignal | undefined): Promise<Response> {
  return new Promise((_resolve, reject) => {
    signal?.addEventListener('abort', () => reject(signal.reason));
  });
}

function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

/** Settles a promise into a value we can assert on, so rejections are never unhandled. */
function outcome(promise: Promise<Response>): Promise<Response | unknown> {
  return promise.then(
    (response) => response,
    (error: unknown) => error,
  );
}

function network(respond: Parameters<typeof fakeServer>[0], options: Omit<NetworkFetchOptions, 'fetch'> = {}) {
  const server = fakeServer(respond);
  return { server, net: createNetworkFetch({ ...options, fetch: server.fetch, isOnline: options.isOnline ?? (() => true) }) };
}

const status = (code: number) => () => new Response('{}', { status: code });

async function failTimes(fetch: FetchLike, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await fetch(`/fail/${i}`);
}

// ── throttle ────────────────────────────────────────────────────────────────────────────────────

test('throttle: a burst of 50 sends 10 at once, then one every 200 ms, in order, dropping none', async () => {
  const { server, net } = network(() => new Response('ok'));
  const results = Array.from({ length: 50 }, (_, i) => net.fetch(`/r/${i}`));

  await vi.advanceTimersByTimeAsync(0);
  expect(server.calls).toHaveLength(10);
  expect(net.getState().queued).toBe(40);

  await vi.advanceTimersByTimeAsync(199);
  expect(server.calls).toHaveLength(10);
  await vi.advanceTimersByTimeAsync(1);
  expect(server.calls).toHaveLength(11);

  await vi.advanceTimersByTimeAsync(8000);
  expect(server.calls.map((c) => c.url)).toEqual(Array.from({ length: 50 }, (_, i) => `/r/${i}`));
  expect(server.calls.map((c) => c.at)).toEqual(Array.from({ length: 50 }, (_, i) => (i < 10 ? 0 : (i - 9) * 200)));
  const responses = await Promise.all(results);
  expect(responses.every((r) => r.ok)).toBe(true);
  expect(net.getState().queued).toBe(0);
});

test('throttle: the bucket refills while idle, up to the burst', async () => {
  const { server, net } = network(() => new Response('ok'));
  await Promise.all(Array.from({ length: 10 }, (_, i) => net.fetch(`/a/${i}`)));
  await vi.advanceTimersByTimeAsync(1000); // 5 tokens back, not 10
  const second = Array.from({ length: 6 }, (_, i) => net.fetch(`/b/${i}`));
  await vi.advanceTimersByTimeAsync(0);
  expect(server.calls.filter((c) => c.url.startsWith('/b/'))).toHaveLength(5);
  await vi.advanceTimersByTimeAsync(200);
  await Promise.all(second);
  expect(server.calls.at(-1)).toEqual(expect.objectContaining({ url: '/b/5', at: 1200 }));
});

test('throttle: a caller abort while queued rejects at once and never reaches the server', async () => {
  const { server, net } = network(() => new Response('ok'), { burst: 1 });
  const first = net.fetch('/first');
  const controller = new AbortController();
  const second = outcome(net.fetch('/second', { signal: controller.signal }));
  const third = net.fetch('/third');
  expect(net.getState().queued).toBe(2);

  controller.abort();
  const error = await second;
  expect(error).toBeInstanceOf(DOMException);
  expect(error).toHaveProperty('name', 'AbortError');
  expect(net.getState().queued).toBe(1);

  await vi.advanceTimersByTimeAsync(200);
  await Promise.all([first, third]);
  expect(server.calls.map((c) => [c.url, c.at])).toEqual([
    ['/first', 0],
    ['/third', 200],
  ]);
});

// ── timeout ─────────────────────────────────────────────────────────────────────────────────────

test('timeout: a hanging request is aborted after 25 s with kind "timeout"', async () => {
  const { server, net } = network((_url, signal) => hang(signal));
  const result = outcome(net.fetch('/slow'));
  let settled = false;
  void result.then(() => (settled = true));

  await vi.advanceTimersByTimeAsync(24_999);
  expect(settled).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  const error = await result;
  expect(error).toBeInstanceOf(NetworkError);
  expect(error).toHaveProperty('kind', 'timeout');
  expect(server.calls[0]?.signal?.aborted).toBe(true);
});

test('timeout: the 25 s start when the request leaves the queue, not when it was queued', async () => {
  const { net } = network((_url, signal) => hang(signal), { burst: 1 });
  const first = outcome(net.fetch('/a'));
  const second = outcome(net.fetch('/b'));
  await vi.advanceTimersByTimeAsync(25_000);
  expect(await first).toHaveProperty('kind', 'timeout');
  let secondSettled = false;
  void second.then(() => (secondSettled = true));
  await vi.advanceTimersByTimeAsync(100); // /b left the queue at 200 ms, so it times out at 25 200 ms
  expect(secondSettled).toBe(false);
  await vi.advanceTimersByTimeAsync(100);
  expect(await second).toHaveProperty('kind', 'timeout');
});

test("timeout: a caller's abort still works, rejects with the caller's reason and is not a breaker failure", async () => {
  const { net } = network((_url, signal) => hang(signal), { failureThreshold: 1 });
  const controller = new AbortController();
  const result = outcome(net.fetch('/slow', { signal: controller.signal }));
  await vi.advanceTimersByTimeAsync(1000);
  controller.abort(new DOMException('user left the page', 'AbortError'));
  const error = await result;
  expect(error).not.toBeInstanceOf(NetworkError);
  expect(error).toHaveProperty('message', 'user left the page');
  expect(net.getState().breaker).toBe('closed');
});

test('a signal that is already aborted rejects without reaching the server', async () => {
  const { server, net } = network(() => new Response('ok'));
  const error = await outcome(net.fetch('/x', { signal: AbortSignal.abort() }));
  expect(error).toHaveProperty('name', 'AbortError');
  expect(server.calls).toHaveLength(0);
});

test('a fetch that rejects (no response) becomes NetworkError "offline" with the original as cause', async () => {
  const typeError = new TypeError('Failed to fetch');
  const { net } = network(() => Promise.reject(typeError));
  const error = await outcome(net.fetch('/x'));
  expect(error).toBeInstanceOf(NetworkError);
  expect(error).toHaveProperty('kind', 'offline');
  expect(error).toHaveProperty('cause', typeError);
});

test('HTTP errors are returned as responses, never thrown (supabase-js must read them)', async () => {
  const { net } = network(status(503));
  const response = await net.fetch('/x');
  expect(response.status).toBe(503);
});

// ── circuit breaker ─────────────────────────────────────────────────────────────────────────────

test('breaker: 5 consecutive 5xx open it for 30 s; calls then fail fast without reaching the server', async () => {
  const { server, net } = network(status(503));
  await failTimes(net.fetch, 4);
  expect(net.getState().breaker).toBe('closed');
  await vi.advanceTimersByTimeAsync(1000);
  await net.fetch('/fifth');
  expect(net.getState()).toEqual({ breaker: 'open', openUntil: 31_000, queued: 0 });

  const error = await outcome(net.fetch('/while-open'));
  expect(error).toBeInstanceOf(NetworkError);
  expect(error).toHaveProperty('kind', 'circuit_open');
  expect(error).toHaveProperty('retryAfterMs', 30_000);
  expect(server.calls).toHaveLength(5);
});

test('breaker: timeouts and network errors count as failures', async () => {
  let call = 0;
  const { net } = network((_url, signal) => (++call % 2 === 0 ? hang(signal) : Promise.reject(new TypeError('Failed to fetch'))));
  const results = Array.from({ length: 5 }, (_, i) => outcome(net.fetch(`/${i}`)));
  await vi.advanceTimersByTimeAsync(25_000);
  const kinds = (await Promise.all(results)).map((e) => (e instanceof NetworkError ? e.kind : e));
  expect(kinds).toEqual(['offline', 'timeout', 'offline', 'timeout', 'offline']);
  expect(net.getState().breaker).toBe('open');
});

test('breaker: failures while the device is offline are not counted against the server', async () => {
  const { net } = network(() => Promise.reject(new TypeError('Failed to fetch')), { isOnline: () => false });
  const errors = await Promise.all(Array.from({ length: 8 }, (_, i) => outcome(net.fetch(`/${i}`))));
  expect(errors.every((e) => e instanceof NetworkError && e.kind === 'offline')).toBe(true);
  expect(net.getState().breaker).toBe('closed');
});

test('breaker: requests still queued when it opens are rejected at once, not sent', async () => {
  const { server, net } = network(status(500), { burst: 5 });
  const results = Array.from({ length: 7 }, (_, i) => outcome(net.fetch(`/${i}`)));
  await vi.advanceTimersByTimeAsync(0);
  expect(net.getState()).toEqual({ breaker: 'open', openUntil: 30_000, queued: 0 });
  const settled = await Promise.all(results);
  expect(settled.slice(5).map((e) => (e instanceof NetworkError ? e.kind : e))).toEqual(['circuit_open', 'circuit_open']);
  expect(server.calls).toHaveLength(5);
});

test('breaker: after 30 s exactly one probe passes; others fail fast while it is in flight; success closes it', async () => {
  const probeAnswer = deferred<Response>();
  let healthy = false;
  const { server, net } = network((url) => (url === '/probe' ? probeAnswer.promise : new Response('{}', { status: healthy ? 200 : 502 })));
  await failTimes(net.fetch, 5);
  expect(net.getState().breaker).toBe('open');

  await vi.advanceTimersByTimeAsync(29_999);
  expect(await outcome(net.fetch('/too-early'))).toHaveProperty('kind', 'circuit_open');
  await vi.advanceTimersByTimeAsync(1);
  expect(net.getState()).toEqual({ breaker: 'half_open', queued: 0 });

  const probe = net.fetch('/probe');
  await vi.advanceTimersByTimeAsync(0);
  const during = await Promise.all([outcome(net.fetch('/during-1')), outcome(net.fetch('/during-2'))]);
  expect(during.map((e) => (e instanceof NetworkError ? e.kind : e))).toEqual(['circuit_open', 'circuit_open']);
  expect(server.calls.map((c) => c.url)).toEqual(['/fail/0', '/fail/1', '/fail/2', '/fail/3', '/fail/4', '/probe']);

  healthy = true;
  probeAnswer.resolve(new Response('{}', { status: 200 }));
  expect((await probe).status).toBe(200);
  expect(net.getState()).toEqual({ breaker: 'closed', queued: 0 });
  expect((await net.fetch('/after')).status).toBe(200);
});

test('breaker: a failed probe re-opens it for another 30 s', async () => {
  const { server, net } = network(status(503));
  await failTimes(net.fetch, 5);
  await vi.advanceTimersByTimeAsync(30_000);
  const probe = await net.fetch('/probe');
  expect(probe.status).toBe(503);
  expect(net.getState()).toEqual({ breaker: 'open', openUntil: 60_000, queued: 0 });
  expect(await outcome(net.fetch('/x'))).toHaveProperty('kind', 'circuit_open');
  expect(server.calls).toHaveLength(6);

  await vi.advanceTimersByTimeAsync(30_000);
  expect(net.getState().breaker).toBe('half_open');
});

test('breaker: an aborted probe frees the slot for the next request', async () => {
  let mode: 'fail' | 'hang' | 'ok' = 'fail';
  const one = network((_url, signal) => (mode === 'fail' ? new Response('', { status: 500 }) : mode === 'hang' ? hang(signal) : new Response('{}')));
  await failTimes(one.net.fetch, 5);
  await vi.advanceTimersByTimeAsync(30_000);
  mode = 'hang';
  const controller = new AbortController();
  const probe = outcome(one.net.fetch('/probe', { signal: controller.signal }));
  await vi.advanceTimersByTimeAsync(0);
  controller.abort();
  expect(await probe).toHaveProperty('name', 'AbortError');
  expect(one.net.getState().breaker).toBe('half_open');
  mode = 'ok';
  expect((await one.net.fetch('/next-probe')).status).toBe(200);
  expect(one.net.getState().breaker).toBe('closed');
});

test('breaker: a success in between resets the count', async () => {
  let next = 503;
  const { net } = network(() => new Response('{}', { status: next }));
  await failTimes(net.fetch, 4);
  next = 200;
  await net.fetch('/ok');
  next = 503;
  await failTimes(net.fetch, 4);
  expect(net.getState().breaker).toBe('closed');
  await vi.advanceTimersByTimeAsync(1000);
  await net.fetch('/fifth-in-a-row');
  expect(net.getState().breaker).toBe('open');
});

test('breaker: 4xx and 429 are answers from a live server — they do not count and they reset the count', async () => {
  const statuses = [503, 503, 503, 503, 429, 503, 503, 503, 503, 400, 401, 403, 404, 409, 429, 429, 429, 429, 429];
  let i = 0;
  const { server, net } = network(() => new Response('{}', { status: statuses[i++] ?? 200 }));
  for (const _ of statuses) {
    await vi.advanceTimersByTimeAsync(200);
    await net.fetch('/x');
  }
  expect(server.calls).toHaveLength(statuses.length);
  expect(net.getState().breaker).toBe('closed');
});
