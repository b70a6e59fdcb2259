import { expect, test } from 'vitest';
import {
  AuthApiError,
  AuthRetryableFetchError,
  AuthSessionMissingError,
  AuthUnknownError,
  AuthWeakPasswordError,
  PostgrestError,
} from '@supabase/supabase-js';
import { classifyError, getRetryAfterMs, statusFromPostgrestCode } from '@/lib/network/classify-error';
import { NETWORK_ERROR_KINDS, NETWORK_ERROR_MESSAGES, NetworkError } from '@/lib/network/network-error';

const pgError = (code: string, details = '') => new PostgrestError({ code, message: `error ${code}`, details, hint: '' });

test('a NetworkError is classified by its own kind', () => {
  for (const kind of NETWORK_ERROR_KINDS) expect(classifyError(new NetworkError(kind))).toBe(kind);
});

test.each([
  ['PGRST301', 'unauthorised'], // JWT could not be decoded
  ['PGRST302', 'unauthorised'],
  ['PGRST303', 'unauthorised'], // JWT expired
  ['rate_limited', 'rate_limited'], // our SQL limiter
  ['PT429', 'rate_limited'],
  ['PT503', 'server'],
  ['PT404', 'client'],
  ['PGRST000', 'server'], // could not connect to the database (503)
  ['PGRST002', 'server'], // schema cache not loaded (503)
  ['PGRST003', 'server'], // pool timeout (504)
  ['PGRST300', 'server'], // JWT secret missing on the server (500)
  ['PGRSTX00', 'server'],
  ['PGRST121', 'server'], // unparsable RAISE PGRST (500)
  ['PGRST116', 'client'], // .single() on 0 or >1 rows (406)
  ['PGRST204', 'client'], // unknown column (400)
  ['PGRST205', 'client'], // unknown table (404)
  ['23505', 'client'], // unique violation (409)
  ['23503', 'client'],
  ['P0001', 'client'], // plain RAISE EXCEPTION (400)
  ['42501', 'client'], // RLS / grant denial: signing in again would not help
  ['22P02', 'client'],
  ['08006', 'server'], // connection failure (503)
  ['53300', 'server'], // too many connections (503)
  ['57014', 'server'], // statement timeout (500)
  ['40001', 'server'], // serialization failure (500)
  ['XX000', 'server'],
] as const)('PostgrestError code %s → %s', (code, kind) => {
  expect(classifyError(pgError(code))).toBe(kind);
});

test('statusFromPostgrestCode mirrors PostgREST’s own mapping', () => {
  expect(statusFromPostgrestCode('23505')).toBe(409);
  expect(statusFromPostgrestCode('25006')).toBe(405);
  expect(statusFromPostgrestCode('42P01')).toBe(404);
  expect(statusFromPostgrestCode('57P01')).toBe(503);
  expect(statusFromPostgrestCode('PGRST003')).toBe(504);
  expect(statusFromPostgrestCode('PT418')).toBe(418);
  // Word codes are our own SQL functions' 4xx answers (e.g. join_cohort's cohort_not_found).
  expect(statusFromPostgrestCode('cohort_not_found')).toBe(400);
  expect(classifyError(pgError('cohort_not_found'))).toBe('client');
  expect(statusFromPostgrestCode('Some-Other')).toBeUndefined();
});

test('a PostgrestError without a code (a proxy or gateway answered with a non-PostgREST body) is "server"', () => {
  expect(classifyError(new PostgrestError({ code: '', message: '<html>502 Bad Gateway</html>', details: '', hint: '' }))).toBe('server');
});

test('a PostgrestError-like object with a status is classified by the status', () => {
  const like = (status: number, message = 'x', code = '') => ({ code, message, details: null, hint: null, status });
  expect(classifyError(like(503))).toBe('server');
  expect(classifyError(like(429))).toBe('rate_limited');
  expect(classifyError(like(401))).toBe('unauthorised');
  expect(classifyError(like(403))).toBe('client');
  expect(classifyError(like(404))).toBe('client');
  expect(classifyError(like(401, 'JWT expired', 'PGRST303'))).toBe('unauthorised');
  // postgrest-js without throwOnError reports a rejected fetch as status 0, "<name>: <message>".
  expect(classifyError(like(0, `NetworkError: ${NETWORK_ERROR_MESSAGES.timeout}`))).toBe('timeout');
  expect(classifyError(like(0, 'TypeError: fetch failed'))).toBe('offline');
});

test('auth errors: rate limits, JWT/session problems, server failures, rejected fetches', () => {
  expect(classifyError(new AuthApiError('Too many requests', 429, 'over_request_rate_limit'))).toBe('rate_limited');
  expect(classifyError(new AuthApiError('Email rate limit exceeded', 429, 'over_email_send_rate_limit'))).toBe('rate_limited');
  expect(classifyError(new AuthApiError('invalid JWT', 403, 'bad_jwt'))).toBe('unauthorised');
  expect(classifyError(new AuthApiError('Session not found', 403, 'session_not_found'))).toBe('unauthorised');
  expect(classifyError(new AuthApiError('Invalid Refresh Token', 400, 'refresh_token_not_found'))).toBe('unauthorised');
  expect(classifyError(new AuthApiError('unauthorised', 401, undefined))).toBe('unauthorised');
  expect(classifyError(new AuthApiError('User is banned', 403, 'user_banned'))).toBe('client');
  expect(classifyError(new AuthApiError('Invalid login credentials', 400, 'invalid_credentials'))).toBe('client');
  expect(classifyError(new AuthWeakPasswordError('weak', 422, ['length']))).toBe('client');
  expect(classifyError(new AuthSessionMissingError())).toBe('unauthorised');
  expect(classifyError(new AuthRetryableFetchError('Bad Gateway', 502))).toBe('server');
  expect(classifyError(new AuthRetryableFetchError(NETWORK_ERROR_MESSAGES.circuit_open, 0))).toBe('circuit_open');
  expect(classifyError(new AuthRetryableFetchError(NETWORK_ERROR_MESSAGES.timeout, 0))).toBe('timeout');
  expect(classifyError(new AuthRetryableFetchError('Failed to fetch', 0))).toBe('offline');
  expect(classifyError(new AuthUnknownError('bad json', null))).toBe('unknown');
});

test('anything that did not come from the network is "unknown"', () => {
  expect(classifyError(new Error('bug'))).toBe('unknown');
  expect(classifyError(new TypeError('x is not a function'))).toBe('unknown');
  expect(classifyError('oops')).toBe('unknown');
  expect(classifyError(null)).toBe('unknown');
  expect(classifyError({ message: 'no code, details or hint' })).toBe('unknown');
});

test('getRetryAfterMs: from a NetworkError, or from the details our SQL limiter sends', () => {
  expect(getRetryAfterMs(new NetworkError('rate_limited', { retryAfterMs: 1500 }))).toBe(1500);
  const details = JSON.stringify({ action: 'submit_answers', limit: 60, window_seconds: 60, retry_after_seconds: 7 });
  expect(getRetryAfterMs(pgError('rate_limited', details))).toBe(7000);
  expect(getRetryAfterMs(pgError('rate_limited', 'not json'))).toBeUndefined();
  expect(getRetryAfterMs(pgError('23505', 'Key (id)=(1) already exists.'))).toBeUndefined();
  expect(getRetryAfterMs(new Error('x'))).toBeUndefined();
});
