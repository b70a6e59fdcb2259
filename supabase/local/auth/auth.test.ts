/**
 * Contract tests: the real supabase-js (auth-js 2.119.1) against the shared local server (/auth/v1).
 * Nothing here depends on the app's migrations (profiles, triggers) or on the REST layer.
 */
import { expect, inject, test } from 'vitest';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { isAuthApiError, isAuthSessionMissingError, isAuthWeakPasswordError, type SupabaseClient } from '@supabase/supabase-js';
import { admin, anonKey, apiUrl, client, serviceKey, uniqueEmail } from '../../../tests/helpers.ts';
import { DEMO_JWT_SECRET } from '../config.ts';

const PASSWORD = 'correct-horse-battery';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function signUp(c: SupabaseClient = client(), email = uniqueEmail('auth'), data: Record<string, unknown> = {}) {
  const { data: out, error } = await c.auth.signUp({ email, password: PASSWORD, options: { data } });
  if (error || !out.session || !out.user) throw new Error(`signUp failed: ${error?.message ?? 'no session'}`);
  return { email, session: out.session, user: out.user };
}

/** GET /user on the wire: supabase-js turns 403 session_not_found into a code-less AuthSessionMissingError. */
async function wireGetUser(token: string): Promise<{ status: number; code: string | null }> {
  const res = await authFetch('/user', { headers: { authorization: `Bearer ${token}`, 'x-supabase-api-version': '2024-01-01' } });
  return { status: res.status, code: res.headers.get('x-sb-error-code') };
}

/** Raw request to /auth/v1 (for headers and bodies supabase-js does not expose). */
function authFetch(path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
  return fetch(`${apiUrl()}/auth/v1${path}`, {
    method: init.method ?? 'GET',
    headers: { apikey: anonKey, 'content-type': 'application/json', ...init.headers },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
}

test('signUp autoconfirms and returns a session with GoTrue user JSON', async () => {
  const email = uniqueEmail('Shape').replace('shape', 'ShApE');
  const { session, user } = await signUp(client(), email, { display_name: 'Ada' });
  expect(user.id).toMatch(UUID);
  expect(user.aud).toBe('authenticated');
  expect(user.role).toBe('authenticated');
  expect(user.email).toBe(email.toLowerCase());
  expect(user.phone).toBe('');
  expect(user.email_confirmed_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  expect(user.confirmed_at).toBe(user.email_confirmed_at);
  expect(user.last_sign_in_at).toBeTruthy();
  expect(user.app_metadata).toEqual({ provider: 'email', providers: ['email'] });
  expect(user.user_metadata).toEqual({ display_name: 'Ada', email_verified: true });
  expect(user.identities).toHaveLength(1);
  expect(user.identities?.[0]).toMatchObject({
    id: user.id,
    user_id: user.id,
    provider: 'email',
    email: email.toLowerCase(),
    identity_data: { sub: user.id, email: email.toLowerCase(), email_verified: true, phone_verified: false },
  });
  expect(user.is_anonymous).toBe(false);
  expect(session.token_type).toBe('bearer');
  expect(session.expires_in).toBe(3600);
  expect(session.expires_at).toBeGreaterThan(Date.now() / 1000 + 3500);
  expect(session.refresh_token).toMatch(/^[\w-]{16,}$/);
});

test('duplicate signUp (any letter case) fails with user_already_exists 422', async () => {
  const { email } = await signUp();
  const { data, error } = await client().auth.signUp({ email: email.toUpperCase(), password: PASSWORD });
  expect(data.session).toBeNull();
  expect(isAuthApiError(error)).toBe(true);
  expect(error?.code).toBe('user_already_exists');
  expect(error?.status).toBe(422);
  expect(error?.message).toBe('User already registered');
});

test('a short password is an AuthWeakPasswordError with reasons', async () => {
  const { error } = await client().auth.signUp({ email: uniqueEmail('weak'), password: '12345' });
  expect(isAuthWeakPasswordError(error)).toBe(true);
  expect(error?.status).toBe(422);
  expect(error?.code).toBe('weak_password');
  if (isAuthWeakPasswordError(error)) expect(error.reasons).toEqual(['length']);
});

test('an invalid email is 400 validation_failed', async () => {
  const { error } = await client().auth.signUp({ email: 'not-an-email', password: PASSWORD });
  expect(error?.status).toBe(400);
  expect(error?.code).toBe('validation_failed');
  expect(error?.message).toBe('Unable to validate email address: invalid format');
});

test('anonymous sign-in is refused as disabled', async () => {
  const { error } = await client().auth.signInAnonymously();
  expect(error?.status).toBe(422);
  expect(error?.code).toBe('anonymous_provider_disabled');
});

test('signInWithPassword: wrong password and unknown email are both invalid_credentials 400', async () => {
  const { email } = await signUp();
  const wrong = await client().auth.signInWithPassword({ email, password: 'wrong-password' });
  expect(wrong.error?.code).toBe('invalid_credentials');
  expect(wrong.error?.status).toBe(400);
  expect(wrong.error?.message).toBe('Invalid login credentials');
  const unknown = await client().auth.signInWithPassword({ email: uniqueEmail('nobody'), password: PASSWORD });
  expect(unknown.error?.code).toBe('invalid_credentials');
  expect(unknown.error?.status).toBe(400);

  const ok = await client().auth.signInWithPassword({ email: email.toUpperCase(), password: PASSWORD });
  expect(ok.error).toBeNull();
  expect(ok.data.user?.email).toBe(email);
  expect(ok.data.session?.access_token).toBeTruthy();
});

test('access token claims are exactly GoTrue’s, HS256 with the JWT secret', async () => {
  const { session, user } = await signUp(client(), uniqueEmail('claims'), { display_name: 'C' });
  const header = decodeProtectedHeader(session.access_token);
  expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
  const { payload } = await jwtVerify(session.access_token, new TextEncoder().encode(DEMO_JWT_SECRET));
  expect(Object.keys(payload).sort()).toEqual(
    ['aal', 'amr', 'app_metadata', 'aud', 'email', 'exp', 'iat', 'is_anonymous', 'iss', 'phone', 'role', 'session_id', 'sub', 'user_metadata'].sort(),
  );
  expect(payload).toMatchObject({
    sub: user.id,
    aud: 'authenticated',
    email: user.email,
    phone: '',
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: { display_name: 'C', email_verified: true },
    role: 'authenticated',
    aal: 'aal1',
    is_anonymous: false,
  });
  // The issuer is `${apiUrl}/auth/v1`, the URL the server actually listens on.
  expect(payload.iss).toBe(`${inject('apiUrl')}/auth/v1`);
  expect(payload.session_id).toMatch(UUID);
  expect(payload.exp).toBe((payload.iat ?? 0) + 3600);
  expect(session.expires_at).toBe(payload.exp);
  const amr = decodeJwt(session.access_token)['amr'];
  expect(amr).toEqual([{ method: 'password', timestamp: expect.any(Number) }]);
});

test('getUser returns the user; updateUser merges data and never touches app_metadata', async () => {
  const c = client();
  const { user } = await signUp(c, uniqueEmail('update'), { display_name: 'Before', keep: 1, drop: 'x' });
  const got = await c.auth.getUser();
  expect(got.error).toBeNull();
  expect(got.data.user?.id).toBe(user.id);

  const upd = await c.auth.updateUser({ data: { display_name: 'After', drop: null, added: true } });
  expect(upd.error).toBeNull();
  expect(upd.data.user?.user_metadata).toEqual({ display_name: 'After', keep: 1, added: true, email_verified: true });

  // A hand-made request that tries to grant itself a role through app_metadata.
  const { data: s } = await c.auth.getSession();
  const res = await authFetch('/user', {
    method: 'PUT',
    headers: { authorization: `Bearer ${s.session?.access_token ?? ''}` },
    body: JSON.stringify({ app_metadata: { role: 'instructor' }, data: { more: 1 } }),
  });
  expect(res.status).toBe(200);
  const body: unknown = await res.json();
  expect(body).toMatchObject({ app_metadata: { provider: 'email', providers: ['email'] }, user_metadata: { more: 1 } });
  expect(body).not.toHaveProperty('app_metadata.role');
});

test('updateUser password: weak, same and new password', async () => {
  const c = client();
  const { email } = await signUp(c);
  const weak = await c.auth.updateUser({ password: '123' });
  expect(isAuthWeakPasswordError(weak.error)).toBe(true);
  const same = await c.auth.updateUser({ password: PASSWORD });
  expect(same.error?.code).toBe('same_password');
  expect(same.error?.status).toBe(422);
  const changed = await c.auth.updateUser({ password: 'a-brand-new-password' });
  expect(changed.error).toBeNull();
  expect((await client().auth.signInWithPassword({ email, password: PASSWORD })).error?.code).toBe('invalid_credentials');
  expect((await client().auth.signInWithPassword({ email, password: 'a-brand-new-password' })).error).toBeNull();
});

test('refreshSession rotates A→B→C; the parent of the active token gets the active token back', async () => {
  const c = client();
  const { session: a } = await signUp(c);
  const b = await c.auth.refreshSession({ refresh_token: a.refresh_token });
  expect(b.error).toBeNull();
  const bToken = b.data.session?.refresh_token ?? '';
  const cRes = await c.auth.refreshSession({ refresh_token: bToken });
  const cToken = cRes.data.session?.refresh_token ?? '';
  expect(new Set([a.refresh_token, bToken, cToken]).size).toBe(3);
  expect(decodeJwt(cRes.data.session?.access_token ?? '').session_id).toBe(decodeJwt(a.access_token).session_id);

  // B is the parent of the active C: a client that lost C's response gets C again.
  const again = await client().auth.refreshSession({ refresh_token: bToken });
  expect(again.error).toBeNull();
  expect(again.data.session?.refresh_token).toBe(cToken);

  // A was revoked seconds ago (inside the 10 s reuse interval): a new token, not an error.
  const reuse = await client().auth.refreshSession({ refresh_token: a.refresh_token });
  expect(reuse.error).toBeNull();
  expect([a.refresh_token, bToken, cToken]).not.toContain(reuse.data.session?.refresh_token);
});

test('an unknown refresh token is refresh_token_not_found 400', async () => {
  const { error } = await client().auth.refreshSession({ refresh_token: 'does-not-exist' });
  expect(error?.code).toBe('refresh_token_not_found');
  expect(error?.status).toBe(400);
});

test('signOut ends the session: its access token gets 403 session_not_found and its refresh token is gone', async () => {
  const c = client();
  const { session } = await signUp(c);
  expect((await c.auth.signOut()).error).toBeNull();
  expect(await wireGetUser(session.access_token)).toEqual({ status: 403, code: 'session_not_found' });
  const after = await client().auth.getUser(session.access_token);
  expect(isAuthSessionMissingError(after.error)).toBe(true);
  const refresh = await client().auth.refreshSession({ refresh_token: session.refresh_token });
  expect(refresh.error?.code).toBe('refresh_token_not_found');
});

test('signOut scopes: local ends only this session, others keeps only this one', async () => {
  const { email, session: first } = await signUp();
  const signIn = async () => {
    const c = client();
    const { data, error } = await c.auth.signInWithPassword({ email, password: PASSWORD });
    if (error || !data.session) throw new Error('sign in failed');
    return { c, session: data.session };
  };
  const second = await signIn();
  const third = await signIn();
  expect((await second.c.auth.signOut({ scope: 'local' })).error).toBeNull();
  expect(await wireGetUser(second.session.access_token)).toEqual({ status: 403, code: 'session_not_found' });
  expect((await client().auth.getUser(first.access_token)).error).toBeNull();

  expect((await third.c.auth.signOut({ scope: 'others' })).error).toBeNull();
  expect(await wireGetUser(first.access_token)).toEqual({ status: 403, code: 'session_not_found' });
  expect((await client().auth.getUser(third.session.access_token)).error).toBeNull();
});

test('GET /user: 401 without a bearer, 403 bad_jwt for the anon key or a forged token', async () => {
  const none = await authFetch('/user', { headers: { 'x-supabase-api-version': '2024-01-01' } });
  expect(none.status).toBe(401);
  expect(await none.json()).toEqual({ code: 'no_authorization', message: 'This endpoint requires a valid Bearer token' });

  const anon = await client().auth.getUser(anonKey);
  expect(anon.error?.status).toBe(403);
  expect(anon.error?.code).toBe('bad_jwt');

  const { session } = await signUp();
  const [h, p] = session.access_token.split('.');
  const forged = await client().auth.getUser(`${h}.${p}.c2lnbmF0dXJl`);
  expect(forged.error?.status).toBe(403);
  expect(forged.error?.code).toBe('bad_jwt');
});

test('errors: 2024-01-01 shape with version headers when asked, legacy shape otherwise', async () => {
  const body = JSON.stringify({ email: uniqueEmail('nobody'), password: 'whatever-password' });
  const modern = await authFetch('/token?grant_type=password', { method: 'POST', body, headers: { 'x-supabase-api-version': '2024-01-01' } });
  expect(modern.status).toBe(400);
  expect(modern.headers.get('x-supabase-api-version')).toBe('2024-01-01');
  expect(modern.headers.get('x-sb-error-code')).toBe('invalid_credentials');
  expect(await modern.json()).toEqual({ code: 'invalid_credentials', message: 'Invalid login credentials' });

  const legacy = await authFetch('/token?grant_type=password', { method: 'POST', body });
  expect(legacy.status).toBe(400);
  expect(legacy.headers.get('x-supabase-api-version')).toBeNull();
  expect(legacy.headers.get('x-sb-error-code')).toBe('invalid_credentials');
  expect(await legacy.json()).toEqual({ code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' });
});

test('malformed requests are 4xx, never 500', async () => {
  const v = { 'x-supabase-api-version': '2024-01-01' };
  const cases: [string, { method: string; body?: string; headers?: Record<string, string> }, number, string][] = [
    ['/signup', { method: 'POST', body: '{nope' }, 400, 'bad_json'],
    ['/signup', { method: 'POST', body: '' }, 400, 'bad_json'],
    ['/signup', { method: 'POST', body: '{"email":42,"password":"x"}' }, 400, 'bad_json'],
    ['/signup', { method: 'POST', body: '[]' }, 400, 'bad_json'],
    ['/signup', { method: 'POST', body: JSON.stringify({ email: uniqueEmail(), password: 'p'.repeat(73) }) }, 400, 'validation_failed'],
    ['/signup', { method: 'POST', body: JSON.stringify({ email: uniqueEmail() }) }, 400, 'validation_failed'],
    ['/token?grant_type=password', { method: 'POST', body: '{}' }, 400, 'validation_failed'],
    ['/token?grant_type=refresh_token', { method: 'POST', body: '{}' }, 400, 'validation_failed'],
    ['/token?grant_type=magic', { method: 'POST', body: '{}' }, 400, 'invalid_credentials'],
    ['/logout?scope=everyone', { method: 'POST' }, 400, 'validation_failed'],
    ['/user', { method: 'GET', headers: { authorization: 'Bearer a.b' } }, 403, 'bad_jwt'],
    ['/admin/users/not-a-uuid', { method: 'GET', headers: { authorization: `Bearer ${serviceKey}` } }, 404, 'validation_failed'],
    ['/nope', { method: 'GET' }, 404, 'not_found'],
    ['/signup', { method: 'GET' }, 405, 'method_not_allowed'],
  ];
  for (const [path, init, status, code] of cases) {
    const res = await authFetch(path, { ...init, headers: { ...v, ...init.headers } });
    expect({ path, status: res.status, code: res.headers.get('x-sb-error-code') }).toEqual({ path, status, code });
  }
});

test('open endpoints: health, settings, jwks need no apikey', async () => {
  const get = (p: string) => fetch(`${apiUrl()}/auth/v1${p}`);
  const health = await get('/health');
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ name: 'GoTrue' });
  const settings = await get('/settings');
  expect(await settings.json()).toMatchObject({ disable_signup: false, mailer_autoconfirm: true, external: { email: true } });
  expect(await (await get('/.well-known/jwks.json')).json()).toEqual({ keys: [] });
});

test('admin: createUser / getUserById / updateUserById / listUsers / deleteUser', async () => {
  const email = uniqueEmail('admin-made');
  const created = await admin().auth.admin.createUser({
    email,
    password: PASSWORD,
    email_confirm: true,
    user_metadata: { display_name: 'Made' },
    app_metadata: { role: 'instructor' },
  });
  expect(created.error).toBeNull();
  const id = created.data.user?.id ?? '';
  expect(created.data.user?.app_metadata).toEqual({ provider: 'email', providers: ['email'], role: 'instructor' });
  expect(created.data.user?.user_metadata).toEqual({ display_name: 'Made', email_verified: true });

  const signedIn = await client().auth.signInWithPassword({ email, password: PASSWORD });
  expect(signedIn.error).toBeNull();
  expect(decodeJwt(signedIn.data.session?.access_token ?? '').app_metadata).toMatchObject({ role: 'instructor' });

  const dup = await admin().auth.admin.createUser({ email, password: PASSWORD });
  expect(dup.error?.code).toBe('email_exists');
  expect(dup.error?.status).toBe(422);

  const byId = await admin().auth.admin.getUserById(id);
  expect(byId.data.user?.email).toBe(email);

  const upd = await admin().auth.admin.updateUserById(id, { app_metadata: { role: null, cohort: 'A' }, user_metadata: { x: 1 } });
  expect(upd.error).toBeNull();
  expect(upd.data.user?.app_metadata).toEqual({ provider: 'email', providers: ['email'], cohort: 'A' });
  expect(upd.data.user?.user_metadata).toEqual({ display_name: 'Made', email_verified: true, x: 1 });

  const listed = await admin().auth.admin.listUsers({ page: 1, perPage: 1000 });
  expect(listed.error).toBeNull();
  expect(listed.data.users.some((u) => u.id === id)).toBe(true);

  const token = signedIn.data.session?.access_token ?? '';
  const del = await admin().auth.admin.deleteUser(id);
  expect(del.error).toBeNull();
  const gone = await client().auth.getUser(token);
  expect(gone.error?.status).toBe(403);
  expect(gone.error?.code).toBe('user_not_found');
  expect((await admin().auth.admin.getUserById(id)).error?.status).toBe(404);
  expect((await admin().auth.admin.deleteUser(id)).error?.code).toBe('user_not_found');
});

test('admin: an unconfirmed user cannot sign in; a banned user neither', async () => {
  const email = uniqueEmail('unconfirmed');
  const made = await admin().auth.admin.createUser({ email, password: PASSWORD });
  expect(made.data.user?.email_confirmed_at).toBeUndefined();
  expect((await client().auth.signInWithPassword({ email, password: PASSWORD })).error?.code).toBe('email_not_confirmed');

  const id = made.data.user?.id ?? '';
  await admin().auth.admin.updateUserById(id, { email_confirm: true });
  const ok = await client().auth.signInWithPassword({ email, password: PASSWORD });
  expect(ok.error).toBeNull();

  const banned = await admin().auth.admin.updateUserById(id, { ban_duration: '24h' });
  expect(banned.data.user?.banned_until).toBeTruthy();
  expect((await client().auth.signInWithPassword({ email, password: PASSWORD })).error?.code).toBe('user_banned');
  expect((await client().auth.refreshSession({ refresh_token: ok.data.session?.refresh_token ?? '' })).error?.code).toBe(
    'refresh_token_not_found',
  );
  await admin().auth.admin.updateUserById(id, { ban_duration: 'none' });
  expect((await client().auth.signInWithPassword({ email, password: PASSWORD })).error).toBeNull();
});

test('admin endpoints refuse the anon key and user tokens with 403 not_admin', async () => {
  const anonAdmin = await client().auth.admin.createUser({ email: uniqueEmail('sneaky'), password: PASSWORD });
  expect(anonAdmin.error?.status).toBe(403);
  expect(anonAdmin.error?.code).toBe('not_admin');

  const { session } = await signUp();
  const asUser = client(anonKey, session.access_token);
  const list = await asUser.auth.admin.listUsers();
  expect(list.error?.code).toBe('not_admin');
  const { user } = await signUp();
  expect((await asUser.auth.admin.deleteUser(user.id)).error?.code).toBe('not_admin');
});
