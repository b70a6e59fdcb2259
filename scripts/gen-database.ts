/**
 * The database the generators read (scripts/gen-types.ts, scripts/gen-schema.ts) and the staleness test
 * (tests/generated.test.ts) re-reads: a fresh one, migrated exactly as the server migrates it (bootstrap,
 * every migration as `rounds_migrator`), without seed data or the test fixtures, so it holds what
 * `supabase db push` would create and nothing else.
 *
 * PGlite in memory unless `databaseUrl` names a Postgres server, on which a scratch database is created
 * next to it and dropped afterwards. Default privileges are always `off` unless asked otherwise: every
 * migration revokes before it grants (tests/migration-privileges.test.ts), so both modes must produce
 * the same catalog, and the test checks that in the run with Supabase's default privileges.
 */
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { createFreshDatabase, dropDatabase, openEngine, type Queryable } from '../supabase/local/db.ts';
import { migrate } from '../supabase/local/migrate.ts';
import { loadConfig, repoRoot, type DefaultPrivileges } from '../supabase/local/config.ts';

export interface MigratedDatabaseOptions {
  /** A Postgres server to create the scratch database on; PGlite in memory when absent. */
  databaseUrl?: string | undefined;
  defaultPrivileges?: DefaultPrivileges;
}

/** Runs `read` in one admin transaction on a freshly migrated scratch database, then throws the database away. */
export async function withMigratedDatabase<T>(read: (tx: Queryable) => Promise<T>, opts: MigratedDatabaseOptions = {}): Promise<T> {
  // The authenticator role is cluster-wide and migrate() sets its password: keep the one every local
  // server and test run logs in with.
  const { authenticatorPassword } = loadConfig();
  const url = opts.databaseUrl ? await createFreshDatabase(opts.databaseUrl, 'rounds_gen') : undefined;
  const engine = await openEngine({ databaseUrl: url, dataDir: 'memory://', authenticatorPassword, poolSize: 1 });
  try {
    await migrate(engine, { seed: false, authenticatorPassword, defaultPrivileges: opts.defaultPrivileges ?? 'off' });
    return await engine.admin(async (tx) => {
      // Deparsed SQL (views, policies, defaults) and format_type() qualify every name outside pg_catalog
      // under an empty search_path, so the output does not depend on the session that reads it.
      await tx.query(`select pg_catalog.set_config('search_path', '', true)`);
      return read(tx);
    });
  } finally {
    await engine.close();
    if (url) await dropDatabase(url);
  }
}

/** A checked-in file written from the migrated catalog. */
export interface GeneratedFile {
  /** Relative to the repository root. */
  path: string;
  render(tx: Queryable): Promise<string>;
}

/** Writes each file whose content changed and says which. */
export async function writeGenerated(files: GeneratedFile[]): Promise<void> {
  const rendered = await withMigratedDatabase(async (tx) => {
    const out: [GeneratedFile, string][] = [];
    for (const f of files) out.push([f, await f.render(tx)]);
    return out;
  });
  for (const [f, text] of rendered) {
    const abs = path.join(repoRoot, f.path);
    const same = existsSync(abs) && readFileSync(abs, 'utf8') === text;
    if (!same) writeFileSync(abs, text);
    process.stdout.write(`${f.path}: ${same ? 'unchanged' : 'written'}\n`);
  }
}
