/**
 * `/auth/v1/admin/users` (GoTrue internal/api/admin.go), for the service_role key only: test fixtures,
 * seeding tools and instructor tooling. `app_metadata` can only be written here — never through /signup
 * or PUT /user — because RLS policies may trust `auth.jwt() -> 'app_metadata'`.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { asPgError } from '../db.ts';
import { json, type ApiRequest, type ApiResponse } from '../http.ts';
import { checkPasswordStrength, hashPassword, validateEmail } from './credentials.ts';
import { AuthError, mergeMetadata, metadataSchema, parseBody } from './protocol.ts';
import { isoAt, verifyBearer, type AuthContext } from './sessions.ts';
import { findUserByEmail, findUserById, insertUser, listUsers, updateUser, userJson, type UserChanges } from './users.ts';

const ADMIN_ROLES = new Set(['service_role']);

async function requireAdmin(ctx: AuthContext, req: ApiRequest): Promise<void> {
  const claims = await verifyBearer(ctx, req);
  const role = claims['role'];
  if (typeof role !== 'string' || !ADMIN_ROLES.has(role)) throw new AuthError(403, 'not_admin', 'User not allowed');
}

const createSchema = z.object({
  id: z.guid().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
  email_confirm: z.boolean().nullish(),
  user_metadata: metadataSchema,
  app_metadata: metadataSchema,
});

const updateSchema = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().nullish(),
  email_confirm: z.boolean().nullish(),
  user_metadata: metadataSchema,
  app_metadata: metadataSchema,
  ban_duration: z.string().nullish(),
});

const deleteSchema = z.object({ should_soft_delete: z.boolean().nullish() });

/** Nanoseconds per unit, as Go's time.ParseDuration knows them (both micro signs included). */
const GO_DURATION_UNIT_NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n,
  'μs': 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
/** Go's Duration is an int64 of nanoseconds: about 2,562,047 hours (292 years) either way. */
const GO_DURATION_MAX_NS = 2n ** 63n - 1n;

/**
 * GoTrue takes ban_duration as a Go duration ("24h", "1h30m", "-1.5h") or "none" to lift the ban (null).
 * This follows Go's time.ParseDuration, including its errors: a value past int64 nanoseconds is
 * `invalid duration` (GoTrue answers 400), not a date JavaScript cannot represent. Returns milliseconds.
 */
function parseBanDuration(raw: string): number | null {
  if (raw === 'none') return null;
  const invalid = (why = `invalid duration ${JSON.stringify(raw)}`) =>
    new AuthError(400, 'validation_failed', `invalid format for ban duration: time: ${why}`);
  let rest = raw;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return null; // Go accepts a lone 0 without a unit
  if (rest === '') throw invalid();
  let totalNs = 0n;
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(rest);
    const whole = m?.[1] ?? '';
    const frac = m?.[2] ?? '';
    if (!m || (whole === '' && frac === '')) throw invalid();
    rest = rest.slice(m[0].length);
    const unit = /^[^\d.]*/.exec(rest)?.[0] ?? '';
    if (unit === '') throw invalid(`missing unit in duration ${JSON.stringify(raw)}`);
    const perUnit = GO_DURATION_UNIT_NS[unit];
    if (perUnit === undefined) throw invalid(`unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(raw)}`);
    rest = rest.slice(unit.length);
    // Exact integer arithmetic: the fraction is scaled by the unit and truncated, as Go does.
    const scale = 10n ** BigInt(frac.length);
    totalNs += BigInt(whole || '0') * perUnit + (BigInt(frac || '0') * perUnit) / scale;
    if (totalNs > GO_DURATION_MAX_NS + (negative ? 1n : 0n)) throw invalid();
  }
  // GoTrue's user.Ban: a zero duration ("0", "0s", "-0h") lifts the ban, as "none" does.
  if (totalNs === 0n) return null;
  const ms = Number(totalNs) / 1e6;
  return negative ? -ms : ms;
}

async function createUser(ctx: AuthContext, req: ApiRequest): Promise<ApiResponse> {
  const body = parseBody(req, createSchema);
  if (!body.email && body.phone) throw new AuthError(422, 'phone_provider_disabled', 'Phone logins are disabled');
  const email = validateEmail(body.email);
  if (body.password) checkPasswordStrength(body.password, ctx.config.minimumPasswordLength);
  // No password: the account exists (e.g. for fixtures) but cannot sign in with a password.
  const passwordHash = body.password ? await hashPassword(body.password) : '';
  const emailConfirmed = body.email_confirm === true;
  const nowIso = isoAt(ctx.now());
  const user = await ctx.engine.admin(async (tx) => {
    if (await findUserByEmail(tx, email)) {
      throw new AuthError(422, 'email_exists', 'A user with this email address has already been registered');
    }
    const id = body.id ?? randomUUID();
    await insertUser(
      tx,
      {
        id,
        email,
        passwordHash,
        emailConfirmed,
        appMetadata: mergeMetadata({ provider: 'email', providers: ['email'] }, body.app_metadata ?? {}),
        userMetadata: { ...body.user_metadata, email_verified: emailConfirmed },
        nowIso,
      },
      'Database error creating new user',
    );
    return findUserById(tx, id);
  });
  if (!user) throw new AuthError(500, 'unexpected_failure', 'Database error creating new user');
  return json(200, userJson(user));
}

async function list(ctx: AuthContext, req: ApiRequest): Promise<ApiResponse> {
  const q = z.object({
    page: z.coerce.number().int().min(1).catch(1),
    per_page: z.coerce.number().int().min(1).max(1000).catch(50),
  });
  const { page, per_page: perPage } = q.parse({
    page: req.url.searchParams.get('page') || undefined,
    per_page: req.url.searchParams.get('per_page') || undefined,
  });
  const { users, total } = await ctx.engine.admin((tx) => listUsers(tx, perPage, (page - 1) * perPage));
  // Pagination headers as GoTrue's addPaginationHeaders (auth-js parses `Link` for nextPage/lastPage).
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const link = (p: number, rel: string) => `</admin/users?page=${p}&per_page=${perPage}>; rel="${rel}"`;
  const links = [...(page < lastPage ? [link(page + 1, 'next')] : []), link(lastPage, 'last')];
  return json(200, { users: users.map(userJson), aud: 'authenticated' }, { 'X-Total-Count': String(total), Link: links.join(', ') });
}

async function update(ctx: AuthContext, req: ApiRequest, id: string): Promise<ApiResponse> {
  const body = parseBody(req, updateSchema);
  if (body.phone) throw new AuthError(422, 'phone_provider_disabled', 'Phone logins are disabled');
  const email = body.email ? validateEmail(body.email) : undefined;
  if (body.password) checkPasswordStrength(body.password, ctx.config.minimumPasswordLength);
  const passwordHash = body.password ? await hashPassword(body.password) : undefined;
  const banMs = body.ban_duration ? parseBanDuration(body.ban_duration) : undefined;
  const now = ctx.now();
  const user = await ctx.engine.admin(async (tx) => {
    await tx.query('select 1 from auth.users where id = $1::uuid for update', [id]);
    const current = await findUserById(tx, id);
    if (!current) throw new AuthError(404, 'user_not_found', 'User not found');
    const changes: UserChanges = {};
    if (email !== undefined && email !== current.email) {
      const other = await findUserByEmail(tx, email);
      if (other && other.id !== id) throw new AuthError(422, 'email_exists', 'A user with this email address has already been registered');
      changes.email = email;
    }
    if (passwordHash !== undefined) changes.passwordHash = passwordHash;
    if (body.email_confirm) changes.confirmEmail = true;
    if (body.user_metadata) changes.userMetadata = mergeMetadata(current.user_metadata, body.user_metadata);
    if (body.app_metadata) changes.appMetadata = mergeMetadata(current.app_metadata, body.app_metadata);
    if (banMs !== undefined) {
      changes.bannedUntilIso = banMs === null ? null : isoAt(now + banMs);
      // A ban also ends the user's sessions, as GoTrue does, so refresh tokens stop working at once.
      if (banMs !== null) await tx.query('delete from auth.sessions where user_id = $1::uuid', [id]);
    }
    await updateUser(tx, id, changes, isoAt(now));
    return findUserById(tx, id);
  });
  if (!user) throw new AuthError(404, 'user_not_found', 'User not found');
  return json(200, userJson(user));
}

async function remove(ctx: AuthContext, req: ApiRequest, id: string): Promise<ApiResponse> {
  const body = parseBody(req, deleteSchema, { allowEmpty: true });
  if (body.should_soft_delete) {
    throw new AuthError(400, 'validation_failed', 'Soft deletion is not supported by the local server');
  }
  try {
    const deleted = await ctx.engine.admin(async (tx) => {
      const { rows } = await tx.query('delete from auth.users where id = $1::uuid returning 1 as ok', [id]);
      return rows.length > 0;
    });
    if (!deleted) throw new AuthError(404, 'user_not_found', 'User not found');
  } catch (e) {
    const pg = asPgError(e);
    // e.g. an app table referencing auth.users without `on delete cascade`.
    if (pg && !(e instanceof AuthError)) {
      process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'Database error deleting user', pg })}\n`);
      throw new AuthError(500, 'unexpected_failure', 'Database error deleting user');
    }
    throw e;
  }
  return json(200, {});
}

export async function handleAdmin(ctx: AuthContext, req: ApiRequest, path: string, method: string): Promise<ApiResponse> {
  await requireAdmin(ctx, req);
  if (path === '/admin/users') {
    if (method === 'GET') return list(ctx, req);
    if (method === 'POST') return createUser(ctx, req);
    throw new AuthError(405, 'method_not_allowed', `Method ${method} not allowed on ${path}`);
  }
  const id = path.slice('/admin/users/'.length);
  if (!z.guid().safeParse(id).success) throw new AuthError(404, 'validation_failed', 'user_id must be an UUID');
  if (method === 'GET') {
    const user = await ctx.engine.admin((tx) => findUserById(tx, id));
    if (!user) throw new AuthError(404, 'user_not_found', 'User not found');
    return json(200, userJson(user));
  }
  if (method === 'PUT') return update(ctx, req, id);
  if (method === 'DELETE') return remove(ctx, req, id);
  throw new AuthError(405, 'method_not_allowed', `Method ${method} not allowed on ${path}`);
}
