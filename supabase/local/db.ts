/**
 * Database engines behind the local server.
 *
 * Contract: every API request runs inside ONE transaction on ONE connection (`engine.api`), exactly as
 * PostgREST does; the REST layer issues `set_config('role', …, true)` etc. as its first statement.
 * - PGlite (default): a single embedded session that is a superuser, in a worker thread with a watchdog for
 *   statement_timeout (pglite-worker.ts). Role switching is therefore checked by the REST layer
 *   (pg_has_role on `authenticator`) before it sets the role.
 * - Postgres (DATABASE_URL): API transactions use a pool that logs in as `authenticator`, so Postgres
 *   itself refuses roles it may not switch to. Admin work (auth, migrations) uses the DATABASE_URL login.
 */
import pg from 'pg';
import { PgliteWorkerEngine, type ParserOids } from './pglite-worker.ts';

export type Row = Record<string, unknown>;

export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** Runs a multi-statement script without parameters. */
  exec(sql: string): Promise<void>;
}

export type TxMode = 'read' | 'write';

export interface Engine {
  readonly kind: 'pglite' | 'postgres';
  /** One transaction as the API login role. Throws (after ROLLBACK) whatever `fn` throws. */
  api<T>(mode: TxMode, fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** One transaction as the privileged login (GoTrue's role, migrations, seed). */
  admin<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * LISTEN on `channel` (a lower-case identifier): `onNotify` gets the payload of each NOTIFY once its
   * transaction has committed. Resolves once listening; the returned function stops it. If the listening
   * connection is lost it is re-established (with backoff) and `onResumed` is called: NOTIFYs sent in the
   * gap are gone (Postgres keeps none for a listener that is not connected).
   */
  listen(channel: string, onNotify: (payload: string) => void, onResumed?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Errors from PGlite and node-postgres share these fields. */
export interface PgError {
  code: string;
  message: string;
  detail?: string | undefined;
  hint?: string | undefined;
}

export function asPgError(e: unknown): PgError | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const code = 'code' in e ? e.code : undefined;
  const message = 'message' in e ? e.message : undefined;
  if (typeof code !== 'string' || typeof message !== 'string') return undefined;
  const detail = 'detail' in e && typeof e.detail === 'string' ? e.detail : undefined;
  const hint = 'hint' in e && typeof e.hint === 'string' ? e.hint : undefined;
  return { code, message, detail, hint };
}

class PostgresEngine implements Engine {
  readonly kind = 'postgres' as const;
  private readonly listeners = new Set<pg.Client>();
  private closed = false;
  constructor(
    private readonly apiPool: pg.Pool,
    private readonly adminPool: pg.Pool,
    private readonly adminUrl: string,
  ) {}

  private async run<T>(pool: pg.Pool, begin: string, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query(begin);
      const q: Queryable = {
        query: async <R extends Row>(sql: string, params?: unknown[]) => {
          const r = await client.query<R>(sql, params);
          return { rows: r.rows };
        },
        exec: async (sql: string) => {
          await client.query(sql);
        },
      };
      const out = await fn(q);
      await client.query('commit');
      return out;
    } catch (e) {
      try {
        await client.query('rollback');
      } catch {
        broken = true;
      }
      throw e;
    } finally {
      client.release(broken);
    }
  }

  api<T>(mode: TxMode, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const begin = mode === 'read' ? 'begin isolation level read committed read only' : 'begin isolation level read committed read write';
    return this.run(this.apiPool, begin, fn);
  }

  admin<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.run(this.adminPool, 'begin', fn);
  }

  /**
   * A connection of its own (LISTEN holds a session), as the privileged login. A connection that ends
   * without being stopped (a restarted server, a terminated backend, a network cut) is replaced, retrying
   * every 0.25 s doubling to 10 s, and the caller hears `onResumed` once it listens again.
   */
  async listen(channel: string, onNotify: (payload: string) => void, onResumed?: () => void): Promise<() => Promise<void>> {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
    let stopped = false;
    let current: pg.Client | null = null;
    const connect = async (): Promise<void> => {
      const client = new pg.Client({ connectionString: this.adminUrl });
      client.on('error', () => undefined);
      client.on('notification', (n) => {
        if (n.channel === channel) onNotify(n.payload ?? '');
      });
      client.on('end', () => {
        if (current !== client) return;
        this.listeners.delete(client);
        current = null;
        if (!stopped && !this.closed) void reconnect();
      });
      try {
        await client.connect();
        await client.query(`listen ${channel}`);
      } catch (e) {
        await client.end().catch(() => undefined);
        throw e;
      }
      if (stopped || this.closed) {
        await client.end().catch(() => undefined);
        return;
      }
      current = client;
      this.listeners.add(client);
    };
    const reconnect = async (): Promise<void> => {
      for (let attempt = 0; !stopped && !this.closed; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 250 * 2 ** attempt)));
        if (stopped || this.closed) return;
        try {
          await connect();
          if (current) onResumed?.();
          return;
        } catch {
          // Not back yet: try again later.
        }
      }
    };
    await connect();
    return async () => {
      stopped = true;
      const client = current;
      current = null;
      if (!client || !this.listeners.delete(client)) return;
      await client.end().catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.listeners].map((c) => c.end().catch(() => undefined)));
    this.listeners.clear();
    await Promise.all([this.apiPool.end(), this.adminPool.end()]);
  }
}

// Both engines return the same JS shapes: int8 as number, date/timestamp(tz) and numeric as PostgreSQL's
// text (never re-formatted through Date), json/jsonb parsed, bool and int2/int4 as usual. Response bodies
// are produced as text by SQL anyway (`json_agg(...)::text`). As OIDs, because PGlite's worker builds its
// parsers from them.
const PARSER_OIDS: ParserOids = { number: [20], text: [1082, 1114, 1184, 1700] };
const identity = (v: string) => v;
const PARSERS: Record<number, (v: string) => unknown> = {
  ...Object.fromEntries(PARSER_OIDS.number.map((oid) => [oid, (v: string) => Number(v)])),
  ...Object.fromEntries(PARSER_OIDS.text.map((oid) => [oid, identity])),
};
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    PARSERS[oid] ?? pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export interface OpenOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  authenticatorPassword: string;
  /** Connections per pool (Postgres only). */
  poolSize?: number;
}

/** Opens the engine. On Postgres, `bootstrap` must have run before API connections can log in. */
export async function openEngine(opts: OpenOptions): Promise<Engine> {
  if (opts.databaseUrl) {
    const adminPool = new pg.Pool({ connectionString: opts.databaseUrl, max: 4, types });
    const apiUrl = new URL(opts.databaseUrl);
    apiUrl.username = 'authenticator';
    apiUrl.password = opts.authenticatorPassword;
    const apiPool = new pg.Pool({ connectionString: apiUrl.toString(), max: opts.poolSize ?? 10, types });
    for (const pool of [adminPool, apiPool]) pool.on('error', () => undefined);
    return new PostgresEngine(apiPool, adminPool, opts.databaseUrl);
  }
  return PgliteWorkerEngine.open({ dataDir: opts.dataDir, parsers: PARSER_OIDS });
}

/** Creates a fresh database next to `databaseUrl` and returns its URL (used by tests and benchmarks). */
export async function createFreshDatabase(databaseUrl: string, prefix = 'rounds_test'): Promise<string> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name.replace(/"/g, '""')}" with (force)`);
  } finally {
    await client.end();
  }
}
