/**
 * Tokens the API must refuse: signed with another secret, expired, tampered, `alg: none`, and a validly
 * signed token that claims a role the API login may not switch to (postgres, the migrator).
 */
import { expect, test } from 'vitest';
import { SignJWT } from 'jose';
import { anonKey, apiUrl, client, createUser } from './helpers.ts';
import { signJwt } from '../supabase/local/jwt.ts';
import { DEMO_JWT_SECRET } from '../supabase/local/config.ts';

const now = () => Math.floor(Date.now() / 1000);

async function restGet(token: string, path = 'answers?select=id') {
  const res = await fetch(`${apiUrl()}/rest/v1/${path}`, { headers: { apikey: anonKey, Authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.text(), www: res.headers.get('www-authenticate') };
}

test('a token signed with another secret is refused with 401', async () => {
  const user = await createUser();
  const forged = await new SignJWT({ sub: user.id, role: 'authenticated', aud: 'authenticated', exp: now() + 600 })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode('not-the-secret-not-the-secret-not-the-secret'));
  const r = await restGet(forged);
  expect(r.status).toBe(401);
  expect(r.www).toContain('invalid_token');
});

test('an expired token is refused with 401 PGRST303', async () => {
  const user = await createUser();
  const expired = await signJwt({ sub: user.id, role: 'authenticated', aud: 'authenticated', iat: now() - 7200, exp: now() - 3600 }, DEMO_JWT_SECRET);
  const r = await restGet(expired);
  expect(r.status).toBe(401);
  expect(JSON.parse(r.body)).toMatchObject({ code: 'PGRST303', message: 'JWT expired' });
});

test('a tampered payload (another user id) is refused with 401', async () => {
  const [a, b] = await Promise.all([createUser(), createUser()]);
  const [h, , s] = a.accessToken.split('.');
  const payload = JSON.parse(Buffer.from(a.accessToken.split('.')[1] ?? '', 'base64url').toString('utf8'));
  const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: b.id })).toString('base64url')}.${s}`;
  const r = await restGet(tampered);
  expect(r.status).toBe(401);
});

test('an unsigned token (alg none) is refused with 401', async () => {
  const user = await createUser();
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ sub: user.id, role: 'authenticated', exp: now() + 600 })}.`;
  const r = await restGet(unsigned);
  expect(r.status).toBe(401);
});

test('a validly signed token claiming role postgres or the migrator gets no data', async () => {
  for (const role of ['postgres', 'rounds_migrator', 'supabase_admin']) {
    const token = await signJwt({ sub: '00000000-0000-4000-8000-000000000002', role, exp: now() + 600 }, DEMO_JWT_SECRET);
    const r = await restGet(token, 'answers?select=id&limit=1');
    expect([401, 403]).toContain(r.status);
    expect(r.body).not.toMatch(/"id":"[0-9a-f-]{36}"/);
  }
});

test('GoTrue refuses forged tokens too', async () => {
  const forged = await signJwt({ sub: '00000000-0000-4000-8000-000000000002', role: 'authenticated', exp: now() + 600 }, 'x'.repeat(40));
  const { error } = await client().auth.getUser(forged);
  expect(error?.status).toBe(403);
});
