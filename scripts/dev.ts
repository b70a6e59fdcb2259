/**
 * `npm run dev`: the local API plus Vite's dev server on 5173 with hot reload. The service worker only
 * exists in builds, so offline behaviour is checked with `npm start` / the e2e suite, not here.
 */
import { createServer } from 'vite';
import { repoRoot } from '../supabase/local/config.ts';
import { startServer } from '../supabase/local/server.ts';

const api = await startServer();
// Vite reads VITE_* from process.env before .env files, so the app follows the API even when
// ROUNDS_API_PORT moved it off 54321; an explicit VITE_SUPABASE_URL (e.g. a hosted project) still wins.
process.env.VITE_SUPABASE_URL ??= api.url;

const vite = await createServer({ root: repoRoot, server: { port: 5173, strictPort: true } }).catch(
  async (error: unknown) => {
    await api.close();
    throw error;
  },
);
await vite.listen();

const appUrl = vite.resolvedUrls?.local[0] ?? 'http://localhost:5173/';
process.stdout.write(
  [
    '',
    '  Rounds dev server',
    '',
    `  App     ${appUrl}`,
    `  API     ${api.url}${process.env.VITE_SUPABASE_URL === api.url ? '' : ` (app uses ${process.env.VITE_SUPABASE_URL})`}`,
    `  Engine  ${api.engine.kind === 'pglite' ? `PGlite, data in ${api.config.dataDir}` : 'Postgres (DATABASE_URL)'}`,
    '',
    '  Demo logins (password rounds-demo): instructor@example.com, student@example.com',
    '',
  ].join('\n') + '\n',
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    void Promise.all([vite.close(), api.close()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
