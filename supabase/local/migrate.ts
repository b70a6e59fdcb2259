/**
 * Brings a database to the state `supabase db reset` would: bootstrap (what hosted Supabase provides),
 * every file in supabase/migrations in order (each in its own transaction, executed as the non-superuser
 * `rounds_migrator` so superuser-only DDL fails here before it fails on hosted Supabase), then seed.sql
 * once (as the admin login, like the CLI).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Engine } from './db.ts';
import { repoRoot, type DefaultPrivileges } from './config.ts';
import { parse } from 'smol-toml';
import { z } from 'zod';

const migrationsDir = path.join(repoRoot, 'supabase/migrations');
const bootstrapPath = path.join(repoRoot, 'supabase/local/bootstrap.sql');

/** Seed files in the order `[db.seed] sql_paths` of supabase/config.toml lists them (as the CLI runs them). */
export function seedFiles(): string[] {
  const toml = z
    .object({ db: z.object({ seed: z.object({ sql_paths: z.array(z.string()) }).partial() }).partial() })
    .partial()
    .parse(parse(readFileSync(path.join(repoRoot, 'supabase/config.toml'), 'utf8')));
  return (toml.db?.seed?.sql_paths ?? ['./seed.sql']).map((p) => path.join(repoRoot, 'supabase', p));
}

export interface MigrateResult {
  applied: string[];
  seeded: boolean;
}

export function listMigrations(): { version: string; name: string; file: string }[] {
  return readdirSync(migrationsDir)
    .filter((f) => /^\d{14}_.+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const m = /^(\d{14})_(.+)\.sql$/.exec(f);
      if (!m?.[1] || !m[2]) throw new Error(`bad migration name ${f}`);
      return { version: m[1], name: m[2], file: path.join(migrationsDir, f) };
    });
}

/** The statements that put a database in `mode`, for the role that applies the migrations. */
export function defaultPrivilegesSql(mode: DefaultPrivileges): string {
  const verb = mode === 'supabase' ? 'grant all on' : 'revoke all on';
  const dir = mode === 'supabase' ? 'to' : 'from';
  return ['tables', 'functions', 'sequences']
    .map((kind) => `alter default privileges for role rounds_migrator in schema public ${verb} ${kind} ${dir} anon, authenticated, service_role;`)
    .join('\n');
}

export async function migrate(
  engine: Engine,
  opts: {
    seed: boolean;
    authenticatorPassword: string;
    defaultPrivileges?: DefaultPrivileges;
    /** Apply only the migrations older than this version (tests of a data migration set up the state before it). */
    stopBefore?: string;
  },
): Promise<MigrateResult> {
  const bootstrap = readFileSync(bootstrapPath, 'utf8');
  await engine.admin(async (tx) => {
    // Serialise concurrent starts against the same Postgres database.
    if (engine.kind === 'postgres') await tx.query('select pg_advisory_xact_lock(4242)');
    await tx.exec(bootstrap);
    await tx.exec(defaultPrivilegesSql(opts.defaultPrivileges ?? 'off'));
    if (engine.kind === 'postgres') {
      const pw = opts.authenticatorPassword.replace(/'/g, "''");
      await tx.exec(`alter role authenticator with login password '${pw}'`);
    }
  });

  const applied: string[] = [];
  const done = new Set(
    (
      await engine.admin((tx) =>
        tx.query<{ version: string }>('select version from supabase_migrations.schema_migrations'),
      )
    ).rows.map((r) => r.version),
  );
  for (const m of listMigrations()) {
    if (done.has(m.version)) continue;
    if (opts.stopBefore !== undefined && m.version >= opts.stopBefore) break;
    const sql = readFileSync(m.file, 'utf8');
    try {
      await engine.admin(async (tx) => {
        await tx.exec('set local role rounds_migrator');
        await tx.exec(sql);
        await tx.exec('reset role');
        await tx.query('insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)', [
          m.version,
          m.name,
          [sql],
        ]);
      });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new Error(`migration ${m.version}_${m.name} failed: ${msg}`, { cause: e });
    }
    applied.push(`${m.version}_${m.name}`);
  }

  let seeded = false;
  if (opts.seed) {
    for (const file of seedFiles()) {
      const sql = readFileSync(file, 'utf8');
      const rel = path.relative(repoRoot, file);
      const hash = createHash('sha256').update(sql).digest('hex');
      const ran = await engine.admin(async (tx) => {
        const { rows } = await tx.query('select 1 from supabase_migrations.seed_files where path = $1', [rel]);
        if (rows.length > 0) return false;
        await tx.exec(sql);
        await tx.query('insert into supabase_migrations.seed_files (path, hash) values ($1, $2)', [rel, hash]);
        return true;
      });
      seeded ||= ran;
    }
  }
  return { applied, seeded };
}
