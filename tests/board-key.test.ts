/**
 * private.board_key (migration 20261205090000) is the one definition of the leaderboard order: its bytes
 * must sort exactly as the fields (correct_desc, accuracy_desc, reached_at, user_id) do, field by field,
 * on both engines, across signs, byte boundaries, timestamps before and after 2000 (the binary epoch)
 * and both infinities. Own database: PGlite in memory, or a fresh Postgres database next to the test one.
 */
import { expect, inject, test } from 'vitest';
import { createFreshDatabase, dropDatabase, openEngine } from '../supabase/local/db.ts';
import { migrate } from '../supabase/local/migrate.ts';
import { loadConfig } from '../supabase/local/config.ts';

test('board keys sort bytewise exactly as their fields sort, and the empty key before all of them', async () => {
  // The cluster-wide authenticator password must stay the one the shared test server logs in with.
  const { authenticatorPassword } = loadConfig();
  const base = inject('engine') === 'postgres' ? inject('testDatabaseUrl') : '';
  const url = base ? await createFreshDatabase(base, 'rounds_board_key_test') : undefined;
  const engine = await openEngine({ databaseUrl: url, dataDir: 'memory://', authenticatorPassword, poolSize: 1 });
  try {
    await migrate(engine, { seed: false, authenticatorPassword });
    const { rows } = await engine.admin((tx) =>
      tx.query<{ n: number; misplaced: number; lengths: number[]; below_empty: number }>(`
        with v as (
          select c, a, r, u, private.board_key(c, a, r, u) as k
          from unnest(array[-2147483648, -2147483647, -65536, -256, -255, -1, 0, 1, 255, 256, 2147483647]) c,
               unnest(array[-10000, -9999, -128, -1, 0]) a,
               unnest(array['-infinity', '1969-12-31 23:59:59.999999+00', '1999-12-31 23:59:59.999999+00', '2000-01-01 00:00:00+00',
                            '2000-01-01 00:00:00.000001+00', '2026-12-05 10:00:00.5+00', 'infinity']::timestamptz[]) r,
               unnest(array['00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000001',
                            '7fffffff-ffff-4fff-bfff-ffffffffffff', '80000000-0000-4000-8000-000000000000',
                            'ffffffff-ffff-ffff-ffff-ffffffffffff']::uuid[]) u
        ), ranked as (
          select row_number() over (order by k) as by_key, row_number() over (order by c, a, r, u) as by_fields, k from v
        )
        select count(*)::int as n,
               count(*) filter (where by_key <> by_fields)::int as misplaced,
               array_agg(distinct length(k)) as lengths,
               count(*) filter (where k <= ''::bytea)::int as below_empty
        from ranked`),
    );
    expect(rows[0]).toEqual({ n: 11 * 5 * 7 * 5, misplaced: 0, lengths: [32], below_empty: 0 });
  } finally {
    await engine.close();
    if (url) await dropDatabase(url);
  }
});
