/**
 * `npm start` (after `vite build`): the local API and the built app, as a student would get them.
 * Ports: ROUNDS_API_PORT (54321, see supabase/local/config.ts) and ROUNDS_APP_PORT (4173).
 */
import path from 'node:path';
import { repoRoot } from '../supabase/local/config.ts';
import { startServer } from '../supabase/local/server.ts';
import { readBuildInfo, sameApiUrl } from './build-info.ts';
import { startPreview } from './preview-server.ts';

const distDir = path.join(repoRoot, 'dist');
const appPort = Number(process.env.ROUNDS_APP_PORT ?? 4173);
const appHost = process.env.ROUNDS_APP_HOST ?? 'localhost';

const buildInfo = await readBuildInfo(distDir);
if (!buildInfo) {
  process.stderr.write(`No build in ${distDir}. Run \`npm start\` (it builds first) or \`npx vite build\`.\n`);
  process.exit(1);
}

const api = await startServer();
const app = await startPreview({ dir: distDir, port: appPort, host: appHost }).catch(async (error: unknown) => {
  await api.close();
  throw error;
});

const dataLocation = api.engine.kind === 'pglite' ? `PGlite, data in ${api.config.dataDir}` : 'Postgres (DATABASE_URL)';
const lines = [
  '',
  '  Rounds is running',
  '',
  `  App     ${app.url}`,
  `  API     ${api.url}`,
  `  Engine  ${dataLocation}`,
  '',
  '  Demo logins (password rounds-demo):',
  '    instructor@example.com',
  '    student@example.com',
  '',
  '  Ctrl+C to stop.',
  '',
];
// The URL is inlined at build time, so a dist/ built for another API (e.g. by the e2e run) would talk
// to the wrong server; say so instead of letting sign-in fail mysteriously.
if (!sameApiUrl(buildInfo.supabaseUrl, api.url)) {
  lines.push(
    `  Warning: dist/ was built for the API at ${buildInfo.supabaseUrl}, not ${api.url}.`,
    '  Rebuild with `npm start`, or set VITE_SUPABASE_URL to match before `vite build`.',
    '',
  );
}
process.stdout.write(`${lines.join('\n')}\n`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // A second Ctrl+C while in-flight requests drain means "now".
    if (stopping) process.exit(1);
    stopping = true;
    process.stdout.write('\nStopping…\n');
    void Promise.all([app.close(), api.close()]).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  });
}
