/**
 * Starts what the e2e suite runs against: the local API on E2E_API_PORT (PGlite in memory, or a fresh
 * database next to DATABASE_URL, seeded) and the production-like static server on a free port serving
 * ./dist. Returns the teardown, which stops both and drops the fresh database.
 */
import path from 'node:path';
import { repoRoot } from '../supabase/local/config.ts';
import { createFreshDatabase, dropDatabase } from '../supabase/local/db.ts';
import { startServer } from '../supabase/local/server.ts';
import { readBuildInfo, sameApiUrl } from '../scripts/build-info.ts';
import { startPreview } from '../scripts/preview-server.ts';
import { E2E_API_PORT, E2E_API_URL, E2E_API_URL_VAR, E2E_APP_URL_VAR } from './e2e-env.ts';
import { seedBigCohort } from './seed-big-cohort.ts';

const distDir = path.join(repoRoot, 'dist');
const rebuildHint = 'npm run build:e2e';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const buildInfo = await readBuildInfo(distDir);
  if (!buildInfo) {
    throw new Error(`No build in ${distDir}. Run \`npm test\` (it builds first) or \`${rebuildHint}\`.`);
  }
  if (!sameApiUrl(buildInfo.supabaseUrl, E2E_API_URL)) {
    throw new Error(
      `dist/ was built for the API at ${buildInfo.supabaseUrl}, but the e2e API is ${E2E_API_URL}. ` +
        `Rebuild with \`${rebuildHint}\` (npm test does this).`,
    );
  }

  const freshDatabaseUrl = process.env.DATABASE_URL ? await createFreshDatabase(process.env.DATABASE_URL) : undefined;
  const dropFresh = async () => {
    if (freshDatabaseUrl) await dropDatabase(freshDatabaseUrl);
  };

  const api = await startServer({
    port: E2E_API_PORT,
    // The JWT issuer is derived from the URL clients use, not from ROUNDS_API_PORT.
    apiUrl: E2E_API_URL,
    dataDir: 'memory://',
    databaseUrl: freshDatabaseUrl,
    seed: true,
    logRequests: false,
    // Every spec signs students up and in from 127.0.0.1; GoTrue's per-IP limits (and the lockout) are
    // tested against their own servers in supabase/local/auth, not here.
    rateLimitSignInSignUps: 100_000,
    rateLimitTokenRefresh: 100_000,
  }).catch(async (error: unknown) => {
    await dropFresh();
    throw error;
  });

  // A 10,000-student cohort for the leaderboard spec (e2e/instructor.spec.ts).
  await seedBigCohort(api).catch(async (error: unknown) => {
    await api.close();
    await dropFresh();
    throw error;
  });

  const app = await startPreview({ dir: distDir, port: 0, host: '127.0.0.1' }).catch(async (error: unknown) => {
    await api.close();
    await dropFresh();
    throw error;
  });

  // Workers are started after global setup and inherit this environment.
  process.env[E2E_APP_URL_VAR] = app.url;
  process.env[E2E_API_URL_VAR] = api.url;

  return async () => {
    await app.close();
    await api.close();
    await dropFresh();
  };
}
