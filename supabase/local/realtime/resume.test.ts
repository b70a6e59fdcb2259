/**
 * On Postgres the relay LISTENs on a connection of its own (db.ts). When that connection is cut, the
 * database's messages of the gap are lost; once it listens again the server closes every socket, so each
 * client reconnects, rejoins and — as the app does on every rejoin (src/lib/realtime.ts) — re-reads what
 * it missed. Its own server and database: the cut would otherwise disturb the other files' sockets.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, expect, test } from 'vitest';
import { createFreshDatabase, dropDatabase } from '../db.ts';
import { startServer } from '../server.ts';
import { createUntypedTestClient } from '../test-client.ts';
import { recorder, within } from '../../../tests/realtime.ts';

const databaseUrl = process.env.DATABASE_URL ? await createFreshDatabase(process.env.DATABASE_URL, 'rounds_realtime_resume') : undefined;
const server = databaseUrl ? await startServer({ port: 0, dataDir: 'memory://', databaseUrl, seed: false, logRequests: false }) : undefined;
afterAll(async () => {
  await server?.close();
  if (databaseUrl) await dropDatabase(databaseUrl);
});

test.runIf(server !== undefined)('a cut LISTEN connection: sockets are closed once it is back, clients rejoin and get the next message', async () => {
  if (!server) return;
  const topic = `resume-${randomUUID()}`;
  const client = createUntypedTestClient(server.url);
  const ch = client.channel(topic);
  const rec = recorder(ch);
  let joins = 0;
  let rejoined!: () => void;
  const secondJoin = new Promise<void>((resolve) => {
    rejoined = resolve;
  });
  const firstJoin = within(
    new Promise<void>((resolve) => {
      ch.subscribe((status) => {
        if (status !== 'SUBSCRIBED') return;
        joins++;
        if (joins === 1) resolve();
        else rejoined();
      });
    }),
    'the first join',
  );
  await firstJoin;
  const send = (event: string) =>
    server.engine.admin((tx) => tx.query(`select realtime.send('{"n": 1}'::jsonb, $1, $2, false)`, [event, topic]));
  await send('before');
  await rec.next('before');

  const { rows } = await server.engine.admin((tx) =>
    tx.query(`select pg_terminate_backend(pid) as cut from pg_stat_activity where query = 'listen realtime_local' and datname = current_database() and pid <> pg_backend_pid()`),
  );
  expect(rows).toEqual([{ cut: true }]);
  await within(secondJoin, 'the rejoin after the listener resumed', 15_000);
  await send('after');
  expect(await rec.next('after')).toEqual({ n: 1 });
  await client.realtime.disconnect();
});
