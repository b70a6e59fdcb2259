/**
 * Acting as the API caller inside a transaction, the way every Supabase service that runs SQL for a user
 * does it: switch to the caller's role with `request.jwt.claims` set, so the same RLS policies decide
 * locally as on hosted Supabase. Used by Realtime authorization and Storage (PostgREST's own first
 * statement lives in rest/handler.ts because it also carries PostgREST's search_path and role settings).
 */
import type { Queryable } from './db.ts';
import type { Claims } from './jwt.ts';

/**
 * Switches the transaction to `role` with the caller's claims and the extra transaction-local settings
 * (e.g. `realtime.topic`, `storage.operation`). The role must be one the `authenticator` login may
 * become (anon, authenticated, service_role): on Postgres the API login would refuse anything else
 * anyway, on PGlite the session is a superuser, so it is checked here. Returns false, having changed
 * nothing, for any other role.
 */
export async function actAsCaller(tx: Queryable, role: string, claims: Claims, settings: Record<string, string> = {}): Promise<boolean> {
  const { rows } = await tx.query<{ member: boolean }>(
    `select pg_has_role('authenticator', oid, 'MEMBER') as member from pg_roles where rolname = $1`,
    [role],
  );
  if (!rows[0]?.member) return false;
  const sub = typeof claims.sub === 'string' ? claims.sub : '';
  const all: [string, string][] = [
    ['role', role],
    ['request.jwt.claims', JSON.stringify(claims)],
    // The per-claim settings older policies and auth.uid() versions read.
    ['request.jwt.claim.sub', sub],
    ['request.jwt.claim.role', role],
    ...Object.entries(settings),
  ];
  const params = all.flat();
  await tx.query(`select ${all.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`, params);
  return true;
}
