/** How /rest/v1 treats tokens: PostgREST's JWT errors, and role claims the authenticator may not switch to. */
import { expect, test } from 'vitest';
import { untypedClient as client, anonKey, serviceKey, untypedAdmin as admin } from '../../../tests/helpers.ts';
import { mintToken, rest } from './test-support.ts';

test('expired JWT → 401 PGRST303 with WWW-Authenticate', async () => {
  const now = Math.floor(Date.now() / 1000);
  const token = await mintToken({ iat: now - 7200, exp: now - 3600 });
  const { error, status } = await client(anonKey, token).from('contract_items').select('id');
  expect(status).toBe(401);
  expect(error).toMatchObject({ code: 'PGRST303', message: 'JWT expired' });
  const raw = await rest('/contract_items', { headers: { authorization: `Bearer ${token}` } });
  expect(raw.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="JWT expired"');
});

test('tampered signature and malformed tokens → 401 PGRST301', async () => {
  const token = await mintToken({}, 'another-secret-that-is-at-least-32-characters');
  const tampered = await client(anonKey, token).from('contract_items').select('id');
  expect(tampered.status).toBe(401);
  expect(tampered.error?.code).toBe('PGRST301');
  expect(tampered.data).toBeNull();
  const malformed = await rest('/contract_items', { headers: { authorization: 'Bearer not-a-jwt' } });
  expect(malformed.status).toBe(401);
  expect(await malformed.json()).toMatchObject({ code: 'PGRST301', message: 'Expected 3 parts in JWT; got 1' });
  const empty = await rest('/contract_items', { headers: { authorization: 'Bearer ' } });
  expect(empty.status).toBe(401);
  expect(await empty.json()).toMatchObject({ code: 'PGRST301', message: 'Empty JWT is sent in Authorization header' });
});

test('a validly signed token claiming a role the authenticator cannot become is refused (no data)', async () => {
  for (const role of ['postgres', 'rounds_migrator']) {
    const token = await mintToken({ role });
    const { data, error, status } = await client(anonKey, token).from('contract_secrets').select();
    expect(status).toBe(403);
    expect(data).toBeNull();
    expect(error).toMatchObject({ code: '42501', message: `permission denied to set role "${role}"` });
  }
});

test('a role claim that does not exist → 401 (22023)', async () => {
  const token = await mintToken({ role: 'no_such_role' });
  const { error, status } = await client(anonKey, token).from('contract_items').select('id');
  expect(status).toBe(401);
  expect(error).toMatchObject({ code: '22023', message: 'role "no_such_role" does not exist' });
});

test('the apikey header does not pick the role; the bearer token does', async () => {
  // service key as apikey but no Authorization: PostgREST sees anon.
  const res = await rest('/contract_secrets', { headers: { apikey: serviceKey } });
  expect(res.status).toBe(401);
  const svc = await admin().from('contract_secrets').select('secret');
  expect(svc.data).toEqual([{ secret: 'the-secret' }]);
});
