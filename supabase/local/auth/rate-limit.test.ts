/**
 * End-to-end check of the auth rate limit and lockout through the real HTTP gateway (its own server with
 * low limits; client IPs come from X-Forwarded-For, as the gateway reads them). Window expiry is covered
 * with a fake clock in auth-clock.test.ts and limiter.test.ts.
 */
import { afterAll, expect, test } from 'vitest';
import { randomUUID } from 'node:crypto';
import { DEMO_ANON_KEY } from '../config.ts';
import { createFreshDatabase, dropDatabase } from '../db.ts';
import { startServer } from '../server.ts';
import { createTestClient } from '../test-client.ts';

const PASSWORD = 'correct-horse-battery';
const LIMIT = 8;

const databaseUrl = process.env.DATABASE_URL ? await createFreshDatabase(process.env.DATABASE_URL, 'rounds_auth_rl') : undefined;
const server = await startServer({
  trustProxy: true,
  port: 0,
  dataDir: 'memory://',
  databaseUrl,
  seed: false,
  logRequests: false,
  rateLimitSignInSignUps: LIMIT,
  rateLimitTokenRefresh: 2,
});
afterAll(async () => {
  await server.close();
  if (databaseUrl) await dropDatabase(databaseUrl);
});

const email = (tag: string): string => `${tag}-${randomUUID().slice(0, 8)}@test.local`;

const clientFrom = (ip: string) => createTestClient(server.url, { ip });

function signIn(ip: string, body: Record<string, string>) {
  return fetch(`${server.url}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: DEMO_ANON_KEY, 'content-type': 'application/json', 'x-supabase-api-version': '2024-01-01', 'x-forwarded-for': ip },
    body: JSON.stringify(body),
  });
}

test('the ninth sign-in/sign-up from one IP within 5 minutes is 429 over_request_rate_limit with Retry-After', async () => {
  const ip = '192.0.2.10';
  const address = email('http-rate');
  expect((await clientFrom(ip).auth.signUp({ email: address, password: PASSWORD })).error).toBeNull();
  for (let i = 1; i < LIMIT; i++) expect((await signIn(ip, { email: address, password: PASSWORD })).status).toBe(200);
  const over = await signIn(ip, { email: address, password: PASSWORD });
  expect(over.status).toBe(429);
  expect(over.headers.get('retry-after')).toMatch(/^(29\d|300)$/);
  expect(over.headers.get('x-sb-error-code')).toBe('over_request_rate_limit');
  expect(over.headers.get('access-control-expose-headers')).toContain('Retry-After');
  expect(await over.json()).toEqual({ code: 'over_request_rate_limit', message: 'Request rate limit reached' });

  const viaJs = await clientFrom(ip).auth.signUp({ email: email('http-rate'), password: PASSWORD });
  expect(viaJs.error?.code).toBe('over_request_rate_limit');
  expect(viaJs.error?.status).toBe(429);
  expect((await signIn('192.0.2.11', { email: address, password: PASSWORD })).status).toBe(200);
});

test('five wrong passwords lock that email for that IP, even for the right password', async () => {
  const address = email('http-lock');
  expect((await clientFrom('192.0.2.20').auth.signUp({ email: address, password: PASSWORD })).error).toBeNull();
  const attacker = '192.0.2.21';
  for (let i = 0; i < 5; i++) expect((await signIn(attacker, { email: address, password: 'wrong-password' })).status).toBe(400);
  const locked = await signIn(attacker, { email: address, password: PASSWORD });
  expect(locked.status).toBe(429);
  expect(locked.headers.get('retry-after')).toBe('900');
  expect((await signIn('192.0.2.22', { email: address, password: PASSWORD })).status).toBe(200);
});

test('token refreshes have their own per-IP limit', async () => {
  const ip = '192.0.2.30';
  const { data } = await clientFrom(ip).auth.signUp({ email: email('http-refresh'), password: PASSWORD });
  let token = data.session?.refresh_token ?? '';
  for (let i = 0; i < 2; i++) {
    const r = await clientFrom(ip).auth.refreshSession({ refresh_token: token });
    expect(r.error).toBeNull();
    token = r.data.session?.refresh_token ?? '';
  }
  const over = await clientFrom(ip).auth.refreshSession({ refresh_token: token });
  expect(over.error?.code).toBe('over_request_rate_limit');
  expect(over.error?.status).toBe(429);
});
