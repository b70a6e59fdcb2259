/** POST/PATCH/DELETE through the real supabase-js. Each test acts as a fresh minted user, so rows never collide. */
import { expect, test } from 'vitest';
import { untypedAdmin as admin, untypedClient as client } from '../../../tests/helpers.ts';
import { mintedUser, rest } from './test-support.ts';

test('insert without select → 201 and no body; with select → the inserted rows', async () => {
  const user = await mintedUser();
  const plain = await user.db.from('contract_rows').insert({ label: 'a' });
  expect(plain.error).toBeNull();
  expect(plain.status).toBe(201);
  expect(plain.data).toBeNull();
  const returned = await user.db.from('contract_rows').insert({ label: 'b', n: 2 }).select('label, n, owner');
  expect(returned.status).toBe(201);
  expect(returned.data).toEqual([{ label: 'b', n: 2, owner: user.id }]);
  const single = await user.db.from('contract_rows').insert({ label: 'c' }).select('label').single();
  expect(single.data).toEqual({ label: 'c' });
});

test('insert works but insert().select() fails when the SELECT policy hides the new row (42501 → 403)', async () => {
  const user = await mintedUser();
  const plain = await user.db.from('contract_dropbox').insert({ body: 'secret answer' });
  expect(plain.error).toBeNull();
  expect(plain.status).toBe(201);
  const withSelect = await user.db.from('contract_dropbox').insert({ body: 'again' }).select();
  expect(withSelect.status).toBe(403);
  expect(withSelect.error).toMatchObject({ code: '42501', message: 'new row violates row-level security policy for table "contract_dropbox"' });
  // The failed statement rolled back: only the first row exists.
  const rows = await admin().from('contract_dropbox').select('body').eq('owner', user.id);
  expect(rows.data).toEqual([{ body: 'secret answer' }]);
});

test('duplicate insert → 409 23505', async () => {
  const user = await mintedUser();
  await user.db.from('contract_rows').insert({ label: 'dup' });
  const again = await user.db.from('contract_rows').insert({ label: 'dup' });
  expect(again.status).toBe(409);
  expect(again.error?.code).toBe('23505');
  expect(again.error?.message).toContain('duplicate key value violates unique constraint');
});

test('insert an array with columns; missing keys are NULL unless Prefer missing=default', async () => {
  const user = await mintedUser();
  const nulls = await user.db.from('contract_rows').insert([{ label: 'x1', n: 1 }, { label: 'x2' }]);
  expect(nulls.status).toBe(400);
  expect(nulls.error?.code).toBe('23502'); // n is NOT NULL and the second row sent it as NULL
  const defaults = await user.db
    .from('contract_rows')
    .upsert([{ label: 'x1', n: 1 }, { label: 'x2' }], { onConflict: 'owner,label', defaultToNull: false })
    .select('label, n')
    .order('label');
  expect(defaults.error).toBeNull();
  expect(defaults.data).toEqual([
    { label: 'x1', n: 1 },
    { label: 'x2', n: 7 },
  ]);
});

test('upsert merge updates on conflict (200 when nothing new, 201 otherwise); ignore keeps the old row', async () => {
  const user = await mintedUser();
  await user.db.from('contract_rows').insert({ label: 'u', n: 1, note: 'first' });
  const merged = await user.db.from('contract_rows').upsert({ owner: user.id, label: 'u', n: 2 }, { onConflict: 'owner,label' }).select('label, n, note');
  expect(merged.error).toBeNull();
  expect(merged.status).toBe(200);
  expect(merged.data).toEqual([{ label: 'u', n: 2, note: 'first' }]);
  const mixed = await user.db.from('contract_rows').upsert([{ owner: user.id, label: 'u', n: 3 }, { owner: user.id, label: 'v', n: 4 }], { onConflict: 'owner,label' });
  expect(mixed.status).toBe(201);
  const ignored = await user.db
    .from('contract_rows')
    .upsert({ owner: user.id, label: 'u', n: 99 }, { onConflict: 'owner,label', ignoreDuplicates: true })
    .select();
  expect(ignored.status).toBe(201);
  expect(ignored.data).toEqual([]);
  const now = await user.db.from('contract_rows').select('label, n').order('label');
  expect(now.data).toEqual([
    { label: 'u', n: 3 },
    { label: 'v', n: 4 },
  ]);
});

test('update and delete with filters; unfiltered ones are refused with 400 21000', async () => {
  const user = await mintedUser();
  await user.db.from('contract_rows').insert([{ label: 'p' }, { label: 'q' }]);
  const upd = await user.db.from('contract_rows').update({ note: 'edited' }).eq('label', 'p').select('label, note');
  expect(upd.status).toBe(200);
  expect(upd.data).toEqual([{ label: 'p', note: 'edited' }]);
  const quiet = await user.db.from('contract_rows').update({ n: 8 }).eq('label', 'q');
  expect(quiet.status).toBe(204);
  expect(quiet.data).toBeNull();
  const counted = await user.db.from('contract_rows').delete({ count: 'exact' }).eq('label', 'q');
  expect(counted.status).toBe(204);
  expect(counted.count).toBe(1);
  const all = await user.db.from('contract_rows').delete();
  expect(all.status).toBe(400);
  expect(all.error).toMatchObject({ code: '21000', message: 'DELETE requires a WHERE clause' });
  const allUpd = await user.db.from('contract_rows').update({ n: 1 });
  expect(allUpd.status).toBe(400);
  expect(allUpd.error?.message).toBe('UPDATE requires a WHERE clause');
  const left = await user.db.from('contract_rows').select('label');
  expect(left.data).toEqual([{ label: 'p' }]);
});

test("another user's rows are invisible to update/delete: 0 rows, no error", async () => {
  const owner = await mintedUser();
  const other = await mintedUser();
  await owner.db.from('contract_rows').insert({ label: 'mine' });
  const upd = await other.db.from('contract_rows').update({ note: 'hacked' }).eq('owner', owner.id).select();
  expect(upd.error).toBeNull();
  expect(upd.data).toEqual([]);
  const del = await other.db.from('contract_rows').delete().eq('owner', owner.id).select();
  expect(del.data).toEqual([]);
  const still = await owner.db.from('contract_rows').select('label, note');
  expect(still.data).toEqual([{ label: 'mine', note: null }]);
});

test('singular insert of two rows → 406 and the insert is rolled back', async () => {
  const user = await mintedUser();
  const res = await user.db.from('contract_rows').insert([{ label: 's1' }, { label: 's2' }]).select().single();
  expect(res.status).toBe(406);
  expect(res.error?.code).toBe('PGRST116');
  const rows = await user.db.from('contract_rows').select('id');
  expect(rows.data).toEqual([]);
});

test('unknown column → 400 PGRST204; invalid JSON → 400 PGRST102; anon without grant → 401', async () => {
  const user = await mintedUser();
  const col = await user.db.from('contract_rows').insert({ label: 'z', nope: 1 });
  expect(col.status).toBe(400);
  expect(col.error).toMatchObject({ code: 'PGRST204', message: "Could not find the 'nope' column of 'contract_rows' in the schema cache" });
  const bad = await rest('/contract_rows', { method: 'POST', headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' }, body: '{"label":' });
  expect(bad.status).toBe(400);
  expect(await bad.json()).toEqual({ code: 'PGRST102', details: null, hint: null, message: 'Empty or invalid json' });
  const keys = await rest('/contract_rows', { method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body: '[{"label":"a"},{"n":1}]' });
  expect(keys.status).toBe(400);
  expect((await keys.json()).message).toBe('All object keys must match');
  const anon = await client().from('contract_rows').insert({ label: 'anon' });
  expect(anon.status).toBe(401);
  expect(anon.error?.code).toBe('42501');
});
