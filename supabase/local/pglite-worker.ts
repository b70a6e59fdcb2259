/**
 * PGlite off the main thread, with a watchdog that makes the API roles' statement_timeout hold.
 *
 * Why: PGlite is Postgres compiled to WebAssembly and runs a query synchronously in the thread that calls
 * it; its timers never fire (no SIGALRM), so `statement_timeout` is not enforced. On the server's own
 * thread one backreference regex froze every request, /health included, for a minute (issue #14). Here
 * PGlite lives in a `worker_threads` Worker, so HTTP, auth (bcrypt has its own workers) and /health keep
 * answering while a statement runs.
 *
 * Contract:
 * - Same `Engine` as before: one transaction at a time (PGlite is one session), FIFO; each statement is one
 *   message to the worker and one reply.
 * - In API transactions the worker reads `current_setting('statement_timeout')` just before each statement
 *   (so the value the REST layer's set_config gave the role, e.g. anon 3 s / authenticated 8 s from
 *   bootstrap.sql) and tells us; we arm a timer. If the statement outlives it, the worker is terminated
 *   (there is no way to interrupt it: PGlite's memory is not shared, so no other thread can set
 *   QueryCancelPending, and the worker's own event loop is stuck in WebAssembly), the statement fails
 *   with 57014 exactly as Postgres words it, and a new worker opens the same data directory. Postgres'
 *   crash recovery replays the WAL: committed transactions survive, the killed one is rolled back.
 *   Transactions queued behind it run on the new instance.
 * - `memory://` cannot survive a restart (the memory is the dead worker's), so it is backed by a private
 *   temporary directory, removed on close (docs/decisions/014).
 * - Admin transactions (auth, migrations, seed) are not watched: they run as the privileged login, which
 *   has no statement_timeout, as on Postgres.
 *
 * The worker is a plain-JS `eval` script requiring PGlite's CommonJS build by absolute path, as
 * auth/bcrypt-pool.ts does for bcryptjs, so it runs the same under tsx, Vitest and plain Node.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Engine, Queryable, Row, TxMode } from './db.ts';

/** Type parsers, as OIDs, shared with the Postgres engine (db.ts): int8 as number; dates, timestamps and numeric as PostgreSQL's text. */
export interface ParserOids {
  number: number[];
  text: number[];
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglitePath);
const { pgcrypto } = require(workerData.pgcryptoPath);
const parsers = {};
for (const oid of workerData.parsers.number) parsers[oid] = (v) => Number(v);
for (const oid of workerData.parsers.text) parsers[oid] = (v) => v;
// PGlite serialises parameters in JS by the type Postgres inferred, and its bool and bytea serialisers
// throw a plain Error (no SQLSTATE, so a 500) for text they do not recognise: ?published=eq.maybe.
// Passing such text through lets Postgres judge it, with the 22P02 (a 400) node-postgres gets too.
const serializers = {
  16: (v) => (typeof v === 'boolean' ? (v ? 't' : 'f') : String(v)),
  17: (v) => (v instanceof Uint8Array ? '\\\\x' + Buffer.from(v).toString('hex') : String(v)),
};
let db;
const pgError = (e) => ({
  message: String((e && e.message) || e),
  code: e && typeof e.code === 'string' ? e.code : undefined,
  detail: e && typeof e.detail === 'string' ? e.detail : undefined,
  hint: e && typeof e.hint === 'string' ? e.hint : undefined,
});
parentPort.on('message', async (m) => {
  try {
    if (m.op === 'open') {
      db = await PGlite.create(workerData.dataDir, { extensions: { pgcrypto }, parsers, serializers });
      parentPort.postMessage({ id: m.id, ok: true });
    } else if (m.op === 'listen') {
      // NOTIFYs reach the main thread as messages without an id, after their transaction commits.
      await db.listen(m.channel, (payload) => parentPort.postMessage({ notify: m.channel, payload }));
      parentPort.postMessage({ id: m.id, ok: true });
    } else if (m.op === 'unlisten') {
      await db.unlisten(m.channel);
      parentPort.postMessage({ id: m.id, ok: true });
    } else if (m.op === 'close') {
      await db.close();
      parentPort.postMessage({ id: m.id, ok: true });
    } else {
      if (m.watch) {
        const t = await db.query("select current_setting('statement_timeout') as t");
        parentPort.postMessage({ id: m.id, started: t.rows[0].t });
      }
      if (m.op === 'exec') {
        await db.exec(m.sql);
        parentPort.postMessage({ id: m.id, ok: true });
      } else {
        const r = await db.query(m.sql, m.params);
        parentPort.postMessage({ id: m.id, ok: true, rows: r.rows });
      }
    }
  } catch (e) {
    parentPort.postMessage({ id: m.id, ok: false, error: pgError(e) });
  }
});
`;

const requireHere = createRequire(import.meta.url);
const pglitePath = requireHere.resolve('@electric-sql/pglite');
const pgcryptoPath = requireHere.resolve('@electric-sql/pglite/contrib/pgcrypto');

type Request =
  | { op: 'open' | 'close' }
  | { op: 'listen' | 'unlisten'; channel: string }
  | { op: 'exec'; sql: string; watch: boolean }
  | { op: 'query'; sql: string; params: unknown[] | undefined; watch: boolean };

type Reply =
  | { notify: string; payload: string }
  | { id: number; started: string }
  | { id: number; ok: true; rows?: Row[] }
  | { id: number; ok: false; error: { message: string; code?: string; detail?: string; hint?: string } };

interface Call {
  resolve(rows: Row[]): void;
  reject(e: Error): void;
  timer?: NodeJS.Timeout;
}

function sqlError(code: string, message: string, fields: { detail?: string; hint?: string } = {}): Error {
  return Object.assign(new Error(message), { code, ...fields });
}

/** What Postgres raises when statement_timeout fires (PostgREST answers it 500 with this body). */
export const statementTimeoutError = (): Error => sqlError('57014', 'canceling statement due to statement timeout');

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A time GUC as `current_setting` shows it (`8s`, `500ms`, `1min`, `0`) in milliseconds; a bare number is
 * milliseconds, statement_timeout's base unit. 0 means no timeout. Unreadable values count as 0.
 */
export function parseTimeSetting(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  if (!m?.[1]) return 0;
  const unit = UNIT_MS[(m[2] ?? '').toLowerCase() || 'ms'];
  return unit === undefined ? 0 : Number(m[1]) * unit;
}

/** One worker with one PGlite instance on `dataDir`. Dead once terminated; never reused after that. */
class Instance {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  dead = false;
  private readonly calls = new Map<number, Call>();
  private nextId = 1;

  constructor(
    dataDir: string,
    parsers: ParserOids,
    private readonly onTimeout: (instance: Instance) => void,
    private readonly onNotify: (channel: string, payload: string) => void,
    afterOpen: (instance: Instance) => Promise<void>,
  ) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { pglitePath, pgcryptoPath, dataDir, parsers }, execArgv: [] });
    this.worker.on('message', (reply: Reply) => this.receive(reply));
    // A worker that dies on its own (a WebAssembly abort, out of memory) fails what it was doing like a
    // lost connection (08006 → 503); the engine opens a new one for the next transaction.
    this.worker.on('error', (e) => this.fail(sqlError('08006', `PGlite worker failed: ${e.message}`)));
    this.worker.on('exit', () => this.fail(sqlError('08006', 'PGlite worker exited')));
    // After the listeners: adding a 'message' listener re-refs the worker's port. An idle worker must
    // not keep the process alive; a pending call refs it (see send).
    this.worker.unref();
    this.ready = this.send({ op: 'open' }).then(() => afterOpen(this));
  }

  send(req: Request): Promise<Row[]> {
    if (this.dead) return Promise.reject(sqlError('08006', 'PGlite worker is gone'));
    const id = this.nextId++;
    this.worker.ref();
    return new Promise<Row[]>((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.worker.postMessage({ id, ...req });
    });
  }

  private receive(reply: Reply): void {
    if ('notify' in reply) {
      this.onNotify(reply.notify, reply.payload);
      return;
    }
    const call = this.calls.get(reply.id);
    if (!call) return;
    if ('started' in reply) {
      const ms = parseTimeSetting(reply.started);
      if (ms > 0) call.timer = setTimeout(() => this.onTimeout(this), ms);
      return;
    }
    this.calls.delete(reply.id);
    clearTimeout(call.timer);
    if (this.calls.size === 0) this.worker.unref();
    if (reply.ok) call.resolve(reply.rows ?? []);
    else call.reject(sqlError(reply.error.code ?? 'XX000', reply.error.message, { detail: reply.error.detail, hint: reply.error.hint }));
  }

  /** Ends the worker; every pending call fails with `error`. */
  fail(error: Error): void {
    if (this.dead) return;
    this.dead = true;
    for (const call of this.calls.values()) {
      clearTimeout(call.timer);
      call.reject(error);
    }
    this.calls.clear();
    void this.worker.terminate();
  }
}

export interface PgliteEngineOptions {
  /** A directory, or `memory://` for a throw-away database (backed by a temporary directory). */
  dataDir: string;
  parsers: ParserOids;
}

export class PgliteWorkerEngine implements Engine {
  readonly kind = 'pglite' as const;
  /** Instances started so far, the first included (1 + watchdog restarts). */
  instances = 0;
  private current: Instance;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly dataDir: string;
  private readonly tempDir: string | undefined;
  /** LISTENed channels and their callbacks; a replacement instance listens again before it serves. */
  private readonly channels = new Map<string, Set<(payload: string) => void>>();
  private readonly removeTempDir = () => {
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
  };

  private constructor(private readonly opts: PgliteEngineOptions) {
    if (opts.dataDir.startsWith('memory://')) {
      this.tempDir = mkdtempSync(path.join(os.tmpdir(), 'rounds-pglite-'));
      this.dataDir = this.tempDir;
      process.once('exit', this.removeTempDir);
    } else {
      mkdirSync(opts.dataDir, { recursive: true });
      this.dataDir = opts.dataDir;
    }
    this.current = this.spawn();
  }

  static async open(opts: PgliteEngineOptions): Promise<PgliteWorkerEngine> {
    const engine = new PgliteWorkerEngine(opts);
    await engine.current.ready;
    return engine;
  }

  private spawn(): Instance {
    this.instances++;
    return new Instance(
      this.dataDir,
      this.opts.parsers,
      (instance) => {
        instance.fail(statementTimeoutError());
        // Start the replacement now, so it opens while the request is answered.
        if (this.current === instance) this.current = this.spawn();
      },
      (channel, payload) => {
        for (const fn of this.channels.get(channel) ?? []) fn(payload);
      },
      async (instance) => {
        for (const channel of this.channels.keys()) await instance.send({ op: 'listen', channel });
      },
    );
  }

  /** In-process: the listener never loses its connection (a replacement worker listens before it serves), so no onResumed. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) return Promise.reject(new Error(`not a channel name: ${channel}`));
    return this.serial(async () => {
      const instance = await this.live();
      let fns = this.channels.get(channel);
      if (!fns) {
        fns = new Set();
        this.channels.set(channel, fns);
        await instance.send({ op: 'listen', channel });
      }
      fns.add(onNotify);
      return () =>
        this.serial(async () => {
          const set = this.channels.get(channel);
          if (!set?.delete(onNotify) || set.size > 0) return;
          this.channels.delete(channel);
          if (!this.current.dead) await this.current.send({ op: 'unlisten', channel }).catch(() => undefined);
        });
    });
  }

  /** The live instance, opened; replaces one that died while idle or failed to open. */
  private async live(): Promise<Instance> {
    if (this.current.dead) this.current = this.spawn();
    try {
      await this.current.ready;
    } catch (e) {
      if (!this.current.dead) throw e;
      this.current = this.spawn();
      await this.current.ready;
    }
    return this.current;
  }

  /** Runs `fn` after every earlier transaction has finished (PGlite has one session). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private transaction<T>(begin: string, watch: boolean, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      const instance = await this.live();
      await instance.send({ op: 'exec', sql: begin, watch: false });
      const tx: Queryable = {
        query: async <R extends Row>(sql: string, params?: unknown[]) => {
          // Rows come back as the worker's parsers made them; the caller names their shape, as with pg.
          const rows = (await instance.send({ op: 'query', sql, params, watch })) as R[];
          return { rows };
        },
        exec: async (sql: string) => {
          await instance.send({ op: 'exec', sql, watch });
        },
      };
      try {
        const out = await fn(tx);
        await instance.send({ op: 'exec', sql: 'commit', watch: false });
        return out;
      } catch (e) {
        // A terminated worker took its transaction with it; crash recovery discards it on the next open.
        if (!instance.dead) await instance.send({ op: 'exec', sql: 'rollback', watch: false }).catch(() => undefined);
        throw e;
      }
    });
  }

  api<T>(mode: TxMode, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    // The same BEGIN the Postgres engine sends (PostgREST's isolation level and access mode).
    const begin = mode === 'read' ? 'begin isolation level read committed read only' : 'begin isolation level read committed read write';
    return this.transaction(begin, true, fn);
  }

  admin<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.transaction('begin', false, fn);
  }

  close(): Promise<void> {
    return this.serial(async () => {
      const instance = this.current;
      if (!instance.dead) {
        // A clean shutdown checkpoints, so the next open needs no recovery.
        await instance.ready.then(() => instance.send({ op: 'close' })).catch(() => undefined);
        instance.fail(sqlError('08006', 'PGlite engine closed'));
      }
      process.removeListener('exit', this.removeTempDir);
      this.removeTempDir();
    });
  }
}
