/** `npm run server`: the local API on its own (npm start also serves the built app). */
import { startServer } from './server.ts';

const server = await startServer();
process.stdout.write(
  `${JSON.stringify({ level: 'info', msg: 'rounds local api listening', url: server.url, engine: server.engine.kind, migrationsApplied: server.migration.applied.length, seeded: server.migration.seeded })}\n`,
);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    void server.close().then(() => process.exit(0));
  });
}
