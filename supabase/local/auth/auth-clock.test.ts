/**
 * Auth behaviour that needs time to pass or its own database: the real supabase-js talks to an auth handler
 * with a fake clock on a private database (see test-stack.ts). Each test uses its own client IPs, because
 * the rate-limit and lockout state is shared by the whole file.
 */
import { afterAll, expect, test } from 'vitest';
import { isAuthRetryableFetchError } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import { DEMO_SERVICE_ROLE_KEY } from '../config.ts';
import { startAuthStack } from './test-stack.ts';

const PASSWORD = 'correct-horse-battery';
const SIGN_IN_LIMIT = 12;
const REFRESH_LIMIT = 6;
const ACCOUNT_LOCKOUT = 10;

const stack = await startAuthStack({
  rateLimitSignInSignUps: SIGN_IN_LIMIT,
  rateLimitTokenRefresh: REFRESH_LIMIT,
  refreshTokenReuseInterval: 10,
  lockoutAttempts: 5,
  // Lower than the default 20 so the test runs fewer bcrypt checks; the default is covered in limiter.test.ts.
  accountLockoutAttempts: ACCOUNT_LOCKOUT,
  lockoutWindowMs: 15 * 60 * 1000,
});
afterAll(() => stack.close());

// A trigger like the app's profile trigger: copies metadata into a table, and fails for marked emails.
await stack.engine.admin((tx) =>
  tx.exec(`
    create table public.auth_test_profiles (id uuid primary key references auth.users (id) on delete cascade, display_name text);
    create function public.auth_test_new_user() returns trigger language plpgsql security definer set search_path = '' as $$
    begin
      if new.email like 'trigger-fail-%' then raise exception 'profile insert failed'; end if;
      insert into public.auth_test_profiles (id, display_name) values (new.id, new.raw_user_meta_data ->> 'display_name');
      return new;
    end $$;
    create trigger auth_test_on_user_created after insert on auth.users for each row execute function public.auth_test_new_user();
  `),
);

const ipCounter = { n: 0 };
/** A client IP no other test has used (rate limits are per IP). */
const freshIp = (): string => `10.1.${Math.floor(++ipCounter.n / 250)}.${ipCounter.n % 250}`;
const email = (tag: string): string => `${tag}-${randomUUID().slice(0, 8)}@test.local`;

async function signUp(tag = 'clock', data: Record<string, unknown> = {}) {
  const address = email(tag);
  const { data: out, error } = await stack.client({ ip: freshIp() }).auth.signUp({ email: address, password: PASSWORD, options: { data } });
  if (error || !out.session || !out.user) throw new Error(`signUp failed: ${error?.message ?? 'no session'}`);
  return { email: address, session: out.session, user: out.user };
}

async function wire(path: string, init: { method?: string; body?: unknown; ip?: string; token?: string } = {}) {
  const res = await stack.fetch(`${stack.url}/auth/v1${path}`, {
    method: init.method ?? 'POST',
    headers: {
      'content-type': 'application/json',
      'x-supabase-api-version': '2024-01-01',
      'x-forwarded-for': init.ip ?? '127.0.0.1',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  const body: unknown = text ? JSON.parse(text) : null;
  return { status: res.status, body, retryAfter: res.headers.get('retry-after'), code: res.headers.get('x-sb-error-code') };
}

test('refresh token reuse after the interval kills the session; the parent of the active token still works before that', async () => {
  const c = stack.client({ ip: freshIp() });
  const { session: a } = await signUp('reuse');
  const b = (await c.auth.refreshSession({ refresh_token: a.refresh_token })).data.session;
  const cSession = (await c.auth.refreshSession({ refresh_token: b?.refresh_token ?? '' })).data.session;
  expect(cSession?.refresh_token).toBeTruthy();

  stack.clock.advance(11_000);
  // B is the parent of the active C: answered with C, however late.
  const late = await stack.client({ ip: freshIp() }).auth.refreshSession({ refresh_token: b?.refresh_token ?? '' });
  expect(late.error).toBeNull();
  expect(late.data.session?.refresh_token).toBe(cSession?.refresh_token);

  // A was revoked 11 s ago and is not C's parent: theft, the session dies.
  const stolen = await stack.client({ ip: freshIp() }).auth.refreshSession({ refresh_token: a.refresh_token });
  expect(stolen.error?.code).toBe('refresh_token_already_used');
  expect(stolen.error?.status).toBe(400);
  expect(stolen.error?.message).toBe('Invalid Refresh Token: Already Used');

  const afterTheft = await stack.client({ ip: freshIp() }).auth.refreshSession({ refresh_token: cSession?.refresh_token ?? '' });
  expect(afterTheft.error?.code).toBe('refresh_token_not_found');
  const user = await wire('/user', { method: 'GET', token: cSession?.access_token ?? '' });
  expect({ status: user.status, code: user.code }).toEqual({ status: 403, code: 'session_not_found' });
});

test('a revoked token reused inside the interval gets a new token, and its revocation time does not move', async () => {
  const c = stack.client({ ip: freshIp() });
  const { session: a } = await signUp('window');
  const b = (await c.auth.refreshSession({ refresh_token: a.refresh_token })).data.session;
  await c.auth.refreshSession({ refresh_token: b?.refresh_token ?? '' });
  stack.clock.advance(6_000);
  const d = await c.auth.refreshSession({ refresh_token: a.refresh_token });
  expect(d.error).toBeNull();
  expect(d.data.session?.refresh_token).not.toBe(b?.refresh_token);
  // D → E: A is no longer the parent of the active token.
  expect((await c.auth.refreshSession({ refresh_token: d.data.session?.refresh_token ?? '' })).error).toBeNull();
  stack.clock.advance(6_000);
  // 12 s after A was first revoked: reusing it at 6 s must not have restarted its window.
  expect((await c.auth.refreshSession({ refresh_token: a.refresh_token })).error?.code).toBe('refresh_token_already_used');
});

test('access tokens expire after jwtExpiry on GET /user', async () => {
  const { session } = await signUp('expiry');
  stack.clock.advance((stack.config.jwtExpiry + 1) * 1000);
  const res = await wire('/user', { method: 'GET', token: session.access_token });
  expect(res.status).toBe(403);
  expect(res.code).toBe('bad_jwt');
  // The refresh token outlives the access token.
  const refreshed = await stack.client({ ip: freshIp() }).auth.refreshSession({ refresh_token: session.refresh_token });
  expect(refreshed.error).toBeNull();
  expect((await wire('/user', { method: 'GET', token: refreshed.data.session?.access_token ?? '' })).status).toBe(200);
});

test('a user seeded by SQL with pgcrypto crypt() signs in (mixed-case email, null metadata, no identity)', async () => {
  const id = randomUUID();
  const address = email('Seeded').replace('seeded', 'SeEdEd');
  await stack.engine.admin((tx) =>
    tx.query(
      `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, created_at, updated_at)
       values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2,
               extensions.crypt($3, extensions.gen_salt('bf')), now(), now(), now())`,
      [id, address, PASSWORD],
    ),
  );
  const c = stack.client({ ip: freshIp() });
  const { data, error } = await c.auth.signInWithPassword({ email: address.toLowerCase(), password: PASSWORD });
  expect(error).toBeNull();
  expect(data.user?.id).toBe(id);
  expect(data.user?.email).toBe(address);
  expect(data.user?.app_metadata).toEqual({});
  expect(data.user?.identities).toEqual([]);
  expect((await c.auth.getUser()).data.user?.id).toBe(id);
  expect((await stack.client({ ip: freshIp() }).auth.signInWithPassword({ email: address, password: 'nope-nope' })).error?.code).toBe(
    'invalid_credentials',
  );
});

test('after-insert triggers on auth.users run in the signup transaction; a failing one rolls it all back as 500', async () => {
  const { user } = await signUp('trigger-ok', { display_name: 'Tri' });
  const { rows } = await stack.engine.admin((tx) => tx.query('select display_name from public.auth_test_profiles where id = $1', [user.id]));
  expect(rows).toEqual([{ display_name: 'Tri' }]);

  const failing = email('trigger-fail');
  const { error } = await stack.client({ ip: freshIp() }).auth.signUp({ email: failing, password: PASSWORD });
  expect(isAuthRetryableFetchError(error)).toBe(true);
  expect(error?.status).toBe(500);
  const raw = await wire('/signup', { body: { email: email('trigger-fail'), password: PASSWORD }, ip: freshIp() });
  expect(raw.status).toBe(500);
  expect(raw.body).toEqual({ code: 'unexpected_failure', message: 'Database error saving new user' });
  const left = await stack.engine.admin((tx) =>
    tx.query(
      `select (select count(*) from auth.users where email like 'trigger-fail-%')::int as users,
              (select count(*) from auth.identities where email like 'trigger-fail-%')::int as identities`,
    ),
  );
  expect(left.rows).toEqual([{ users: 0, identities: 0 }]);

  const adminMade = await stack.client({ key: DEMO_SERVICE_ROLE_KEY }).auth.admin.createUser({ email: email('trigger-fail'), password: PASSWORD });
  expect(adminMade.error?.status).toBe(500);
  expect(adminMade.error?.message).toBe('Database error creating new user');
});

test('lockout: 5 failures lock (email, IP) for 15 minutes, even for the right password; other IPs and emails are unaffected', async () => {
  const victim = await signUp('victim');
  const other = await signUp('other');
  const attacker = freshIp();
  for (let i = 0; i < 5; i++) {
    const r = await wire('/token?grant_type=password', { body: { email: victim.email, password: `wrong-${i}` }, ip: attacker });
    expect(r.status).toBe(400);
    expect(r.code).toBe('invalid_credentials');
  }
  const locked = await wire('/token?grant_type=password', { body: { email: victim.email, password: PASSWORD }, ip: attacker });
  expect(locked.status).toBe(429);
  expect(locked.code).toBe('over_request_rate_limit');
  expect(Number(locked.retryAfter)).toBe(15 * 60);
  // Case and spacing do not open a second counter.
  expect((await wire('/token?grant_type=password', { body: { email: victim.email.toUpperCase(), password: PASSWORD }, ip: attacker })).status).toBe(429);
  const viaJs = await stack.client({ ip: attacker }).auth.signInWithPassword({ email: victim.email, password: PASSWORD });
  expect(viaJs.error?.code).toBe('over_request_rate_limit');
  expect(viaJs.error?.status).toBe(429);

  expect((await wire('/token?grant_type=password', { body: { email: victim.email, password: PASSWORD }, ip: freshIp() })).status).toBe(200);
  expect((await wire('/token?grant_type=password', { body: { email: other.email, password: PASSWORD }, ip: attacker })).status).toBe(200);

  stack.clock.advance(10 * 60 * 1000);
  const later = await wire('/token?grant_type=password', { body: { email: victim.email, password: PASSWORD }, ip: attacker });
  expect(later.status).toBe(429);
  expect(Number(later.retryAfter)).toBe(5 * 60);
  stack.clock.advance(5 * 60 * 1000);
  expect((await wire('/token?grant_type=password', { body: { email: victim.email, password: PASSWORD }, ip: attacker })).status).toBe(200);
});

test('lockout: a successful sign-in before the fifth failure resets the count', async () => {
  const user = await signUp('reset');
  const ip = freshIp();
  const attempt = (password: string) => wire('/token?grant_type=password', { body: { email: user.email, password }, ip });
  for (let i = 0; i < 4; i++) expect((await attempt('wrong-password')).status).toBe(400);
  expect((await attempt(PASSWORD)).status).toBe(200);
  for (let i = 0; i < 4; i++) expect((await attempt('wrong-password')).status).toBe(400);
  expect((await attempt(PASSWORD)).status).toBe(200);
});

test('lockout: guesses spread over many addresses stop at the account-wide cap; the owner gets in when the window passes', async () => {
  const victim = await signUp('spread');
  const guess = (ip: string, password: string) => wire('/token?grant_type=password', { body: { email: victim.email, password }, ip });
  // Issue #14: after one address was locked, other addresses went on guessing. Now the cap counts them all.
  const statuses: number[] = [];
  for (let a = 0; a < 3; a++) {
    const ip = freshIp();
    for (let i = 0; i < 5; i++) statuses.push((await guess(ip, `wrong-${a}-${i}`)).status);
  }
  expect(statuses.filter((s) => s === 400)).toHaveLength(ACCOUNT_LOCKOUT);
  expect(statuses.slice(ACCOUNT_LOCKOUT)).toEqual([429, 429, 429, 429, 429]);
  // Locked for everyone, the right password included: 15 minutes from the failure that reached the cap.
  const owner = await guess(freshIp(), PASSWORD);
  expect(owner.status).toBe(429);
  expect(owner.code).toBe('over_request_rate_limit');
  expect(Number(owner.retryAfter)).toBe(15 * 60);
  stack.clock.advance(15 * 60 * 1000);
  expect((await guess(freshIp(), PASSWORD)).status).toBe(200);
}, 60_000);

test('lockout also counts unknown emails, so it does not reveal which accounts exist', async () => {
  const ip = freshIp();
  const ghost = email('ghost');
  for (let i = 0; i < 5; i++) expect((await wire('/token?grant_type=password', { body: { email: ghost, password: 'x-x-x-x' }, ip })).status).toBe(400);
  expect((await wire('/token?grant_type=password', { body: { email: ghost, password: 'x-x-x-x' }, ip })).status).toBe(429);
});

test('rate limit: sign-ups + password sign-ins per IP per 5 minutes, then 429 with Retry-After until the window passes', async () => {
  const user = await signUp('rate');
  const ip = freshIp();
  stack.clock.advance(1000);
  for (let i = 0; i < SIGN_IN_LIMIT; i++) {
    const r = i % 2 === 0
      ? await wire('/token?grant_type=password', { body: { email: user.email, password: PASSWORD }, ip })
      : await wire('/signup', { body: { email: email('rate-signup'), password: PASSWORD }, ip });
    expect(r.status).toBe(200);
  }
  const over = await wire('/token?grant_type=password', { body: { email: user.email, password: PASSWORD }, ip });
  expect(over.status).toBe(429);
  expect(over.body).toEqual({ code: 'over_request_rate_limit', message: 'Request rate limit reached' });
  expect(Number(over.retryAfter)).toBe(300);
  expect((await wire('/signup', { body: { email: email('rate-signup'), password: PASSWORD }, ip })).status).toBe(429);
  // Another IP has its own budget; refreshes have a separate one.
  expect((await wire('/token?grant_type=password', { body: { email: user.email, password: PASSWORD }, ip: freshIp() })).status).toBe(200);
  expect((await wire('/token?grant_type=refresh_token', { body: { refresh_token: user.session.refresh_token }, ip })).status).toBe(200);

  stack.clock.advance(4 * 60 * 1000);
  expect(Number((await wire('/signup', { body: { email: email('rate-signup'), password: PASSWORD }, ip })).retryAfter)).toBe(60);
  stack.clock.advance(60 * 1000);
  expect((await wire('/token?grant_type=password', { body: { email: user.email, password: PASSWORD }, ip })).status).toBe(200);
});

test('rate limit: token refreshes per IP', async () => {
  const { session } = await signUp('refresh-rate');
  const ip = freshIp();
  let token = session.refresh_token;
  for (let i = 0; i < REFRESH_LIMIT; i++) {
    const r = await wire('/token?grant_type=refresh_token', { body: { refresh_token: token }, ip });
    expect(r.status).toBe(200);
    const next = r.body !== null && typeof r.body === 'object' && 'refresh_token' in r.body ? r.body.refresh_token : undefined;
    token = typeof next === 'string' ? next : '';
  }
  const over = await stack.client({ ip }).auth.refreshSession({ refresh_token: token });
  expect(over.error?.code).toBe('over_request_rate_limit');
  expect(over.error?.status).toBe(429);
});
