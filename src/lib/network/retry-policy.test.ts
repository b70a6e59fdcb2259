import { afterEach, expect, test, vi } from 'vitest';
import { onlineManager, QueryClient, QueryObserver } from '@tanstack/react-query';
import { AuthApiError, PostgrestError } from '@supabase/supabase-js';
import { BOUNDARY_RETRY_MS, boundaryRetryDelay, MAX_RETRIES, retryDelay, shouldRetry } from '@/lib/network/retry-policy';
import { NetworkError, type NetworkErrorKind } from '@/lib/network/network-error';

afterEach(() => {
  vi.useRealTimers();
  onlineManager.setOnline(true);
});

const pgError = (code: string, details = '') => new PostgrestError({ code, message: code, details, hint: '' });

test.each([
  ['timeout', true],
  ['server', true],
  ['rate_limited', true],
  ['circuit_open', true],
  // Not a backoff retry: returning true is what lets React Query pause the query until reconnect.
  ['offline', true],
  ['client', false],
  ['unauthorised', false],
] as const satisfies ReadonlyArray<readonly [NetworkErrorKind, boolean]>)('shouldRetry: %s → %s', (kind, expected) => {
  expect(shouldRetry(0, new NetworkError(kind))).toBe(expected);
});

test('shouldRetry: at most 3 retries', () => {
  const error = new NetworkError('server');
  expect([0, 1, 2, 3, 4].map((n) => shouldRetry(n, error))).toEqual([true, true, true, false, false]);
  expect(MAX_RETRIES).toBe(3);
});

test('shouldRetry: 4xx answers from PostgREST and auth are never retried; rate limits and 5xx are', () => {
  expect(shouldRetry(0, pgError('23505'))).toBe(false);
  expect(shouldRetry(0, pgError('42501'))).toBe(false);
  expect(shouldRetry(0, pgError('PGRST303'))).toBe(false);
  expect(shouldRetry(0, pgError('PGRST116'))).toBe(false);
  expect(shouldRetry(0, new AuthApiError('Invalid login credentials', 400, 'invalid_credentials'))).toBe(false);
  expect(shouldRetry(0, pgError('rate_limited'))).toBe(true);
  expect(shouldRetry(0, pgError('PGRST002'))).toBe(true);
  expect(shouldRetry(0, new AuthApiError('Too many', 429, 'over_request_rate_limit'))).toBe(true);
  expect(shouldRetry(0, new Error('a bug'))).toBe(false);
});

test('retryDelay: 1 s, 2 s, 4 s, jittered by exactly ±20 % at the extremes', () => {
  const error = new NetworkError('server');
  expect([0, 1, 2].map((n) => retryDelay(n, error, () => 0))).toEqual([800, 1600, 3200]);
  expect([0, 1, 2].map((n) => retryDelay(n, error, () => 0.5))).toEqual([1000, 2000, 4000]);
  expect([0, 1, 2].map((n) => retryDelay(n, error, () => 0.999_999))).toEqual([1200, 2400, 4800]);
});

test('retryDelay: with Math.random every delay stays within its ±20 % band', () => {
  const error = new NetworkError('timeout');
  for (const [n, base] of [
    [0, 1000],
    [1, 2000],
    [2, 4000],
  ] as const) {
    const delays = Array.from({ length: 200 }, () => retryDelay(n, error));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(base * 0.8);
    expect(Math.max(...delays)).toBeLessThanOrEqual(base * 1.2);
    expect(new Set(delays).size).toBeGreaterThan(1);
  }
});

test('retryDelay: Retry-After is honoured for rate_limited — max(backoff, Retry-After)', () => {
  expect(retryDelay(0, new NetworkError('rate_limited', { retryAfterMs: 10_000 }), () => 0.5)).toBe(10_000);
  expect(retryDelay(2, new NetworkError('rate_limited', { retryAfterMs: 500 }), () => 0.5)).toBe(4000);
  const details = JSON.stringify({ action: 'submit_answers', limit: 60, window_seconds: 60, retry_after_seconds: 7 });
  expect(retryDelay(0, pgError('rate_limited', details), () => 0.5)).toBe(7000);
  expect(retryDelay(0, pgError('rate_limited'), () => 0.5)).toBe(1000);
});

test('retryDelay: circuit_open uses plain backoff (its retryAfterMs is for the UI)', () => {
  expect(retryDelay(0, new NetworkError('circuit_open', { retryAfterMs: 30_000 }), () => 0.5)).toBe(1000);
});

test('boundaryRetryDelay: an error boundary resets itself after 10 s, or the longer Retry-After, for transient failures only', () => {
  expect(BOUNDARY_RETRY_MS).toBe(10_000);
  expect(boundaryRetryDelay(new NetworkError('timeout'))).toBe(10_000);
  expect(boundaryRetryDelay(new NetworkError('offline'))).toBe(10_000);
  expect(boundaryRetryDelay(new NetworkError('rate_limited', { retryAfterMs: 3_000 }))).toBe(10_000);
  expect(boundaryRetryDelay(new NetworkError('rate_limited', { retryAfterMs: 45_000 }))).toBe(45_000);
  const details = JSON.stringify({ retry_after_seconds: 30 });
  expect(boundaryRetryDelay(pgError('rate_limited', details))).toBe(30_000);
  // A refusal or a bug does not go away by waiting: "Try again" is the user's call.
  expect(boundaryRetryDelay(pgError('42501'))).toBeNull();
  expect(boundaryRetryDelay(new NetworkError('unauthorised'))).toBeNull();
  expect(boundaryRetryDelay(new Error('a bug'))).toBeNull();
});

test('React Query with this policy: 3 retries at ~1/2/4 s, then the error', async () => {
  vi.useFakeTimers({ now: 0 });
  const client = new QueryClient({ defaultOptions: { queries: { retry: shouldRetry, retryDelay, networkMode: 'offlineFirst' } } });
  const attempts: number[] = [];
  const result = client
    .fetchQuery({
      queryKey: ['flaky'],
      queryFn: () => {
        attempts.push(Date.now());
        return Promise.reject(new NetworkError('server', { status: 503 }));
      },
    })
    .catch((error: unknown) => error);
  await vi.advanceTimersByTimeAsync(10_000);
  expect(await result).toHaveProperty('kind', 'server');
  expect(attempts).toHaveLength(4);
  const gaps = attempts.slice(1).map((at, i) => at - (attempts[i] ?? 0));
  [1000, 2000, 4000].forEach((base, i) => {
    expect(gaps[i]).toBeGreaterThanOrEqual(base * 0.8);
    expect(gaps[i]).toBeLessThanOrEqual(base * 1.2);
  });
});

test('React Query with this policy: a 4xx fails after one attempt', async () => {
  const client = new QueryClient({ defaultOptions: { queries: { retry: shouldRetry, retryDelay } } });
  let attempts = 0;
  const error = await client
    .fetchQuery({
      queryKey: ['denied'],
      queryFn: () => {
        attempts += 1;
        return Promise.reject(pgError('42501'));
      },
    })
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PostgrestError);
  expect(attempts).toBe(1);
});

test('React Query with this policy: offline pauses the query and resumes it on reconnect', async () => {
  vi.useFakeTimers({ now: 0 });
  const client = new QueryClient({ defaultOptions: { queries: { retry: shouldRetry, retryDelay, networkMode: 'offlineFirst' } } });
  // mount() is what QueryClientProvider does: it subscribes the client to onlineManager.
  client.mount();
  onlineManager.setOnline(false);
  let attempts = 0;
  const observer = new QueryObserver(client, {
    queryKey: ['bank'],
    queryFn: () => {
      attempts += 1;
      return attempts === 1 ? Promise.reject(new NetworkError('offline')) : Promise.resolve('questions');
    },
  });
  const unsubscribe = observer.subscribe(() => {});
  await vi.advanceTimersByTimeAsync(60_000);
  expect(observer.getCurrentResult()).toMatchObject({ fetchStatus: 'paused', status: 'pending' });
  expect(attempts).toBe(1);

  onlineManager.setOnline(true);
  await vi.advanceTimersByTimeAsync(0);
  expect(observer.getCurrentResult()).toMatchObject({ status: 'success', data: 'questions' });
  unsubscribe();
  client.unmount();
});
