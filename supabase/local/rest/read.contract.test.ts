/** GET/HEAD on tables and views through the real supabase-js, against the fixtures in tests/fixtures/010_rest_contract.sql. */
import { expect, test } from 'vitest';
import { untypedClient as client } from '../../../tests/helpers.ts';
import { mintedUser, rest } from './test-support.ts';

test('select with alias, cast, filters, order and range: 206 + count', async () => {
  const { data, error, count, status } = await client()
    .from('contract_items')
    .select('id, title:name, score::text', { count: 'exact' })
    .in('tag', ['a', 'b,c'])
    .gte('id', 1)
    .order('score', { ascending: false, nullsFirst: true })
    .range(1, 3);
  expect(error).toBeNull();
  expect(status).toBe(206);
  expect(count).toBe(6);
  expect(data).toEqual([
    { id: 10, title: 'juliet', score: '100' },
    { id: 8, title: 'hotel', score: '80' },
    { id: 6, title: 'foxtrot', score: '60' },
  ]);
  const raw = await rest('/contract_items?select=id&tag=in.(a,"b,c")&order=score.desc.nullsfirst&offset=1&limit=3', { headers: { prefer: 'count=exact' } });
  expect(raw.status).toBe(206);
  expect(raw.headers.get('content-range')).toBe('1-3/6');
  expect(raw.headers.get('content-type')).toBe('application/json; charset=utf-8');
});

test('the whole result without count: 200 and an open total in Content-Range', async () => {
  const raw = await rest('/contract_items?select=id&id=lte.3&order=id');
  expect(raw.status).toBe(200);
  expect(raw.headers.get('content-range')).toBe('0-2/*');
  expect(await raw.json()).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  const empty = await rest('/contract_items?id=eq.999', { headers: { prefer: 'count=exact' } });
  expect(empty.headers.get('content-range')).toBe('*/0');
});

test('filters: neq, gt/lt, like/ilike with *, is, not, or', async () => {
  const db = client();
  const ids = async (q: PromiseLike<{ data: { id: number }[] | null; error: unknown }>) => {
    const { data, error } = await q;
    expect(error).toBeNull();
    return (data ?? []).map((r) => r.id);
  };
  expect(await ids(db.from('contract_items').select('id').gt('score', 60).lt('score', 100).neq('id', 8).order('id'))).toEqual([7, 9]);
  expect(await ids(db.from('contract_items').select('id').like('name', '*li*').order('id'))).toEqual([3, 10]);
  expect(await ids(db.from('contract_items').select('id').ilike('name', 'lima'))).toEqual([12]);
  expect(await ids(db.from('contract_items').select('id').is('score', null))).toEqual([4]);
  expect(await ids(db.from('contract_items').select('id').not('tag', 'is', null).lte('id', 5).order('id'))).toEqual([1, 2, 3, 4]);
  expect(await ids(db.from('contract_items').select('id').in('tag', ['q"t']))).toEqual([11]);
  expect(await ids(db.from('contract_items').select('id').or('id.eq.1,and(tag.eq.b,score.gt.100)').order('id'))).toEqual([1, 12]);
  expect(await ids(db.from('contract_items').select('id').not('id', 'in', '(1,2,3,4,5,6,7,8,9,10)').order('id'))).toEqual([11, 12]);
});

test('order with nulls last, limit, and json paths in select and filter', async () => {
  const { data } = await client().from('contract_items').select('id').order('score', { ascending: false, nullsFirst: false }).limit(1);
  expect(data).toEqual([{ id: 12 }]);
  const last = await client().from('contract_items').select('id').order('score', { ascending: false, nullsFirst: false });
  expect(last.data?.at(-1)).toEqual({ id: 4 });
  const json = await client().from('contract_items').select('id, lvl:meta->level, meta->>level').eq('meta->>level', '2');
  expect(json.error).toBeNull();
  expect(json.data).toEqual([{ id: 2, lvl: 2, level: '2' }]);
});

test('HEAD with count: no body, count from Content-Range', async () => {
  const { data, count, status, error } = await client().from('contract_items').select('*', { count: 'exact', head: true }).eq('tag', 'a');
  expect(error).toBeNull();
  expect(status).toBe(200);
  expect(data).toBeNull();
  expect(count).toBe(5);
});

test('single(): exactly one row → object; 0 or 2 rows → 406 PGRST116', async () => {
  const one = await client().from('contract_items').select('id, name').eq('id', 2).single();
  expect(one.data).toEqual({ id: 2, name: 'bravo' });
  const none = await client().from('contract_items').select().eq('id', 999).single();
  expect(none.status).toBe(406);
  expect(none.error).toMatchObject({ code: 'PGRST116', details: 'The result contains 0 rows', message: 'Cannot coerce the result to a single JSON object' });
  const two = await client().from('contract_items').select().in('id', [1, 2]).single();
  expect(two.status).toBe(406);
  expect(two.error?.details).toBe('The result contains 2 rows');
});

test('maybeSingle(): 0 rows → null, 1 row → object', async () => {
  const none = await client().from('contract_items').select('id').eq('id', 999).maybeSingle();
  expect(none.error).toBeNull();
  expect(none.data).toBeNull();
  const one = await client().from('contract_items').select('id').eq('id', 5).maybeSingle();
  expect(one.data).toEqual({ id: 5 });
});

test('an offset past the end with count → 416 PGRST103', async () => {
  const { error, status } = await client().from('contract_items').select('id', { count: 'exact' }).range(20, 29);
  expect(status).toBe(416);
  expect(error).toMatchObject({ code: 'PGRST103', details: 'An offset of 20 was requested, but there are only 12 rows.' });
});

test('views are readable like tables', async () => {
  const { data, error } = await client().from('contract_items_view').select('id').order('id', { ascending: false }).limit(2);
  expect(error).toBeNull();
  expect(data).toEqual([{ id: 12 }, { id: 11 }]);
});

test('unknown table → 404 PGRST205, unknown column → 400 42703, bad filter → 400 PGRST100', async () => {
  const table = await client().from('contract_nope').select();
  expect(table.status).toBe(404);
  expect(table.error).toMatchObject({ code: 'PGRST205', message: "Could not find the table 'public.contract_nope' in the schema cache" });
  const column = await client().from('contract_items').select('nope');
  expect(column.status).toBe(400);
  expect(column.error?.code).toBe('42703');
  const filter = await rest('/contract_items?id=zz.1');
  expect(filter.status).toBe(400);
  expect(await filter.json()).toMatchObject({ code: 'PGRST100' });
  const select = await rest('/contract_items?select=id,,name');
  expect(select.status).toBe(400);
  const limit = await rest('/contract_items?limit=abc');
  expect(limit.status).toBe(400);
});

test('a schema that is not exposed → 406 PGRST106', async () => {
  const { error, status } = await client().schema('auth').from('users').select();
  expect(status).toBe(406);
  expect(error).toMatchObject({ code: 'PGRST106', message: 'Invalid schema: auth', hint: 'Only the following schemas are exposed: public, graphql_public' });
});

test('anon read blocked by RLS returns an empty list, not an error', async () => {
  const user = await mintedUser();
  const ins = await user.db.from('contract_rows').insert({ label: 'private' });
  expect(ins.error).toBeNull();
  const anon = await client().from('contract_rows').select('id, label').eq('owner', user.id);
  expect(anon.error).toBeNull();
  expect(anon.status).toBe(200);
  expect(anon.data).toEqual([]);
  const mine = await user.db.from('contract_rows').select('label').eq('owner', user.id);
  expect(mine.data).toEqual([{ label: 'private' }]);
});

test('missing grant → 401 for anon (with WWW-Authenticate), 403 for a signed-in user', async () => {
  const anon = await client().from('contract_secrets').select();
  expect(anon.status).toBe(401);
  expect(anon.error).toMatchObject({ code: '42501', message: 'permission denied for table contract_secrets' });
  const raw = await rest('/contract_secrets');
  expect(raw.headers.get('www-authenticate')).toBe('Bearer');
  const user = await mintedUser();
  const authed = await user.db.from('contract_secrets').select();
  expect(authed.status).toBe(403);
  expect(authed.error?.code).toBe('42501');
});
