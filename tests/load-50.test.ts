/**
 * The load-test scenario (scripts/bench-load.ts) with 50 students, as a correctness check: no failed
 * operation, every acknowledged answer stored exactly once, rollups equal to a recount. No timing
 * assertions. Runs against its own server (PGlite in memory, or a fresh Postgres database when
 * DATABASE_URL is set) with the per-IP sign-up/sign-in limit raised, since all students share 127.0.0.1.
 */
import { expect, test } from 'vitest';
import { runScenario, verifyStored } from '../scripts/bench-load.ts';
import { createFreshDatabase, dropDatabase } from '../supabase/local/db.ts';
import { startServer } from '../supabase/local/server.ts';

test('50 students: 0 failed operations, 0 lost, 0 changed, 0 unexpected, rollups match', { timeout: 180_000 }, async () => {
  const fresh = process.env.DATABASE_URL ? await createFreshDatabase(process.env.DATABASE_URL) : undefined;
  const server = await startServer({
    port: 0,
    databaseUrl: fresh,
    dataDir: 'memory://',
    seed: true,
    logRequests: false,
    rateLimitSignInSignUps: 10_000,
  });
  try {
    const result = await runScenario({ apiUrl: server.url, users: 50, seed: 7, thinkMs: [50, 200], rampMs: 2_000 });
    const check = await verifyStored(
      (sql, params) => server.engine.admin(async (tx) => (await tx.query(sql, params)).rows),
      result,
    );
    expect(result.failures).toEqual([]);
    expect(Object.values(result.ops).map((o) => o.failed)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(result.ops.submit_answers.ok).toBe(200);
    expect(result.sentAnswerIds.length).toBeGreaterThan(0);
    expect(result.ackedAnswerIds.length).toBe(result.sentAnswerIds.length);
    expect(check).toEqual({ stored: result.sentAnswerIds.length, lost: 0, changed: 0, unexpected: 0, rollupMismatches: 0 });
  } finally {
    await server.close();
    if (fresh) await dropDatabase(fresh);
  }
});
