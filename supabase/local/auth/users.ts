/**
 * auth.users / auth.identities access and GoTrue's user JSON (internal/models/user.go struct tags).
 * Rows are read with timestamps already formatted as RFC 3339 UTC in SQL, because the engines return
 * timestamptz as PostgreSQL text in the session time zone, which differs between PGlite and Postgres.
 */
import { z } from 'zod';
import { asPgError, type Queryable } from '../db.ts';
import { AuthError, isRecord } from './protocol.ts';

const ts = (col: string): string => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const USER_SELECT = `
  select u.id::text as id, u.aud, u.role, u.email, u.phone, u.encrypted_password,
    ${ts('u.email_confirmed_at')} as email_confirmed_at, ${ts('u.phone_confirmed_at')} as phone_confirmed_at,
    ${ts('u.confirmation_sent_at')} as confirmation_sent_at, ${ts('u.confirmed_at')} as confirmed_at,
    ${ts('u.recovery_sent_at')} as recovery_sent_at, u.email_change as new_email, ${ts('u.invited_at')} as invited_at,
    ${ts('u.last_sign_in_at')} as last_sign_in_at, u.raw_app_meta_data as app_metadata,
    u.raw_user_meta_data as user_metadata, ${ts('u.created_at')} as created_at, ${ts('u.updated_at')} as updated_at,
    ${ts('u.banned_until')} as banned_until, floor(extract(epoch from u.banned_until) * 1000)::float8 as banned_until_ms,
    ${ts('u.deleted_at')} as deleted_at, u.is_anonymous,
    coalesce((
      select json_agg(json_build_object(
        'identity_id', i.id::text, 'id', i.provider_id, 'user_id', i.user_id::text, 'identity_data', i.identity_data,
        'provider', i.provider, 'last_sign_in_at', ${ts('i.last_sign_in_at')}, 'created_at', ${ts('i.created_at')},
        'updated_at', ${ts('i.updated_at')}, 'email', i.email) order by i.created_at, i.id)
      from auth.identities i where i.user_id = u.id), '[]'::json) as identities
  from auth.users u`;

// Seed scripts write these tables by hand, so metadata may be null (or, in theory, not an object).
const metadata = z.unknown().transform((v) => (isRecord(v) ? v : {}));
const optText = z.string().nullable();

const userRowSchema = z.object({
  id: z.string(),
  aud: optText,
  role: optText,
  email: optText,
  phone: optText,
  encrypted_password: optText,
  email_confirmed_at: optText,
  phone_confirmed_at: optText,
  confirmation_sent_at: optText,
  confirmed_at: optText,
  recovery_sent_at: optText,
  new_email: optText,
  invited_at: optText,
  last_sign_in_at: optText,
  app_metadata: metadata,
  user_metadata: metadata,
  created_at: optText,
  updated_at: optText,
  banned_until: optText,
  banned_until_ms: z.number().nullable(),
  deleted_at: optText,
  is_anonymous: z.boolean(),
  identities: z.array(z.record(z.string(), z.unknown())),
});

export type UserRow = z.infer<typeof userRowSchema>;

async function selectOne(tx: Queryable, where: string, params: unknown[]): Promise<UserRow | undefined> {
  const { rows } = await tx.query(`${USER_SELECT} where ${where} limit 1`, params);
  return rows[0] === undefined ? undefined : userRowSchema.parse(rows[0]);
}

export function findUserById(tx: Queryable, id: string): Promise<UserRow | undefined> {
  return selectOne(tx, 'u.id = $1::uuid', [id]);
}

/** Case-insensitive, like GoTrue's FindUserByEmailAndAudience (seeds may store mixed case). */
export function findUserByEmail(tx: Queryable, email: string): Promise<UserRow | undefined> {
  return selectOne(tx, 'lower(u.email) = lower($1) and u.is_sso_user = false', [email]);
}

export async function listUsers(tx: Queryable, limit: number, offset: number): Promise<{ users: UserRow[]; total: number }> {
  const { rows } = await tx.query(`${USER_SELECT} order by u.created_at desc nulls last, u.id limit $1 offset $2`, [limit, offset]);
  const count = await tx.query('select count(*)::float8 as n from auth.users');
  return { users: rows.map((r) => userRowSchema.parse(r)), total: z.number().parse(count.rows[0]?.n) };
}

/** The user JSON GoTrue sends (omitempty fields are left out when null). */
export function userJson(u: UserRow): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: u.id,
    aud: u.aud ?? 'authenticated',
    role: u.role || 'authenticated',
    email: u.email ?? '',
  };
  const optional = (key: string, v: string | null) => {
    if (v !== null && v !== '') out[key] = v;
  };
  optional('email_confirmed_at', u.email_confirmed_at);
  out.phone = u.phone ?? '';
  optional('phone_confirmed_at', u.phone_confirmed_at);
  optional('confirmation_sent_at', u.confirmation_sent_at);
  optional('confirmed_at', u.confirmed_at);
  optional('recovery_sent_at', u.recovery_sent_at);
  optional('new_email', u.new_email);
  optional('invited_at', u.invited_at);
  optional('last_sign_in_at', u.last_sign_in_at);
  out.app_metadata = u.app_metadata;
  out.user_metadata = u.user_metadata;
  out.identities = u.identities;
  out.created_at = u.created_at ?? '';
  out.updated_at = u.updated_at ?? '';
  optional('banned_until', u.banned_until);
  optional('deleted_at', u.deleted_at);
  out.is_anonymous = u.is_anonymous;
  return out;
}

export function isBanned(u: UserRow, nowMs: number): boolean {
  return u.banned_until_ms !== null && u.banned_until_ms > nowMs;
}

export interface NewUser {
  id: string;
  email: string;
  passwordHash: string;
  emailConfirmed: boolean;
  appMetadata: Record<string, unknown>;
  userMetadata: Record<string, unknown>;
  nowIso: string;
}

/**
 * Inserts the user and its email identity. `after insert on auth.users` triggers from the app's
 * migrations run here; their failures become 500 `unexpected_failure` with GoTrue's wording (the caller's
 * transaction then rolls back everything), while a lost race on the email stays a user error.
 */
export async function insertUser(tx: Queryable, u: NewUser, failureMessage: string): Promise<void> {
  try {
    // The token columns are '' rather than null: GoTrue scans them as strings and seed scripts copy that.
    await tx.query(
      `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
         raw_app_meta_data, raw_user_meta_data, created_at, updated_at, confirmation_token, recovery_token,
         email_change_token_new, email_change, is_sso_user, is_anonymous)
       values ('00000000-0000-0000-0000-000000000000', $1::uuid, 'authenticated', 'authenticated', $2, $3,
         $4::timestamptz, $5::jsonb, $6::jsonb, $7::timestamptz, $7::timestamptz, '', '', '', '', false, false)`,
      [
        u.id,
        u.email,
        u.passwordHash,
        u.emailConfirmed ? u.nowIso : null,
        JSON.stringify(u.appMetadata),
        JSON.stringify(u.userMetadata),
        u.nowIso,
      ],
    );
    await tx.query(
      `insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
       values ($1::text, $1::uuid, $2::jsonb, 'email', $3::timestamptz, $3::timestamptz, $3::timestamptz)`,
      [u.id, JSON.stringify({ sub: u.id, email: u.email, email_verified: u.emailConfirmed, phone_verified: false }), u.nowIso],
    );
  } catch (e) {
    const pg = asPgError(e);
    if (pg?.code === '23505' && /"(users_email_partial_key|users_pkey)"/.test(pg.message)) {
      throw new AuthError(422, 'user_already_exists', 'User already registered');
    }
    // Keep the cause in the server log; the client only learns that saving failed.
    process.stderr.write(`${JSON.stringify({ level: 'error', msg: failureMessage, pg: pg ?? String(e) })}\n`);
    throw new AuthError(500, 'unexpected_failure', failureMessage);
  }
}

export interface UserChanges {
  email?: string;
  passwordHash?: string;
  confirmEmail?: boolean;
  userMetadata?: Record<string, unknown>;
  appMetadata?: Record<string, unknown>;
  /** null lifts a ban. */
  bannedUntilIso?: string | null;
}

/** Applies `changes` to one user (and the email identity when the email changes). */
export async function updateUser(tx: Queryable, id: string, changes: UserChanges, nowIso: string): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [id, nowIso];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    sets.push(sql(`$${params.length}`));
  };
  if (changes.email !== undefined) add((p) => `email = ${p}`, changes.email);
  if (changes.passwordHash !== undefined) add((p) => `encrypted_password = ${p}`, changes.passwordHash);
  if (changes.confirmEmail) sets.push('email_confirmed_at = coalesce(email_confirmed_at, $2::timestamptz)');
  if (changes.userMetadata !== undefined) add((p) => `raw_user_meta_data = ${p}::jsonb`, JSON.stringify(changes.userMetadata));
  if (changes.appMetadata !== undefined) add((p) => `raw_app_meta_data = ${p}::jsonb`, JSON.stringify(changes.appMetadata));
  if (changes.bannedUntilIso !== undefined) add((p) => `banned_until = ${p}::timestamptz`, changes.bannedUntilIso);
  if (sets.length === 0) return;
  try {
    await tx.query(`update auth.users set ${sets.join(', ')}, updated_at = $2::timestamptz where id = $1::uuid`, params);
    if (changes.email !== undefined) {
      await tx.query(
        `update auth.identities set identity_data = identity_data || jsonb_build_object('email', $2::text),
           updated_at = $3::timestamptz where user_id = $1::uuid and provider = 'email'`,
        [id, changes.email, nowIso],
      );
    }
  } catch (e) {
    const pg = asPgError(e);
    if (pg?.code === '23505' && pg.message.includes('"users_email_partial_key"')) {
      throw new AuthError(422, 'email_exists', 'A user with this email address has already been registered');
    }
    throw e;
  }
}
