/**
 * One test per 5xx observed in issue #14 (item 4) and for the regex filters of item 3: each request
 * used to answer 500/503 (or run for minutes, or damage PGlite's state) and must now be a clear 400 that
 * nothing reached the engine for. Limits are in supabase/local/http.ts and rest/parse.ts; why these
 * numbers: docs/decisions/015-request-limits.md.
 */
import { expect, test } from 'vitest';
import { z } from 'zod';
import { anonKey, apiUrl, createUser, serviceKey, uniqueEmail } from './helpers.ts';

const restError = z.object({ code: z.string(), message: z.string(), details: z.unknown(), hint: z.unknown() });
const authError = z.object({ code: z.string(), message: z.string() });

const deepArray = (n: number): string => '['.repeat(n) + ']'.repeat(n);

async function call(path: string, init: { method?: string; token?: string; body?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${apiUrl()}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      apikey: anonKey,
      'content-type': 'application/json',
      'x-supabase-api-version': '2024-01-01',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    body: init.body,
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : JSON.parse(text) };
}

/** A normal read still works: the engine was not damaged by what came before. */
async function engineHealthy(token: string): Promise<void> {
  const r = await call('/rest/v1/questions?select=id,stem&limit=2&order=id', { token });
  expect(r.status).toBe(200);
  expect(z.array(z.object({ id: z.number(), stem: z.string() })).parse(r.body)).toHaveLength(2);
}

test('JSON nested 100,000 deep in submit_answers, /attempts, /profiles and import_questions is 400 PGRST102', async () => {
  const [student, instructor] = await Promise.all([createUser(), createUser({ role: 'instructor' })]);
  const deep = deepArray(100_000);
  const cases = [
    { path: '/rest/v1/rpc/submit_answers', method: 'POST', body: `{"answers":${deep}}`, token: student.accessToken },
    { path: '/rest/v1/attempts', method: 'POST', body: `{"mode":"tutor","question_ids":${deep}}`, token: student.accessToken },
    { path: `/rest/v1/profiles?id=eq.${student.id}`, method: 'PATCH', body: `{"display_name":${deep}}`, token: student.accessToken },
    { path: '/rest/v1/profiles', method: 'POST', body: `[{"display_name":${deep}}]`, token: student.accessToken },
    { path: '/rest/v1/rpc/import_questions', method: 'POST', body: `{"p_rows":${deep}}`, token: instructor.accessToken },
  ];
  for (const c of cases) {
    const r = await call(c.path, c);
    expect(r.status, c.path).toBe(400);
    expect(restError.parse(r.body)).toMatchObject({ code: 'PGRST102', message: 'Invalid body: JSON nested deeper than 64 levels is refused' });
  }
  // 64 levels is the limit, not 63: a body exactly that deep reaches the function (and fails there as a 4xx).
  const atLimit = await call('/rest/v1/rpc/submit_answers', { method: 'POST', body: `{"answers":${deepArray(63)}}`, token: student.accessToken });
  expect(atLimit.status).toBeGreaterThanOrEqual(400);
  expect(atLimit.status).toBeLessThan(500);
  expect(restError.parse(atLimit.body).code).not.toBe('PGRST102');
  await engineHealthy(student.accessToken);
});

test('deep `data` on sign-up and PUT /auth/v1/user is 400 bad_json, and nothing is written', async () => {
  const email = uniqueEmail('deep');
  const deep = `{"a":${deepArray(100_000)}}`;
  const signup = await call('/auth/v1/signup', { method: 'POST', body: `{"email":"${email}","password":"correct-horse-battery","data":${deep}}` });
  expect(signup.status).toBe(400);
  expect(authError.parse(signup.body)).toMatchObject({ code: 'bad_json' });
  expect(authError.parse(signup.body).message).toContain('exceeded max depth');
  // No account was created: signing in with those credentials finds nobody.
  const signIn = await call('/auth/v1/token?grant_type=password', { method: 'POST', body: JSON.stringify({ email, password: 'correct-horse-battery' }) });
  expect(authError.parse(signIn.body).code).toBe('invalid_credentials');

  const user = await createUser();
  const put = await call('/auth/v1/user', { method: 'PUT', token: user.accessToken, body: `{"data":${deep}}` });
  expect(put.status).toBe(400);
  expect(authError.parse(put.body).code).toBe('bad_json');
  // Strings Postgres cannot store are refused before the write, not a 500 from the database.
  for (const body of ['{"data":{"bio":"a\\u0000b"}}', '{"data":{"bio":"\\ud800"}}', '{"data":{"a\\u0000":1}}']) {
    const r = await call('/auth/v1/user', { method: 'PUT', token: user.accessToken, body });
    expect(r.status, body).toBe(400);
    expect(authError.parse(r.body).code).toBe('validation_failed');
  }
  const ok = await call('/auth/v1/user', { method: 'PUT', token: user.accessToken, body: '{"data":{"bio":"still fine 👍"}}' });
  expect(ok.status).toBe(200);
});

test('an or= tree 2,600 levels deep is 400 PGRST100, not a stack overflow; 32 levels still work', async () => {
  const student = await createUser();
  const tree = (depth: number) => `${'or('.repeat(depth)}id.eq.1${')'.repeat(depth)}`;
  const deep = await call(`/rest/v1/questions?select=id&or=(${encodeURIComponent(tree(2600))})`, { token: student.accessToken });
  expect(deep.status).toBe(400);
  expect(restError.parse(deep.body)).toMatchObject({ code: 'PGRST100', message: 'Logic tree refused: and/or nested deeper than 32 levels' });
  const ok = await call(`/rest/v1/questions?select=id&or=(${encodeURIComponent(tree(31))})`, { token: student.accessToken });
  expect(ok.status).toBe(200);
  expect(ok.body).toEqual([{ id: 1 }]);
});

test('a NUL byte (or another control character) inside a quoted identifier or alias is 400, not 503/500', async () => {
  const student = await createUser();
  for (const select of ['"a\u0000b"', '"x\u0000":id', 'id,"st\u0000em"', 'x:"id\u0001"', 'stem->"a\u0007"']) {
    const r = await call(`/rest/v1/questions?select=${encodeURIComponent(select)}&limit=1`, { token: student.accessToken });
    expect(r.status, JSON.stringify(select)).toBe(400);
    expect(restError.parse(r.body).code).toBe('PGRST100');
  }
  // In a value too (filters and RPC GET arguments are bound as text, which cannot hold NUL).
  for (const q of ['stem=eq.a%00b', 'stem=like.%00*']) {
    const r = await call(`/rest/v1/questions?select=id&${q}`, { token: student.accessToken });
    expect(r.status, q).toBe(400);
    expect(restError.parse(r.body).message).toBe('Query refused: NUL characters (%00) are not allowed');
  }
  await engineHealthy(student.accessToken);
});

test('500 and 2,000 `->a` steps in select= are 400 and leave the engine healthy', async () => {
  const student = await createUser();
  for (const n of [500, 2000, 500]) {
    const r = await call(`/rest/v1/questions?limit=1&select=id,x:stem${'->a'.repeat(n)}`, { token: student.accessToken });
    expect(r.status).toBe(400);
    expect(restError.parse(r.body)).toMatchObject({ code: 'PGRST100', message: 'JSON path refused: more than 32 -> or ->> steps' });
    await engineHealthy(student.accessToken);
  }
  // The same in a filter and in order; 32 steps are still served.
  expect((await call(`/rest/v1/questions?select=id&stem${'->a'.repeat(33)}=eq.1`, { token: student.accessToken })).status).toBe(400);
  expect((await call(`/rest/v1/questions?select=id&order=stem${'->a'.repeat(33)}`, { token: student.accessToken })).status).toBe(400);
  const ok = await call(`/rest/v1/questions?limit=1&order=id&select=id,x:stem${'->a'.repeat(32)}`, { token: student.accessToken });
  expect(ok.status).toBe(200);
  expect(ok.body).toEqual([{ id: 1, x: null }]);
});

test('a value nested 5,000 brackets deep is 400 before the engine parses it recursively', async () => {
  const student = await createUser();
  // Compared as jsonb, so Postgres would parse it (brackets unencoded: the URL must fit Node's 16 KiB header limit).
  const r = await call(`/rest/v1/questions?select=id&stem->a=eq.${deepArray(5000)}`, { token: student.accessToken });
  expect(r.status).toBe(400);
  expect(restError.parse(r.body).message).toBe('Value refused: brackets nested deeper than 64 levels');
  const rpc = await call(`/rest/v1/rpc/get_my_stats?x=${deepArray(5000)}`, { token: student.accessToken });
  expect(rpc.status).toBe(400);
  await engineHealthy(student.accessToken);
});

test('admin ban_duration "9999999999h" is 400 validation_failed as GoTrue says it; the largest Go duration works', async () => {
  const user = await createUser();
  const ban = (duration: string) =>
    call(`/auth/v1/admin/users/${user.id}`, {
      method: 'PUT',
      // The service-role key is itself a JWT GoTrue accepts as an admin bearer.
      token: serviceKey,
      body: JSON.stringify({ ban_duration: duration }),
    });
  const tooBig = await ban('9999999999h');
  expect(tooBig.status).toBe(400);
  expect(authError.parse(tooBig.body)).toEqual({
    code: 'validation_failed',
    message: 'invalid format for ban duration: time: invalid duration "9999999999h"',
  });
  expect(authError.parse((await ban('2562048h')).body).code).toBe('validation_failed');
  expect(authError.parse((await ban('10')).body).message).toBe('invalid format for ban duration: time: missing unit in duration "10"');
  expect(authError.parse((await ban('1d')).body).message).toBe('invalid format for ban duration: time: unknown unit "d" in duration "1d"');
  const max = await ban('2562047h');
  expect(max.status).toBe(200);
  expect(z.object({ banned_until: z.string() }).parse(max.body).banned_until).toMatch(/^2[23]\d\d-/);
  expect((await ban('none')).status).toBe(200);
  // A zero duration lifts the ban too (GoTrue's user.Ban); Go also reads a lone "0".
  expect((await ban('1h')).status).toBe(200);
  const lifted = await ban('0');
  expect(lifted.status).toBe(200);
  expect(z.object({ banned_until: z.string().optional() }).parse(lifted.body).banned_until).toBeUndefined();
  expect((await ban('1h30m0.5s')).status).toBe(200);
});

test('regex filters: backreferences, long patterns and multiplying {m,n} bounds are 400 before the engine', async () => {
  const student = await createUser();
  const q = (op: string, pattern: string) => call(`/rest/v1/questions?select=id&stem=${op}.${encodeURIComponent(pattern)}`, { token: student.accessToken });
  const backref = await q('match', '^(.*)(.*)(.*)\\1\\2\\3$');
  expect(backref.status).toBe(400);
  expect(restError.parse(backref.body)).toMatchObject({ code: 'PGRST100', message: 'Regular expression refused: backreferences (\\1 to \\9) are not allowed' });
  expect((await q('imatch', '(a)\\1')).status).toBe(400);
  expect((await q('match(any)', '{"(x)\\\\1",y}')).status).toBe(400);
  expect(restError.parse((await q('match', 'a'.repeat(513))).body).message).toBe('Regular expression refused: longer than 512 characters');
  expect(restError.parse((await q('match', '(.{1,200}){1,200}z')).body).message).toBe(
    'Regular expression refused: bounded repetitions ({m,n}) expand to more than 1000 copies',
  );
  expect((await q('imatch', `${'('.repeat(100)}a${')'.repeat(100)}`)).status).toBe(400);
  // Ordinary patterns, nested unbounded quantifiers included, are served.
  for (const ok of ['^[A-Z].*(acid|base)+', '(a+)+$', '.{1,20}x{2}', 'a'.repeat(512)]) {
    expect((await q('imatch', ok)).status, ok).toBe(200);
  }
});
