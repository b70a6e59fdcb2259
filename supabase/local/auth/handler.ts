/**
 * `/auth/v1`: the subset of GoTrue that supabase-js uses (docs/local-server.md#auth).
 *
 * Signup is always autoconfirmed (the CLI default), users and sessions live in the real auth.* tables so
 * foreign keys and `after insert on auth.users` triggers from the app's migrations behave as on Supabase.
 * All database work runs through `engine.admin` (GoTrue's supabase_auth_admin), one transaction per
 * step; bcrypt runs outside transactions so PGlite's single connection is not held while hashing.
 * Not implemented (answered with GoTrue's errors): anonymous and phone sign-in, OTP/magic links,
 * recovery, email change, OAuth/SSO, MFA, PKCE.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ServerConfig } from '../config.ts';
import { asPgError, type Engine } from '../db.ts';
import { json, type ApiRequest, type ApiResponse, type Handler } from '../http.ts';
import { handleAdmin } from './admin.ts';
import { checkPasswordStrength, hashPassword, validateEmail, verifyPassword } from './credentials.ts';
import { createAuthLimiter, type AuthLimiter } from './limiter.ts';
import { AuthError, errorResponse, mergeMetadata, metadataSchema, parseBody, rateLimited } from './protocol.ts';
import {
  endSessions,
  isoAt,
  loadAuthenticated,
  refreshGrant,
  startSession,
  verifyBearer,
  type AuthContext,
} from './sessions.ts';
import { findUserByEmail, findUserById, insertUser, isBanned, updateUser, userJson } from './users.ts';

export interface AuthHandlerOptions {
  /** Clock in ms since epoch; tests pass a fake one to cross rate-limit, lockout and reuse windows. */
  now?: () => number;
  /** Replaces the limiter built from `config` (tests). */
  limiter?: AuthLimiter;
}

const signupSchema = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
  data: metadataSchema,
});

const passwordGrantSchema = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
});

const refreshGrantSchema = z.object({ refresh_token: z.string().nullish() });

const updateUserSchema = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
  data: metadataSchema,
});

async function signup(ctx: AuthContext, req: ApiRequest): Promise<ApiResponse> {
  const gate = ctx.limiter.hit('sign_in_sign_ups', req.ip);
  if (!gate.ok) throw rateLimited(gate.retryAfterSec);
  if (!ctx.config.enableSignup) throw new AuthError(422, 'signup_disabled', 'Signups not allowed for this instance');
  const body = parseBody(req, signupSchema);
  // GoTrue's order: anonymous/phone branches, then password rules, then the email.
  if (!body.email && !body.phone) throw new AuthError(422, 'anonymous_provider_disabled', 'Anonymous sign-ins are disabled');
  if (!body.email) throw new AuthError(422, 'phone_provider_disabled', 'Phone signups are disabled');
  if (!body.password) throw new AuthError(400, 'validation_failed', 'Signup requires a valid password');
  checkPasswordStrength(body.password, ctx.config.minimumPasswordLength);
  const email = validateEmail(body.email);
  const passwordHash = await hashPassword(body.password);
  const nowIso = isoAt(ctx.now());
  const session = await ctx.engine.admin(async (tx) => {
    if (await findUserByEmail(tx, email)) throw new AuthError(422, 'user_already_exists', 'User already registered');
    const id = randomUUID();
    await insertUser(
      tx,
      {
        id,
        email,
        passwordHash,
        emailConfirmed: true,
        appMetadata: { provider: 'email', providers: ['email'] },
        userMetadata: { ...body.data, email_verified: true },
        nowIso,
      },
      'Database error saving new user',
    );
    return startSession(ctx, tx, id);
  });
  return json(200, session);
}

async function passwordGrant(ctx: AuthContext, req: ApiRequest): Promise<ApiResponse> {
  const gate = ctx.limiter.hit('sign_in_sign_ups', req.ip);
  if (!gate.ok) throw rateLimited(gate.retryAfterSec);
  const body = parseBody(req, passwordGrantSchema);
  if (!body.email) {
    if (body.phone) throw new AuthError(400, 'phone_provider_disabled', 'Phone logins are disabled');
    throw new AuthError(400, 'validation_failed', 'missing email or phone');
  }
  const email = body.email.toLowerCase();
  const locked = ctx.limiter.lockout(email, req.ip);
  if (!locked.ok) {
    throw rateLimited(locked.retryAfterSec, 'Too many failed sign-in attempts for this email, try again later');
  }
  const user = await ctx.engine.admin((tx) => findUserByEmail(tx, email));
  const ok = await verifyPassword(body.password ?? '', user?.encrypted_password);
  if (!user || !ok) {
    ctx.limiter.recordFailure(email, req.ip);
    throw new AuthError(400, 'invalid_credentials', 'Invalid login credentials');
  }
  ctx.limiter.recordSuccess(email, req.ip);
  // Checked after the password, like GoTrue, so strangers learn nothing about the account's state.
  if (!user.email_confirmed_at) throw new AuthError(400, 'email_not_confirmed', 'Email not confirmed');
  if (isBanned(user, ctx.now())) throw new AuthError(400, 'user_banned', 'User is banned');
  try {
    return json(200, await ctx.engine.admin((tx) => startSession(ctx, tx, user.id)));
  } catch (e) {
    // Deleted between the lookup and the session insert (FK violation): the credentials no longer exist.
    if (asPgError(e)?.code === '23503') {
      throw new AuthError(400, 'invalid_credentials', 'Invalid login credentials');
    }
    throw e;
  }
}

async function token(ctx: AuthContext, req: ApiRequest): Promise<ApiResponse> {
  const grant = req.url.searchParams.get('grant_type');
  if (grant === 'password') return passwordGrant(ctx, req);
  if (grant === 'refresh_token') {
    const gate = ctx.limiter.hit('token_refresh', req.ip);
    if (!gate.ok) throw rateLimited(gate.retryAfterSec);
    const body = parseBody(req, refreshGrantSchema);
    if (!body.refresh_token) throw new AuthError(400, 'validation_failed', 'refresh_token required');
    return json(200, await refreshGrant(ctx, body.refresh_token));
  }
  // GoTrue answers unknown grants with this code and the OAuth error name as message.
  throw new AuthError(400, 'invalid_credentials', 'unsupported_grant_type');
}

async function getUser(ctx: AuthContext, req: ApiRequest): Promise<ApiResponse> {
  const claims = await verifyBearer(ctx, req);
  const { user } = await ctx.engine.admin((tx) => loadAuthenticated(tx, claims));
  return json(200, userJson(user));
}

async function putUser(ctx: AuthContext, req: ApiRequest): Promise<ApiResponse> {
  const claims = await verifyBearer(ctx, req);
  const body = parseBody(req, updateUserSchema);
  const { user } = await ctx.engine.admin((tx) => loadAuthenticated(tx, claims));
  if (body.email && body.email.toLowerCase() !== (user.email ?? '').toLowerCase()) {
    // Changing the address needs GoTrue's confirmation mails, which the local server does not send.
    throw new AuthError(400, 'validation_failed', 'Changing the email address is not supported by the local server');
  }
  if (body.phone && body.phone !== (user.phone ?? '')) throw new AuthError(422, 'phone_provider_disabled', 'Phone logins are disabled');
  let passwordHash: string | undefined;
  if (body.password) {
    checkPasswordStrength(body.password, ctx.config.minimumPasswordLength);
    if (await verifyPassword(body.password, user.encrypted_password)) {
      throw new AuthError(422, 'same_password', 'New password should be different from the old password.');
    }
    passwordHash = await hashPassword(body.password);
  }
  const data = body.data;
  const updated = await ctx.engine.admin(async (tx) => {
    // Re-read under the row lock: the merge must not lose a concurrent update's keys.
    await tx.query('select 1 from auth.users where id = $1::uuid for update', [user.id]);
    const fresh = await findUserById(tx, user.id);
    if (!fresh) throw new AuthError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
    await updateUser(
      tx,
      user.id,
      {
        ...(passwordHash !== undefined ? { passwordHash } : {}),
        ...(data ? { userMetadata: mergeMetadata(fresh.user_metadata, data) } : {}),
      },
      isoAt(ctx.now()),
    );
    return findUserById(tx, user.id);
  });
  if (!updated) throw new AuthError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
  return json(200, userJson(updated));
}

const logoutScope = z.enum(['global', 'local', 'others']);

async function logout(ctx: AuthContext, req: ApiRequest): Promise<ApiResponse> {
  const raw = req.url.searchParams.get('scope') ?? 'global';
  const scope = logoutScope.safeParse(raw);
  if (!scope.success) throw new AuthError(400, 'validation_failed', `Unsupported logout scope ${JSON.stringify(raw)}`);
  const claims = await verifyBearer(ctx, req);
  await ctx.engine.admin(async (tx) => {
    const { user, sessionId } = await loadAuthenticated(tx, claims);
    await endSessions(tx, user.id, sessionId, scope.data);
  });
  return { status: 204, headers: {}, body: '' };
}

function settings(config: ServerConfig): ApiResponse {
  return json(200, {
    external: { anonymous_users: false, email: true, phone: false },
    disable_signup: !config.enableSignup,
    mailer_autoconfirm: true,
    phone_autoconfirm: false,
    sms_provider: '',
    saml_enabled: false,
  });
}

async function route(ctx: AuthContext, req: ApiRequest): Promise<ApiResponse> {
  const path = req.url.pathname.replace(/^\/auth\/v1/, '').replace(/\/+$/, '') || '/';
  const m = req.method.toUpperCase();
  const allow = (methods: string[]): void => {
    if (!methods.includes(m)) throw new AuthError(405, 'method_not_allowed', `Method ${m} not allowed on ${path}`);
  };
  switch (path) {
    case '/signup':
      allow(['POST']);
      return signup(ctx, req);
    case '/token':
      allow(['POST']);
      return token(ctx, req);
    case '/user':
      allow(['GET', 'PUT']);
      return m === 'GET' ? getUser(ctx, req) : putUser(ctx, req);
    case '/logout':
      allow(['POST']);
      return logout(ctx, req);
    case '/health':
      return json(200, { version: 'rounds-local', name: 'GoTrue', description: 'GoTrue is a user registration and authentication API' });
    case '/settings':
      return settings(ctx.config);
    case '/.well-known/jwks.json':
      // HS256 only: there is no public key to publish (auth-js then verifies through GET /user).
      return json(200, { keys: [] });
  }
  if (path === '/admin/users' || path.startsWith('/admin/users/')) return handleAdmin(ctx, req, path, m);
  throw new AuthError(404, 'not_found', 'Not found');
}

export function createAuthHandler(config: ServerConfig, engine: Engine, options: AuthHandlerOptions = {}): Handler {
  const now = options.now ?? Date.now;
  const limiter =
    options.limiter ??
    createAuthLimiter({
      signInSignUps: config.rateLimitSignInSignUps,
      tokenRefresh: config.rateLimitTokenRefresh,
      lockoutAttempts: config.lockoutAttempts,
      accountLockoutAttempts: config.accountLockoutAttempts,
      lockoutWindowMs: config.lockoutWindowMs,
      now,
    });
  const ctx: AuthContext = { config, engine, limiter, now };
  return {
    async handle(req) {
      try {
        return await route(ctx, req);
      } catch (e) {
        if (e instanceof AuthError) return errorResponse(req, e);
        process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'auth: unexpected failure', error: e instanceof Error ? e.stack : String(e) })}\n`);
        return errorResponse(
          req,
          new AuthError(500, 'unexpected_failure', 'Unexpected failure, please check server logs for more information'),
        );
      }
    },
  };
}
