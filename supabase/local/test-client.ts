/**
 * The one way Node code builds a supabase-js client against the local server: the Vitest suites (tests/,
 * supabase/local), the Playwright helpers (e2e/) and the scripts (scripts/sweep-media.ts, which also runs
 * against a hosted project), which is why nothing here imports Vitest.
 *
 * Clients are typed by the generated schema (src/lib/database.types.ts), keep no session of their own
 * (no persistence, no auto-refresh: a test holds its tokens), and get `ws` as their realtime transport.
 */
import { createClient, type SupabaseClient, type SupabaseClientOptions } from '@supabase/supabase-js';
import WebSocket from 'ws';
import type { Database } from '../../src/lib/database.types.ts';
import { DEMO_ANON_KEY } from './config.ts';

export interface TestClientOptions {
  /** The API key sent as `apikey` (and as the bearer token when there is no `accessToken`). Default: the anon key. */
  key?: string;
  /** A signed-in user's access token, sent as `Authorization: Bearer …`. */
  accessToken?: string;
  /** The client IP the gateway sees, as X-Forwarded-For (honoured when the server trusts its proxy). */
  ip?: string;
  /** Sends requests here instead of over the network (an in-process handler). */
  fetch?: typeof fetch;
  /** auth-js options over the defaults, e.g. a storage the test observes. */
  auth?: SupabaseClientOptions<'public'>['auth'];
}

function clientOptions(opts: TestClientOptions): SupabaseClientOptions<'public'> {
  const headers: Record<string, string> = {};
  if (opts.accessToken) headers.Authorization = `Bearer ${opts.accessToken}`;
  if (opts.ip) headers['x-forwarded-for'] = opts.ip;
  return {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false, ...opts.auth },
    // supabase-js ≥ 2.119 throws in createClient when there is no WebSocket, even if realtime is never
    // used, and Node 20 has no global one; `ws` is the transport realtime-js names for Node.
    // @ts-expect-error -- ws's event types (its own Event, a nullable target) are not the DOM's that WebSocketLikeConstructor is declared with; realtime-js only constructs it with (url, protocols) and uses the standard members.
    realtime: { transport: WebSocket },
    global: { headers, ...(opts.fetch ? { fetch: opts.fetch } : {}) },
  };
}

/** A client for the app's schema: tables, columns and RPC arguments are checked against src/lib/database.types.ts. */
export function createTestClient(url: string, opts: TestClientOptions = {}) {
  return createClient<Database>(url, opts.key ?? DEMO_ANON_KEY, clientOptions(opts));
}

export type TestClient = ReturnType<typeof createTestClient>;

/**
 * A client that names tables and functions outside the app's schema: the test fixtures
 * (tests/fixtures/*.sql, e.g. the REST contract tables) and requests malformed on purpose.
 */
export function createUntypedTestClient(url: string, opts: TestClientOptions = {}): SupabaseClient {
  return createClient(url, opts.key ?? DEMO_ANON_KEY, clientOptions(opts));
}
