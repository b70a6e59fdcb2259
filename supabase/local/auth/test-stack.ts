/**
 * Test-only: an auth handler on its own database (PGlite in memory, or a fresh Postgres database next to
 * DATABASE_URL) with a fake clock, reached by the real supabase-js through a `fetch` that calls the
 * handler in-process. This is how tests cross the 10 s refresh-reuse window, the 5-minute rate-limit
 * window and the 15-minute lockout without sleeping (the shared HTTP server cannot take a clock).
 * The gateway's apikey check is not in this path; the tests using it are about auth semantics.
 */
import { loadConfig, type ServerConfig } from '../config.ts';
import { createFreshDatabase, dropDatabase, openEngine, type Engine } from '../db.ts';
import type { Handler } from '../http.ts';
import { migrate } from '../migrate.ts';
import { createTestClient, type TestClient } from '../test-client.ts';
import { createAuthHandler } from './handler.ts';

export interface FakeClock {
  now: () => number;
  advance(ms: number): void;
}

export function fakeClock(start = Date.now()): FakeClock {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}

export interface AuthStack {
  config: ServerConfig;
  engine: Engine;
  handler: Handler;
  clock: FakeClock;
  /** Base URL the in-process fetch pretends to serve (never listened on). */
  url: string;
  fetch: typeof fetch;
  /** A supabase-js client whose requests come from `ip` (default 127.0.0.1). */
  client(opts?: { key?: string; ip?: string }): TestClient;
  close(): Promise<void>;
}

export async function startAuthStack(overrides: Partial<ServerConfig> = {}): Promise<AuthStack> {
  const base = process.env.DATABASE_URL;
  const databaseUrl = base ? await createFreshDatabase(base, 'rounds_auth_test') : undefined;
  const config = loadConfig({ dataDir: 'memory://', seed: false, logRequests: false, ...overrides, databaseUrl });
  const engine = await openEngine({ databaseUrl, dataDir: 'memory://', authenticatorPassword: config.authenticatorPassword });
  await migrate(engine, { seed: false, authenticatorPassword: config.authenticatorPassword, defaultPrivileges: config.defaultPrivileges });
  const clock = fakeClock();
  const handler = createAuthHandler(config, engine, { now: clock.now });
  const url = 'http://auth.test';

  const inProcessFetch: typeof fetch = async (input, init) => {
    const req = new Request(input, init);
    const headers: Record<string, string> = {};
    req.headers.forEach((v, k) => {
      headers[k] = v;
    });
    const res = await handler.handle({
      method: req.method,
      url: new URL(req.url),
      headers,
      body: await req.text(),
      ip: headers['x-forwarded-for'] ?? '127.0.0.1',
    });
    return new Response(res.body === '' ? null : res.body, { status: res.status, headers: res.headers });
  };

  return {
    config,
    engine,
    handler,
    clock,
    url,
    fetch: inProcessFetch,
    client({ key, ip } = {}) {
      return createTestClient(url, { key, ip, fetch: inProcessFetch });
    },
    async close() {
      await engine.close();
      if (databaseUrl) await dropDatabase(databaseUrl);
    },
  };
}
