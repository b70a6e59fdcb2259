/**
 * Database engines behind the local server.
 *
 * Contract: every API request runs inside ONE transaction on ONE connection (`engine.api`), exactly as
 * PostgREST does; the REST layer issues `set_config('role', …, true)` etc. as its first statement.
 * - PGlite (default): a single embedded session that is a superuser. Role switching is therefore checked
 *   by the REST layer (pg_has_role on `authenticator`) before it sets the role.
 * - Postgres (DATABASE_URL): API transactions use a pool that logs in as `authenticator`, so Postgres
 *   itself refuses roles it may not switch to. Admin work (auth, migrations) uses the DATABASE_URL login.
 */
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import pg from 'pg';
import { mkdirSync } from 'node:fs';

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

class PgliteEngine implements Engine {
  readonly kind = 'pglite' as const;
  constructor(private readonly db: PGlite) {}

  private wrap(tx: { query: PGlite['query']; exec: PGlite['exec'] }): Queryable {
    return {
      query: async <T extends Row>(sql: string, params?: unknown[]) => {
        const r = await tx.query<T>(sql, params);
        return { rows: r.rows };
      },
      exec: async (sql: string) => {
        await tx.exec(sql);
      },
    };
  }

  api<T>(mode: TxMode, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      if (mode === 'read') await tx.query('set transaction read only');
      return fn(this.wrap(tx));
    });
  }

  admin<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => fn(this.wrap(tx)));
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

class PostgresEngine implements Engine {
  readonly kind = 'postgres' as const;
  constructor(
    private readonly apiPool: pg.Pool,
    private readonly adminPool: pg.Pool,
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

  async close(): Promise<void> {
    await Promise.all([this.apiPool.end(), this.adminPool.end()]);
  }
}

// Both engines return the same JS shapes: int8 as number, date/timestamp(tz) and numeric as PostgreSQL's
// text (never re-formatted through Date), json/jsonb parsed, bool and int2/int4 as usual. Response bodies
// are produced as text by SQL anyway (`json_agg(...)::text`).
const identity = (v: string) => v;
const PARSERS: Record<number, (v: string) => unknown> = {
  20: (v: string) => Number(v),
  1082: identity,
  1114: identity,
  1184: identity,
  1700: identity,
};
/**
 * PGlite serialises parameters in JS by the type Postgres inferred, and its bool and bytea serialisers
 * throw a plain Error (no SQLSTATE, so a 500) for text they do not recognise — `?published=eq.maybe`.
 * Passing such text through lets Postgres judge it, with the 22P02 (a 400) node-postgres gets too.
 */
const SERIALIZERS: Record<number, (v: unknown) => string> = {
  16: (v) => (typeof v === 'boolean' ? (v ? 't' : 'f') : String(v)),
  17: (v) => (v instanceof Uint8Array ? `\\x${Buffer.from(v).toString('hex')}` : String(v)),
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
    return new PostgresEngine(apiPool, adminPool);
  }
  if (!opts.dataDir.startsWith('memory://')) mkdirSync(opts.dataDir, { recursive: true });
  const db = await PGlite.create(opts.dataDir, { extensions: { pgcrypto }, parsers: PARSERS, serializers: SERIALIZERS });
  return new PgliteEngine(db);
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
