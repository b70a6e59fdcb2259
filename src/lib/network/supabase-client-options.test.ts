/**
 * The real supabase-js (postgrest-js, auth-js) over networkFetch over a fake server: proves the
 * createClient options switch postgrest-js's own retries off, and that what `.throwOnError()` and
 * auth-js hand back classifies correctly.
 */
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createClient, PostgrestError, type SupabaseClientOptions } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { classifyError, getRetryAfterMs } from '@/lib/network/classify-error';
import { NetworkError } from '@/lib/network/network-error';
import { createNetworkFetch, type FetchLike } from '@/lib/network/network-fetch';
import { retryDelay } from '@/lib/network/retry-policy';
import { supabaseClientOptions } from '@/lib/network/supabase-client-options';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
  // Node 20 has no global WebSocket and supabase-js ≥ 2.119 throws in createClient without one
  // (these tests open no channel). Stubbing the global avoids fighting ws's types against realtime's.
  vi.stubGlobal('WebSocket', WebSocket);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function fakeServer(respond: (url: string) => Response | Promise<Response>) {
  const restCalls: string[] = [];
  const fetch: FetchLike = async (input) => {
    const url = String(input);
    if (url.includes('/rest/v1/')) restCalls.push(url);
    return respond(url);
  };
  return { restCalls, fetch };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

/** A client wired like the app's, but sending through its own networkFetch instance. */
function appClient(fetch: FetchLike, db: SupabaseClientOptions<'public'>['db'] = supabaseClientOptions.db) {
  const network = createNetworkFetch({ fetch, isOnline: () => true });
  const client = createClient('http://127.0.0.1:54321', 'anon-key', {
    ...supabaseClientOptions,
    db,
    global: { fetch: network.fetch },
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
  return { client, network };
}

const schemaCacheLoading = { code: 'PGRST002', message: 'Could not query the database for the schema cache. Retrying.', details: null, hint: null };

test('supabaseClientOptions: a GET answered 503 is sent once — postgrest-js does not retry it', async () => {
  const server = fakeServer(() => json(503, schemaCacheLoading));
  const { client } = appClient(server.fetch);
  const result = client.from('questions').select('id').throwOnError().then(
    () => 'resolved',
    (error: unknown) => error,
  );
  await vi.advanceTimersByTimeAsync(30_000);
  const error = await result;
  expect(error).toBeInstanceOf(PostgrestError);
  expect(classifyError(error)).toBe('server');
  expect(server.restCalls).toHaveLength(1);
});

test('control: without db.retry = false, postgrest-js retries the same GET 3 more times', async () => {
  const server = fakeServer(() => json(503, schemaCacheLoading));
  const { client } = appClient(server.fetch, {});
  const result = client.from('questions').select('id').then((r) => r.status);
  await vi.advanceTimersByTimeAsync(30_000);
  expect(await result).toBe(503);
  expect(server.restCalls).toHaveLength(4);
});

test('a request that gets no response reaches the caller as our NetworkError, sent once', async () => {
  const server = fakeServer(() => Promise.reject(new TypeError('Failed to fetch')));
  const { client } = appClient(server.fetch);
  const error = await client.from('questions').select('id').throwOnError().then(
    () => 'resolved',
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NetworkError);
  expect(classifyError(error)).toBe('offline');
  expect(server.restCalls).toHaveLength(1);
});

test('our SQL rate limit (429 + Retry-After) classifies as rate_limited and its delay is honoured', async () => {
  const body = {
    code: 'rate_limited',
    message: 'Too many submit_answers requests: at most 60 every 60 seconds.',
    details: JSON.stringify({ action: 'submit_answers', limit: 60, window_seconds: 60, retry_after_seconds: 12 }),
    hint: 'Wait 12 seconds and try again.',
  };
  const server = fakeServer(() => json(429, body, { 'Retry-After': '12' }));
  const { client, network } = appClient(server.fetch);
  const error = await client.rpc('submit_answers', { answers: [] }).throwOnError().then(
    () => 'resolved',
    (e: unknown) => e,
  );
  expect(classifyError(error)).toBe('rate_limited');
  expect(getRetryAfterMs(error)).toBe(12_000);
  expect(retryDelay(0, error)).toBe(12_000);
  expect(network.getState().breaker).toBe('closed');
});

test('an expired JWT on REST (401 PGRST303) classifies as unauthorised', async () => {
  const server = fakeServer(() =>
    json(401, { code: 'PGRST303', message: 'JWT expired', details: null, hint: null }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' }),
  );
  const { client } = appClient(server.fetch);
  const error = await client.from('questions').select('id').throwOnError().then(
    () => 'resolved',
    (e: unknown) => e,
  );
  expect(classifyError(error)).toBe('unauthorised');
});

test('auth calls go through the breaker too: an open breaker reaches auth callers as circuit_open', async () => {
  const server = fakeServer(() => json(502, { message: 'Bad Gateway' }));
  const { client, network } = appClient(server.fetch);
  for (let i = 0; i < 5; i++) await client.from('questions').select('id');
  expect(network.getState().breaker).toBe('open');
  const { error } = await client.auth.signInWithPassword({ email: 'a@b.c', password: 'x' });
  expect(classifyError(error)).toBe('circuit_open');
});
