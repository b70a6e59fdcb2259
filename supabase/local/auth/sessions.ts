/**
 * Sessions, refresh tokens and access tokens (GoTrue internal/tokens/service.go, internal/api/auth.go).
 *
 * Contract:
 * - A session is one auth.sessions row; its refresh tokens form a chain (`parent` = the token it replaced).
 *   Exactly the newest unrevoked token of a session is "active".
 * - Refresh: the presented token is revoked and a child issued. Presenting a revoked token is allowed when it
 *   is the parent of the active token (the client lost the answer: it gets the active token again, at any
 *   time) or when it was revoked less than `refreshTokenReuseInterval` seconds ago (it gets a new child).
 *   Anything else is treated as theft: the whole session is deleted (tokens cascade) and committed before
 *   the 400 `refresh_token_already_used` goes out, so later presentations of any token of it fail as well
 *   and access tokens carrying its session_id stop working on /user.
 * - Every timestamp comes from the injected clock, so the reuse window can be tested without sleeping.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { jwtVerify, errors, type JWTPayload } from 'jose';
import { z } from 'zod';
import type { ServerConfig } from '../config.ts';
import type { Engine, Queryable } from '../db.ts';
import type { ApiRequest } from '../http.ts';
import { signJwt } from '../jwt.ts';
import type { AuthLimiter } from './limiter.ts';
import { AuthError, bearerToken } from './protocol.ts';
import { findUserById, isBanned, userJson, type UserRow } from './users.ts';

/** What every endpoint needs; `now` is the injectable clock (ms since epoch). */
export interface AuthContext {
  config: ServerConfig;
  engine: Engine;
  limiter: AuthLimiter;
  now: () => number;
}

export const isoAt = (ms: number): string => new Date(ms).toISOString();

export interface SessionJson {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: Record<string, unknown>;
}

/** 128 random bits; GoTrue's tokens are opaque strings too, clients never parse them. */
const newRefreshToken = (): string => randomBytes(16).toString('base64url');

async function accessToken(ctx: AuthContext, user: UserRow, sessionId: string, authTimeSec: number): Promise<{ token: string; exp: number }> {
  const iat = Math.floor(ctx.now() / 1000);
  const exp = iat + ctx.config.jwtExpiry;
  // Claim order and content as GoTrue's AccessTokenClaims (docs/local-server.md#jwts-and-api-keys).
  const token = await signJwt(
    {
      iss: `${ctx.config.apiUrl}/auth/v1`,
      sub: user.id,
      aud: 'authenticated',
      exp,
      iat,
      email: user.email ?? '',
      phone: user.phone ?? '',
      app_metadata: user.app_metadata,
      user_metadata: user.user_metadata,
      role: user.role || 'authenticated',
      aal: 'aal1',
      amr: [{ method: 'password', timestamp: authTimeSec }],
      session_id: sessionId,
      is_anonymous: user.is_anonymous,
    },
    ctx.config.jwtSecret,
  );
  return { token, exp };
}

async function sessionJson(ctx: AuthContext, user: UserRow, sessionId: string, authTimeSec: number, refreshToken: string): Promise<SessionJson> {
  const { token, exp } = await accessToken(ctx, user, sessionId, authTimeSec);
  return {
    access_token: token,
    token_type: 'bearer',
    expires_in: ctx.config.jwtExpiry,
    expires_at: exp,
    refresh_token: refreshToken,
    user: userJson(user),
  };
}

/** Signs `userId` in: last_sign_in_at, a new session and its first refresh token. Runs inside `tx`. */
export async function startSession(ctx: AuthContext, tx: Queryable, userId: string): Promise<SessionJson> {
  const now = ctx.now();
  const nowIso = isoAt(now);
  const sessionId = randomUUID();
  await tx.query('update auth.users set last_sign_in_at = $2::timestamptz where id = $1::uuid', [userId, nowIso]);
  await tx.query(
    `insert into auth.sessions (id, user_id, created_at, updated_at, aal) values ($1::uuid, $2::uuid, $3::timestamptz, $3::timestamptz, 'aal1')`,
    [sessionId, userId, nowIso],
  );
  const refresh = newRefreshToken();
  await tx.query(
    `insert into auth.refresh_tokens (token, user_id, revoked, created_at, updated_at, parent, session_id)
     values ($1, $2, false, $3::timestamptz, $3::timestamptz, null, $4::uuid)`,
    [refresh, userId, nowIso, sessionId],
  );
  const user = await findUserById(tx, userId);
  if (!user) throw new AuthError(500, 'unexpected_failure', 'Database error granting user');
  return sessionJson(ctx, user, sessionId, Math.floor(now / 1000), refresh);
}

const tokenRowSchema = z.object({
  id: z.number(),
  token: z.string(),
  user_id: z.string().nullable(),
  revoked: z.boolean().nullable(),
  parent: z.string().nullable(),
  session_id: z.string(),
  updated_ms: z.number().nullable(),
  session_created_ms: z.number().nullable(),
});

const activeTokenSchema = z.object({ token: z.string(), parent: z.string().nullable() });

type RefreshOutcome = { kind: 'ok'; session: SessionJson } | { kind: 'reused' };

export async function refreshGrant(ctx: AuthContext, presented: string): Promise<SessionJson> {
  const outcome = await ctx.engine.admin(async (tx): Promise<RefreshOutcome> => {
    // Lock the session row first: concurrent refreshes of one session (two tabs, a retry) must see each
    // other's rotation, or both would mint children of the same token.
    const { rows } = await tx.query(
      `select r.id::float8 as id, r.token, r.user_id, r.revoked, r.parent, r.session_id::text as session_id,
         floor(extract(epoch from r.updated_at) * 1000)::float8 as updated_ms,
         floor(extract(epoch from s.created_at) * 1000)::float8 as session_created_ms
       from auth.refresh_tokens r join auth.sessions s on s.id = r.session_id
       where r.token = $1 for update of s, r`,
      [presented],
    );
    if (rows[0] === undefined) throw new AuthError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
    const row = tokenRowSchema.parse(rows[0]);
    const user = row.user_id ? await findUserById(tx, row.user_id) : undefined;
    if (!user) throw new AuthError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
    const now = ctx.now();
    if (isBanned(user, now)) throw new AuthError(400, 'user_banned', 'User is banned');

    let issued: string | undefined;
    if (row.revoked) {
      const active = await tx.query(
        'select token, parent from auth.refresh_tokens where session_id = $1::uuid and revoked = false order by id desc limit 1',
        [row.session_id],
      );
      const current = active.rows[0] === undefined ? undefined : activeTokenSchema.parse(active.rows[0]);
      if (current && current.parent === row.token) {
        issued = current.token;
      } else if (row.updated_ms === null || now > row.updated_ms + ctx.config.refreshTokenReuseInterval * 1000) {
        await tx.query('delete from auth.sessions where id = $1::uuid', [row.session_id]);
        return { kind: 'reused' };
      }
    }
    const nowIso = isoAt(now);
    if (issued === undefined) {
      // A token revoked earlier keeps its revocation time, so repeated reuse cannot stretch the window.
      if (!row.revoked) {
        await tx.query('update auth.refresh_tokens set revoked = true, updated_at = $2::timestamptz where id = $1', [row.id, nowIso]);
      }
      issued = newRefreshToken();
      await tx.query(
        `insert into auth.refresh_tokens (token, user_id, revoked, created_at, updated_at, parent, session_id)
         values ($1, $2, false, $3::timestamptz, $3::timestamptz, $4, $5::uuid)`,
        [issued, user.id, nowIso, row.token, row.session_id],
      );
    }
    await tx.query('update auth.sessions set updated_at = $2::timestamptz where id = $1::uuid', [row.session_id, nowIso]);
    const authTime = Math.floor((row.session_created_ms ?? now) / 1000);
    return { kind: 'ok', session: await sessionJson(ctx, user, row.session_id, authTime, issued) };
  });
  if (outcome.kind === 'reused') throw new AuthError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
  return outcome.session;
}

/**
 * Verifies a bearer JWT with GoTrue's semantics (no clock leeway, messages from internal/api/auth.go).
 * Not `verifyJwt` from ../jwt.ts: that one has PostgREST's 30 s skew and wording, and reads the wall clock
 * instead of the injected one.
 */
export async function verifyBearer(ctx: AuthContext, req: ApiRequest): Promise<JWTPayload> {
  const token = bearerToken(req);
  if (!token) throw new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(ctx.config.jwtSecret), {
      algorithms: ['HS256'],
      currentDate: new Date(ctx.now()),
    });
    return payload;
  } catch (e) {
    const why =
      e instanceof errors.JWTExpired
        ? 'token has invalid claims: token is expired'
        : e instanceof errors.JWSSignatureVerificationFailed
          ? 'signature is invalid'
          : `token is malformed: ${e instanceof Error ? e.message : 'invalid token'}`;
    throw new AuthError(403, 'bad_jwt', `invalid JWT: unable to parse or verify signature, ${why}`);
  }
}

export interface Authenticated {
  user: UserRow;
  /** The token's session, if it names one that still exists. */
  sessionId: string | undefined;
}

/**
 * GoTrue's maybeLoadUserOrSession for user endpoints (/user, /logout), given claims from `verifyBearer`
 * (verified before the transaction opens, so no database time is spent on bad tokens).
 */
export async function loadAuthenticated(tx: Queryable, claims: JWTPayload): Promise<Authenticated> {
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub === '') throw new AuthError(403, 'bad_jwt', 'invalid claim: missing sub claim');
  if (!z.guid().safeParse(sub).success) throw new AuthError(403, 'bad_jwt', 'invalid claim: sub claim must be a UUID');
  const user = await findUserById(tx, sub);
  if (!user) throw new AuthError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
  const sid = claims['session_id'];
  if (typeof sid === 'string' && sid !== '') {
    const { rows } = z.guid().safeParse(sid).success
      ? await tx.query('select 1 from auth.sessions where id = $1::uuid and user_id = $2::uuid', [sid, user.id])
      : { rows: [] };
    if (rows.length === 0) throw new AuthError(403, 'session_not_found', 'Session from session_id claim in JWT does not exist');
    return { user, sessionId: sid };
  }
  return { user, sessionId: undefined };
}

/** POST /logout scopes (GoTrue logout.go): global = every session of the user, local = this one, others = all but this. */
export async function endSessions(tx: Queryable, userId: string, sessionId: string | undefined, scope: 'global' | 'local' | 'others'): Promise<void> {
  if (scope === 'global') {
    await tx.query('delete from auth.sessions where user_id = $1::uuid', [userId]);
  } else if (scope === 'local') {
    if (sessionId) await tx.query('delete from auth.sessions where id = $1::uuid', [sessionId]);
  } else {
    await tx.query('delete from auth.sessions where user_id = $1::uuid and id is distinct from $2::uuid', [userId, sessionId ?? null]);
  }
  // Refresh tokens go with their session (on delete cascade); seed-made tokens without one go on global.
  if (scope === 'global') await tx.query('delete from auth.refresh_tokens where user_id = $1 and session_id is null', [userId]);
}
