/**
 * A student's read of their own attempts and answers, even without a user_id filter of its own, is an index
 * scan on user_id: the read policies compare user_id with one array computed once per statement
 * (supabase/migrations/20261204090100_readable_user_ids_policies.sql). With the earlier
 * `user_id = me or user_id in (…)` the planner could only filter a full scan (36 ms vs 2 ms at 300k rows).
 * The plan is read with EXPLAIN on a second connection, so Postgres only; seq scans are priced out so the
 * answer does not depend on how few rows the test database holds.
 */
import { expect, inject, test } from 'vitest';
import pg from 'pg';
import { z } from 'zod';
import { buildWorld } from './world.ts';

const planNode: z.ZodType<{ 'Node Type': string; 'Index Cond'?: string | undefined; Plans?: unknown[] | undefined }> = z.looseObject({
  'Node Type': z.string(),
  'Index Cond': z.string().optional(),
  Plans: z.array(z.unknown()).optional(),
});

function indexConds(node: unknown): string[] {
  const n = planNode.parse(node);
  return [...(n['Index Cond'] ? [n['Index Cond']] : []), ...(n.Plans ?? []).flatMap(indexConds)];
}

test.runIf(inject('engine') === 'postgres')('reading all of one’s answers or attempts uses the user_id index', async () => {
  const w = await buildWorld();
  const db = new pg.Client({ connectionString: inject('testDatabaseUrl') });
  await db.connect();
  try {
    for (const [who, table] of [[w.A.id, 'answers'], [w.A.id, 'attempts'], [w.I1.id, 'answers']] as const) {
      await db.query('begin');
      try {
        await db.query(`set local enable_seqscan = off`);
        await db.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [
          JSON.stringify({ sub: who, role: 'authenticated' }),
        ]);
        const { rows } = await db.query(`explain (format json) select id from public.${table}`);
        const plan = z.array(z.object({ 'QUERY PLAN': z.array(z.object({ Plan: z.unknown() })) })).parse(rows)[0]?.['QUERY PLAN'][0]?.Plan;
        expect(indexConds(plan).some((c) => /\buser_id = ANY/.test(c)), `${table}: ${JSON.stringify(plan)}`).toBe(true);
      } finally {
        await db.query('rollback');
      }
    }
  } finally {
    await db.end();
  }
});
