/**
 * Realtime Authorization for private channels, the way hosted Realtime evaluates it
 * (supabase/realtime lib/realtime/tenants/authorization.ex): in ONE transaction that is always rolled
 * back, a probe row for the topic is inserted into realtime.messages by the privileged login, then, as the
 * caller (`role`, `request.jwt.claims`, `realtime.topic` = the channel's topic), the SELECT policies decide
 * whether that row is visible (read) and the INSERT policies whether the caller may insert one (write).
 * Nothing the check does survives it, so no probe ever reaches a channel.
 */
import { asPgError, type Engine } from '../db.ts';
import type { Claims } from '../jwt.ts';
import { actAsCaller } from '../caller.ts';

export interface Policies {
  read: boolean;
  write: boolean;
}

class Verdict extends Error {
  constructor(readonly policies: Policies) {
    super('rolled back on purpose');
  }
}

/** What the caller's policies allow on `topic` (the channel name without `realtime:`). `write` only when asked. */
export async function checkPolicies(engine: Engine, topic: string, role: string, claims: Claims, opts: { write: boolean }): Promise<Policies> {
  try {
    await engine.admin(async (tx) => {
      const probe = await tx.query<{ id: string }>(
        `insert into realtime.messages (topic, extension, private) values ($1, 'broadcast', true) returning id::text as id`,
        [topic],
      );
      if (!(await actAsCaller(tx, role, claims, { 'realtime.topic': topic }))) throw new Verdict({ read: false, write: false });
      const seen = await tx.query<{ read: boolean }>(
        `select exists (select 1 from realtime.messages where topic = $1 and extension = 'broadcast' and id = $2::uuid) as read`,
        [topic, probe.rows[0]?.id],
      );
      const read = seen.rows[0]?.read === true;
      let write = false;
      if (opts.write) {
        try {
          await tx.query(`insert into realtime.messages (topic, extension, private) values ($1, 'broadcast', true)`, [topic]);
          write = true;
        } catch (e) {
          // 42501: RLS refused the row (or no INSERT grant). Anything else is a broken policy: not allowed
          // either. The transaction is aborted now, and rolled back below like every check.
          if (!asPgError(e)) throw e;
        }
      }
      throw new Verdict({ read, write });
    });
  } catch (e) {
    if (e instanceof Verdict) return e.policies;
    // A policy that errors denies, as hosted Realtime logs RlsPolicyError and refuses.
    if (asPgError(e)) return { read: false, write: false };
    throw e;
  }
  return { read: false, write: false };
}
