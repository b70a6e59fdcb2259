/**
 * One user cannot stall everyone (issue #14): the API roles' statement_timeout holds on both engines and is
 * answered as PostgREST answers it, the server keeps answering meanwhile, committed data survives PGlite's
 * watchdog restart, and one user's parallel slow requests keep to that user's share.
 *
 * Runs against a server of its own (PGlite from `memory://`, as the shared test server, or a fresh
 * Postgres database) whose API roles get a 2 s statement_timeout in that database only (the bootstrap's
 * 3 s / 8 s would only make the file slower; a per-database role setting leaves the other databases of a
 * shared Postgres cluster alone), a pool of 4 and per-user queues of 2. The slow statements are
 * tests/fixtures/030_stall.sql's pg_sleep functions, asked to sleep far longer than the timeout.
 * No timing assertions: the tests assert which answer came first and what it said. The short pauses only
 * let requests already sent reach the database before the next is sent; if a busy machine delays them,
 * the orderings asserted still hold.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEMO_ANON_KEY } from '../supabase/local/config.ts';
import { createFreshDatabase, dropDatabase } from '../supabase/local/db.ts';
import { PgliteWorkerEngine } from '../supabase/local/pglite-worker.ts';
import { mintToken } from '../supabase/local/rest/test-support.ts';
import { startServer, type RunningServer } from '../supabase/local/server.ts';
import { applyFixtures } from './global-setup.ts';

const TIMEOUT_BODY = { code: '57014', details: null, hint: null, message: 'canceling statement due to statement timeout' };
const QUEUE_PER_USER = 2;
/** Long enough that only the statement timeout can end it within a test. */
const FOREVER_S = 120;

async function startStack(): Promise<{ server: RunningServer; close(): Promise<void> }> {
  const fresh = process.env.DATABASE_URL ? await createFreshDatabase(process.env.DATABASE_URL, 'rounds_stall_test') : undefined;
  const server = await startServer({
    port: 0,
    databaseUrl: fresh,
    dataDir: 'memory://',
    seed: false,
    logRequests: false,
    poolSize: 4,
    apiQueuePerUser: QUEUE_PER_USER,
  });
  await server.engine.admin((tx) =>
    tx.exec(`do $$ begin
      execute format('alter role anon in database %I set statement_timeout = %L', current_database(), '2s');
      execute format('alter role authenticated in database %I set statement_timeout = %L', current_database(), '2s');
    end $$`),
  );
  await applyFixtures(server); // also reloads the schema cache, which carries the role settings
  return {
    server,
    async close() {
      await server.close();
      if (fresh) await dropDatabase(fresh);
    },
  };
}

const stack = startStack();
// Opening the engine and migrating take seconds; they belong to the hook, not to the first test.
beforeAll(async () => {
  await stack;
}, 120_000);
afterAll(async () => (await stack).close());

interface Answer {
  label: string;
  status: number;
  body: unknown;
  retryAfter: string | null;
}

/** A raw request to the stack's server as the user of `token`; its answer is appended to `order` when it arrives. */
async function send(order: Answer[], label: string, path: string, token: string, init: { method?: string; body?: unknown } = {}): Promise<Answer> {
  const { server } = await stack;
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { apikey: DEMO_ANON_KEY, authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer: 'return=minimal' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  const answer = { label, status: res.status, body: text === '' ? null : JSON.parse(text), retryAfter: res.headers.get('retry-after') };
  order.push(answer);
  return answer;
}

const userToken = () => mintToken({ sub: randomUUID() });
const engineKind = async () => (await stack).server.engine.kind;

test('a statement past the role statement_timeout answers 500 57014 as PostgREST does, while /health and another user answer', async () => {
  const { server } = await stack;
  const [a, b] = await Promise.all([userToken(), userToken()]);
  const order: Answer[] = [];
  const slow = send(order, 'slow', `/rest/v1/rpc/stall_sleep?p_seconds=${FOREVER_S}`, a);
  await sleep(300);
  const health = await fetch(`${server.url}/health`);
  order.push({ label: 'health', status: health.status, body: await health.json(), retryAfter: null });
  const other = send(order, 'other', '/rest/v1/stall_rows?select=label', b);
  await Promise.all([slow, other]);

  expect(order.find((r) => r.label === 'slow')).toMatchObject({ status: 500, body: TIMEOUT_BODY });
  expect(order.find((r) => r.label === 'other')).toMatchObject({ status: 200, body: [] });
  // PGlite has one session: the other user's read runs on the restarted instance, after the timeout.
  // Postgres has other connections for it.
  const expected = (await engineKind()) === 'pglite' ? ['health', 'slow', 'other'] : ['health', 'other', 'slow'];
  expect(order.map((r) => r.label)).toEqual(expected);
});

test('committed rows survive the watchdog restart; the row of the transaction cut short does not', async () => {
  const { server } = await stack;
  const a = await userToken();
  const order: Answer[] = [];
  const instancesBefore = server.engine instanceof PgliteWorkerEngine ? server.engine.instances : 0;

  expect((await send(order, 'insert', '/rest/v1/stall_rows', a, { method: 'POST', body: { label: 'kept' } })).status).toBe(201);
  const killed = await send(order, 'killed', '/rest/v1/rpc/stall_write_then_sleep', a, {
    method: 'POST',
    body: { p_label: 'cut short', p_seconds: FOREVER_S },
  });
  expect(killed).toMatchObject({ status: 500, body: TIMEOUT_BODY });
  const read = await send(order, 'read', '/rest/v1/stall_rows?select=label', a);
  expect(read).toMatchObject({ status: 200, body: [{ label: 'kept' }] });
  // On PGlite the timeout was the watchdog's: the worker was replaced and the rows came back through crash recovery.
  if (server.engine instanceof PgliteWorkerEngine) expect(server.engine.instances).toBe(instancesBefore + 1);
});

test("one user's parallel slow requests keep to that user's share: another user's read answers before them, and past the queue they get 429", async () => {
  const kind = await engineKind();
  const perUser = kind === 'pglite' ? 1 : 3; // the defaults (config.apiPerUser)
  const [a, b] = await Promise.all([userToken(), userToken()]);
  const order: Answer[] = [];
  const attack = Array.from({ length: 6 }, (_, i) => send(order, `a${i}`, `/rest/v1/rpc/stall_sleep?p_seconds=${FOREVER_S}`, a));
  await sleep(300);
  const other = send(order, 'other', '/rest/v1/stall_rows?select=label', b);
  await Promise.all([...attack, other]);

  expect(order.find((r) => r.label === 'other')).toMatchObject({ status: 200, body: [] });
  // Statements of the attacker that ended before the other user's read: on Postgres none (a connection was
  // free for it); on PGlite only the one that held the session when the read arrived.
  const endedBefore = order.slice(0, order.findIndex((r) => r.label === 'other')).filter((r) => r.status === 500);
  expect(endedBefore.length).toBe(kind === 'pglite' ? 1 : 0);

  const refused = order.filter((r) => r.status === 429);
  expect(refused.length).toBe(6 - perUser - QUEUE_PER_USER);
  for (const r of refused) {
    expect(r.retryAfter).toBe('1');
    expect(r.body).toMatchObject({ code: 'rate_limited', details: expect.stringContaining('"retry_after_seconds":1') });
  }
  const timedOut = order.filter((r) => r.label !== 'other' && r.status !== 429);
  expect(timedOut.map((r) => r.body)).toEqual(Array.from({ length: perUser + QUEUE_PER_USER }, () => TIMEOUT_BODY));
});
