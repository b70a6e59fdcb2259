/** /rest/v1/rpc through the real supabase-js: argument matching, result shaping, transaction modes, errors. */
import { expect, test } from 'vitest';
import { untypedClient as client } from '../../../tests/helpers.ts';
import { mintedUser, rest } from './test-support.ts';

test('void function → 204, data null', async () => {
  const { data, error, status } = await client().rpc('contract_void', { p_note: 'hi' });
  expect(error).toBeNull();
  expect(status).toBe(204);
  expect(data).toBeNull();
});

test('scalar function with a default argument, by POST and by GET', async () => {
  expect((await client().rpc('contract_add', { a: 1 })).data).toBe(11);
  expect((await client().rpc('contract_add', { a: 1, b: 2 })).data).toBe(3);
  const get = await client().rpc('contract_add', { a: 5, b: 6 }, { get: true });
  expect(get.status).toBe(200);
  expect(get.data).toBe(11);
});

test('setof composite: filters, order, limit, select and count apply to the result', async () => {
  const { data, error, count, status } = await client()
    .rpc('contract_items_by_tag', { p_tag: 'a' }, { count: 'exact' })
    .select('id, name')
    .gt('score', 10)
    .order('score', { ascending: false })
    .limit(2);
  expect(error).toBeNull();
  expect(status).toBe(206);
  expect(count).toBe(4);
  expect(data).toEqual([
    { id: 10, name: 'juliet' },
    { id: 8, name: 'hotel' },
  ]);
  const head = await client().rpc('contract_items_by_tag', { p_tag: 'b' }, { head: true, count: 'exact' });
  expect(head.count).toBe(4);
  expect(head.data).toBeNull();
});

test('composite, table and setof scalar results are shaped like PostgREST', async () => {
  const one = await client().rpc('contract_item', { p_id: 3 });
  expect(one.data).toEqual({ id: 3, name: 'charlie', score: 30, tag: 'a', meta: null, created_at: '2026-01-01T00:00:00+00:00' });
  const squares = await client().rpc('contract_squares', { p_n: 3 }).select('sq');
  expect(squares.data).toEqual([{ sq: 1 }, { sq: 4 }, { sq: 9 }]);
  const ints = await client().rpc('contract_ints');
  expect(ints.data).toEqual([3, 1, 2]);
  const single = await client().rpc('contract_items_by_tag', { p_tag: 'a' }).eq('id', 6).single();
  expect(single.data).toMatchObject({ id: 6, name: 'foxtrot' });
  const none = await client().rpc('contract_items_by_tag', { p_tag: 'zzz' }).single();
  expect(none.status).toBe(406);
  expect(none.error?.code).toBe('PGRST116');
});

test('RAISE EXCEPTION (P0001) → 400 with message, details and hint', async () => {
  const { error, status } = await client().rpc('contract_fail');
  expect(status).toBe(400);
  expect(error).toEqual({ code: 'P0001', message: 'contract failure', details: 'it failed on purpose', hint: 'do not call it' });
});

test('SQLSTATE PT429 → HTTP 429', async () => {
  const { error, status } = await client().rpc('contract_pt429');
  expect(status).toBe(429);
  expect(error).toMatchObject({ code: 'PT429', message: 'Too many requests, slow down' });
});

test("RAISE SQLSTATE 'PGRST' → the status, headers and body it asks for", async () => {
  const { error, status } = await client().rpc('contract_rate_limit');
  expect(status).toBe(429);
  expect(error).toEqual({ code: 'rate_limited', message: 'Too many answers', details: '10 per minute', hint: 'Wait a little' });
  const raw = await rest('/rpc/contract_rate_limit', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(raw.status).toBe(429);
  expect(raw.headers.get('retry-after')).toBe('30');
  expect(raw.headers.get('x-contract')).toBe('raised');
  expect(raw.headers.get('access-control-expose-headers')).toContain('Retry-After');
});

test('response.status / response.headers GUCs set the status and override headers, and the work commits', async () => {
  const before = await client().from('contract_log').select('id', { count: 'exact', head: true }).eq('label', 'guc');
  const raw = await rest('/rpc/contract_guc_status', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(raw.status).toBe(429);
  expect(raw.headers.get('retry-after')).toBe('17');
  expect(raw.headers.get('content-type')).toBe('application/problem+json');
  expect(await raw.json()).toEqual({ code: 'rate_limited', message: 'slow down' });
  const after = await client().from('contract_log').select('id', { count: 'exact', head: true }).eq('label', 'guc');
  expect(after.count).toBe((before.count ?? 0) + 1);
  const viaJs = await client().rpc('contract_guc_status');
  expect(viaJs.status).toBe(429);
  expect(viaJs.error).toMatchObject({ code: 'rate_limited', message: 'slow down' });
});

test('a volatile function writes over POST but GET runs READ ONLY → 405 25006', async () => {
  const post = await client().rpc('contract_write', { p_label: 'via-post' });
  expect(post.error).toBeNull();
  expect(typeof post.data).toBe('number');
  const get = await client().rpc('contract_write', { p_label: 'via-get' }, { get: true });
  expect(get.status).toBe(405);
  expect(get.error).toMatchObject({ code: '25006', message: 'cannot execute INSERT in a read-only transaction' });
  const logged = await client().from('contract_log').select('label').eq('label', 'via-get');
  expect(logged.data).toEqual([]);
});

test('overloads resolve by argument names; ambiguity → 300 PGRST203; unknown → 404 PGRST202', async () => {
  expect((await client().rpc('contract_overload', { a: 1 })).data).toBe('one');
  expect((await client().rpc('contract_overload', { a: 1, b: 2 })).data).toBe('two');
  const amb = await client().rpc('contract_ambiguous', { a: 1 });
  expect(amb.status).toBe(300);
  expect(amb.error?.code).toBe('PGRST203');
  const missing = await client().rpc('contract_add', { x: 1 });
  expect(missing.status).toBe(404);
  expect(missing.error).toMatchObject({
    code: 'PGRST202',
    message: 'Could not find the function public.contract_add(x) in the schema cache',
    details: 'Searched for the function public.contract_add with parameters x or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
  });
  const nothing = await client().rpc('contract_nope');
  expect(nothing.error?.message).toBe('Could not find the function public.contract_nope without parameters in the schema cache');
});

test('a single unnamed jsonb parameter receives the whole body', async () => {
  const { data, error } = await client().rpc('contract_echo', { any: [1, 'two'], nested: { ok: true } });
  expect(error).toBeNull();
  expect(data).toEqual({ any: [1, 'two'], nested: { ok: true } });
});

test('the transaction context matches PostgREST: role, claims, method, path, search_path, headers without cookies, access mode', async () => {
  const user = await mintedUser();
  const raw = await rest('/rpc/contract_context', {
    method: 'POST',
    headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json', cookie: 'sb=1', 'x-client-info': 'contract-test' },
    body: '{}',
  });
  expect(raw.status).toBe(200);
  expect(await raw.json()).toEqual({
    role: 'authenticated',
    uid: user.id,
    claims_role: 'authenticated',
    method: 'POST',
    path: '/rpc/contract_context',
    search_path: '"public", "public", "extensions"',
    client_info: 'contract-test',
    cookie_header: null,
    // STABLE function over POST → READ ONLY transaction.
    read_only: 'on',
  });
  const anon = await client().rpc('contract_context');
  expect(anon.data).toMatchObject({ role: 'anon', uid: null, claims_role: 'anon' });
});

test('RPC routes refuse other methods with 405 PGRST101', async () => {
  const res = await rest('/rpc/contract_add', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(res.status).toBe(405);
  expect(await res.json()).toMatchObject({ code: 'PGRST101', message: 'Cannot use the PATCH method on RPC' });
});
