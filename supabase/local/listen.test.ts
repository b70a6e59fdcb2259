/**
 * `Engine.listen` (db.ts), which the Realtime relay stands on: NOTIFY reaches the listener after commit
 * only, on both engines; on PGlite the listener survives the watchdog replacing the worker; on Postgres a
 * lost listening connection is replaced and the caller told (onResumed).
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
async function listener(channel: string, onResumed?: () => void) {
  const got: string[] = [];
  const waiters: ((p: string) => void)[] = [];
  const stop = await engine.listen(
    channel,
    (p) => {
      const w = waiters.shift();
      if (w) w(p);
      else got.push(p);
    },
    onResumed,
  );
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

test.runIf(engine.kind === 'postgres')('on Postgres, a listening connection that is cut is replaced, and the caller hears it resumed', async () => {
  let resumed!: () => void;
  const resumedOnce = new Promise<void>((resolve) => {
    resumed = resolve;
  });
  const l = await listener('listen_test_cut', () => resumed());
  await engine.admin((tx) => tx.query(`select pg_notify('listen_test_cut', 'before')`));
  expect(await l.next()).toBe('before');
  // The backend LISTENing on the channel, cut from the server side (as a restart or a network cut would).
  const { rows } = await engine.admin((tx) =>
    tx.query(`select pg_terminate_backend(pid) as cut from pg_stat_activity where query = 'listen listen_test_cut' and pid <> pg_backend_pid()`),
  );
  expect(rows).toEqual([{ cut: true }]);
  await Promise.race([resumedOnce, new Promise((_, reject) => setTimeout(() => reject(new Error('never resumed')), 5000))]);
  await engine.admin((tx) => tx.query(`select pg_notify('listen_test_cut', 'after')`));
  expect(await l.next()).toBe('after');
  await l.stop();
});
