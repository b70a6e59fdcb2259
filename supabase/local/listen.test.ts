/**
 * `Engine.listen` (db.ts), which the Realtime relay stands on: NOTIFY reaches the listener after commit
 * only, on both engines; on PGlite the listener survives the watchdog replacing the worker.
 */
import { afterAll, expect, test } from 'vitest';
import { createFreshDatabase, dropDatabase, openEngine } from './db.ts';
import { PgliteWorkerEngine } from './pglite-worker.ts';

const databaseUrl = process.env.DATABASE_URL ? await createFreshDatabase(process.env.DATABASE_URL, 'rounds_listen') : undefined;
const engine = await openEngine({ databaseUrl, dataDir: 'memory://', authenticatorPassword: 'unused' });
afterAll(async () => {
  await engine.close();
  if (databaseUrl) await dropDatabase(databaseUrl);
});

/** Listens on `channel`; `next()` waits (with a timeout) for the next payload. */
async function listener(channel: string) {
  const got: string[] = [];
  const waiters: ((p: string) => void)[] = [];
  const stop = await engine.listen(channel, (p) => {
    const w = waiters.shift();
    if (w) w(p);
    else got.push(p);
  });
  return {
    stop,
    next: () =>
      Promise.race([
        got.length > 0 ? Promise.resolve(got.shift() ?? '') : new Promise<string>((resolve) => waiters.push(resolve)),
        new Promise<string>((_, reject) => setTimeout(() => reject(new Error(`no NOTIFY on ${channel}`)), 5000)),
      ]),
  };
}

test('a NOTIFY arrives after its transaction commits; one from a rolled-back transaction never does', async () => {
  const l = await listener('listen_test_commit');
  await engine
    .admin(async (tx) => {
      await tx.query(`select pg_notify('listen_test_commit', 'rolled back')`);
      throw new Error('roll back');
    })
    .catch(() => undefined);
  await engine.admin((tx) => tx.query(`select pg_notify('listen_test_commit', 'committed')`));
  expect(await l.next()).toBe('committed');
  await l.stop();
});

test.runIf(engine instanceof PgliteWorkerEngine)('on PGlite, listening goes on after the watchdog replaces the worker', async () => {
  const pglite = engine as PgliteWorkerEngine;
  const l = await listener('listen_test_restart');
  const before = pglite.instances;
  const slow = engine.api('read', async (tx) => {
    await tx.query(`select set_config('statement_timeout', '200ms', true)`);
    await tx.query('select pg_sleep(3)');
  });
  await expect(slow).rejects.toMatchObject({ code: '57014' });
  expect(pglite.instances).toBe(before + 1);
  await engine.admin((tx) => tx.query(`select pg_notify('listen_test_restart', 'after restart')`));
  expect(await l.next()).toBe('after restart');
  await l.stop();
});
