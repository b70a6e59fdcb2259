/**
 * Starts one local server for the whole Vitest run: PGlite in memory by default, or a fresh Postgres
 * database created next to DATABASE_URL (dropped afterwards). Tests reach it through `inject('apiUrl')`.
 */
import type { TestProject } from 'vitest/node';
import { startServer, type RunningServer } from '../supabase/local/server.ts';
import { createFreshDatabase, dropDatabase } from '../supabase/local/db.ts';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const fixturesDir = path.join(import.meta.dirname, 'fixtures');

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    engine: 'pglite' | 'postgres';
    testDatabaseUrl: string;
    defaultPrivileges: 'off' | 'supabase';
  }
}

let server: RunningServer | undefined;

/** Test-only objects (e.g. the contract-test tables and functions), applied as the migrator role would; then the schema cache is reloaded. */
export async function applyFixtures(target: RunningServer): Promise<void> {
  for (const f of readdirSync(fixturesDir).filter((n) => n.endsWith('.sql')).sort()) {
    const sql = readFileSync(path.join(fixturesDir, f), 'utf8');
    await target.engine.admin(async (tx) => {
      await tx.exec('set local role rounds_migrator');
      await tx.exec(sql);
    });
  }
  await target.reloadSchema();
}
let freshUrl: string | undefined;

export async function setup(project: TestProject) {
  const base = process.env.DATABASE_URL;
  if (base) freshUrl = await createFreshDatabase(base);
  server = await startServer({
    port: 0,
    databaseUrl: freshUrl,
    dataDir: 'memory://',
    seed: true,
    logRequests: false,
    // Tests sign many users up from one IP; auth rate-limit tests use their own server.
    rateLimitSignInSignUps: 100_000,
    rateLimitTokenRefresh: 100_000,
  });
  await applyFixtures(server);
  project.provide('apiUrl', server.url);
  project.provide('engine', server.engine.kind);
  project.provide('testDatabaseUrl', freshUrl ?? '');
  project.provide('defaultPrivileges', server.config.defaultPrivileges);
}

export async function teardown() {
  await server?.close();
  if (freshUrl) await dropDatabase(freshUrl);
}
