/**
 * Configuration of the local Supabase-compatible server.
 *
 * Values come from (highest first): environment variables, supabase/config.toml (the same file the
 * Supabase CLI reads), and the Supabase CLI's published demo defaults. The demo JWT secret and keys are
 * public on purpose: they are what `supabase start` uses, so tooling and docs line up.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parse } from 'smol-toml';
import { z } from 'zod';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const DEMO_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
export const DEMO_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
export const DEMO_SERVICE_ROLE_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU';

/**
 * What a new object in `public` grants to the API roles before any migration says so:
 * - `off`: nothing (PostgreSQL's own defaults; hosted Supabase since 2026-10-30 unless switched back on);
 * - `supabase`: everything, as Supabase's init script sets it up (`alter default privileges in schema public
 *   grant all on tables/functions/sequences to anon, authenticated, service_role`): self-hosted Supabase,
 *   `supabase start`, and hosted projects with "default privileges for new entities" on.
 * Migrations must be right in both (docs/decisions/018-privileges-in-both-modes.md).
 */
export type DefaultPrivileges = 'off' | 'supabase';

const tomlSchema = z.object({
  api: z
    .object({
      port: z.number().int().optional(),
      schemas: z.array(z.string()).optional(),
      extra_search_path: z.array(z.string()).optional(),
      max_rows: z.number().int().optional(),
    })
    .partial()
    .optional(),
  auth: z
    .object({
      jwt_expiry: z.number().int().optional(),
      refresh_token_reuse_interval: z.number().int().optional(),
      enable_signup: z.boolean().optional(),
      minimum_password_length: z.number().int().optional(),
      rate_limit: z
        .object({ sign_in_sign_ups: z.number().int().optional(), token_refresh: z.number().int().optional() })
        .partial()
        .optional(),
    })
    .partial()
    .optional(),
  storage: z.object({ file_size_limit: z.string().optional() }).partial().optional(),
});

export interface ServerConfig {
  host: string;
  port: number;
  /** Public URL of the API, used as the JWT issuer base (`<apiUrl>/auth/v1`). */
  apiUrl: string;
  jwtSecret: string;
  anonKey: string;
  serviceRoleKey: string;
  schemas: string[];
  extraSearchPath: string[];
  maxRows: number;
  jwtExpiry: number;
  refreshTokenReuseInterval: number;
  enableSignup: boolean;
  minimumPasswordLength: number;
  /** GoTrue: sign-ups + password sign-ins per IP per 5-minute window. */
  rateLimitSignInSignUps: number;
  /** GoTrue: token refreshes per IP per 5-minute window. */
  rateLimitTokenRefresh: number;
  /** Failed password attempts for one email from one IP before that pair is locked out. */
  lockoutAttempts: number;
  /** Failed password attempts for one email from all IPs together before the email is locked out for everyone. */
  accountLockoutAttempts: number;
  lockoutWindowMs: number;
  /** Request body limit in bytes (413 above it). */
  bodyLimit: number;
  /** PGlite data directory, or `memory://` for a throw-away database. Ignored when databaseUrl is set. */
  dataDir: string;
  /** A real Postgres (superuser or owner connection). When set, PGlite is not used. */
  databaseUrl: string | undefined;
  /** Connections in the Postgres pool that serves API requests as `authenticator` (ignored on PGlite). */
  poolSize: number;
  /**
   * API transactions of one user (JWT sub; anon by role and IP) running at once; the user's further
   * requests queue (rest/admission.ts). Undefined: 3 on Postgres (of `poolSize` 10), 1 on PGlite, whose
   * one session runs a single transaction at a time anyway (docs/decisions/014).
   */
  apiPerUser: number | undefined;
  /** Requests of one user waiting for those places; the next one gets 429 + Retry-After. */
  apiQueuePerUser: number;
  /** REST requests one user may send per second on average, and at once (rest/admission.ts createRequestRate). */
  apiRatePerUser: number;
  apiBurstPerUser: number;
  /** Password the bootstrap gives the `authenticator` login role on Postgres. */
  authenticatorPassword: string;
  /** Run supabase/seed.sql after migrations on a fresh database. */
  seed: boolean;
  /** What new objects in `public` grant the API roles before migrations say (ROUNDS_DEFAULT_PRIVILEGES). */
  defaultPrivileges: DefaultPrivileges;
  logRequests: boolean;
  /**
   * Realtime limits (realtime/handler.ts), hosted Realtime's Free-plan defaults
   * (https://supabase.com/docs/guides/realtime/limits): concurrent connections, client messages per second
   * (per connection here; per project on hosted), channels per connection, Broadcast payload size in KB.
   */
  realtimeMaxConnections: number;
  realtimeMaxEventsPerSecond: number;
  realtimeMaxChannelsPerClient: number;
  realtimeMaxPayloadKb: number;
  /**
   * Where Storage keeps the bytes of its objects (storage/handler.ts). Undefined: a temporary directory
   * removed when the server closes (a `memory://` database forgets its rows, so the files go too).
   */
  storageDir: string | undefined;
  /**
   * Storage's global upload limit in bytes (`[storage] file_size_limit` of supabase/config.toml, 50 MiB
   * as on the Free plan); a bucket's file_size_limit can only lower it.
   */
  storageFileSizeLimit: number;
  /** Take the client IP from X-Forwarded-For (only behind a proxy you run; otherwise clients could spoof it). */
  trustProxy: boolean;
}

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new Error(`${name} must be an integer, got ${raw}`);
  return n;
}

/** `50MiB`, `5MB`, `300KB`, `10B` → bytes (the Supabase CLI's size strings; K/M/G count in 1024s either way, as the CLI does). */
function parseSize(raw: string): number {
  const m = /^\s*(\d+)\s*(B|KB|KiB|MB|MiB|GB|GiB)?\s*$/i.exec(raw);
  if (!m?.[1]) throw new Error(`not a size: ${raw}`);
  const unit = (m[2] ?? 'B').toUpperCase()[0] ?? 'B';
  const factor = { B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[unit] ?? 1;
  return Number(m[1]) * factor;
}

function storageDirFromEnv(dataDir: string): string | undefined {
  if (process.env.ROUNDS_STORAGE_DIR) return process.env.ROUNDS_STORAGE_DIR;
  // Next to the PGlite data (`.data/pglite` → `.data/storage`), which a Postgres database also uses by default.
  return dataDir === 'memory://' ? undefined : path.join(path.dirname(dataDir), 'storage');
}

function defaultPrivilegesFromEnv(): DefaultPrivileges {
  const raw = process.env.ROUNDS_DEFAULT_PRIVILEGES ?? 'off';
  if (raw !== 'off' && raw !== 'supabase') throw new Error(`ROUNDS_DEFAULT_PRIVILEGES must be off or supabase, got ${raw}`);
  return raw;
}

export function loadConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  const tomlPath = path.join(repoRoot, 'supabase/config.toml');
  const toml = tomlSchema.parse(parse(readFileSync(tomlPath, 'utf8')));
  const host = process.env.ROUNDS_API_HOST ?? '127.0.0.1';
  const port = envInt('ROUNDS_API_PORT', toml.api?.port ?? 54321);
  const base: ServerConfig = {
    host,
    port,
    apiUrl: process.env.ROUNDS_API_URL ?? `http://127.0.0.1:${port}`,
    jwtSecret: process.env.JWT_SECRET ?? DEMO_JWT_SECRET,
    anonKey: process.env.SUPABASE_ANON_KEY ?? DEMO_ANON_KEY,
    serviceRoleKey: process.env.SUPABASE_SERVICE_ROLE_KEY ?? DEMO_SERVICE_ROLE_KEY,
    schemas: toml.api?.schemas ?? ['public', 'graphql_public'],
    extraSearchPath: toml.api?.extra_search_path ?? ['public', 'extensions'],
    maxRows: toml.api?.max_rows ?? 1000,
    jwtExpiry: envInt('ROUNDS_JWT_EXPIRY', toml.auth?.jwt_expiry ?? 3600),
    refreshTokenReuseInterval: toml.auth?.refresh_token_reuse_interval ?? 10,
    enableSignup: toml.auth?.enable_signup ?? true,
    minimumPasswordLength: toml.auth?.minimum_password_length ?? 6,
    rateLimitSignInSignUps: envInt(
      'ROUNDS_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS',
      toml.auth?.rate_limit?.sign_in_sign_ups ?? 30,
    ),
    rateLimitTokenRefresh: envInt('ROUNDS_AUTH_RATE_LIMIT_TOKEN_REFRESH', toml.auth?.rate_limit?.token_refresh ?? 150),
    lockoutAttempts: envInt('ROUNDS_AUTH_LOCKOUT_ATTEMPTS', 5),
    accountLockoutAttempts: envInt('ROUNDS_AUTH_ACCOUNT_LOCKOUT_ATTEMPTS', 20),
    lockoutWindowMs: envInt('ROUNDS_AUTH_LOCKOUT_WINDOW_MS', 15 * 60 * 1000),
    bodyLimit: envInt('ROUNDS_BODY_LIMIT', 1024 * 1024),
    dataDir: process.env.ROUNDS_DATA_DIR ?? path.join(repoRoot, '.data/pglite'),
    databaseUrl: process.env.DATABASE_URL || undefined,
    poolSize: envInt('ROUNDS_DB_POOL_SIZE', 10),
    apiPerUser: process.env.ROUNDS_API_PER_USER ? envInt('ROUNDS_API_PER_USER', 1) : undefined,
    apiQueuePerUser: envInt('ROUNDS_API_QUEUE_PER_USER', 128),
    apiRatePerUser: envInt('ROUNDS_API_RATE_PER_USER', 200),
    apiBurstPerUser: envInt('ROUNDS_API_BURST_PER_USER', 400),
    authenticatorPassword: process.env.ROUNDS_AUTHENTICATOR_PASSWORD ?? 'authenticator-local-only',
    seed: process.env.ROUNDS_SEED !== '0',
    defaultPrivileges: defaultPrivilegesFromEnv(),
    logRequests: process.env.ROUNDS_LOG !== '0',
    realtimeMaxConnections: envInt('ROUNDS_REALTIME_MAX_CONNECTIONS', 200),
    realtimeMaxEventsPerSecond: envInt('ROUNDS_REALTIME_MAX_EVENTS_PER_SECOND', 100),
    realtimeMaxChannelsPerClient: envInt('ROUNDS_REALTIME_MAX_CHANNELS_PER_CLIENT', 100),
    realtimeMaxPayloadKb: envInt('ROUNDS_REALTIME_MAX_PAYLOAD_KB', 256),
    trustProxy: process.env.ROUNDS_TRUST_PROXY === '1',
    storageDir: undefined,
    storageFileSizeLimit: process.env.ROUNDS_STORAGE_FILE_SIZE_LIMIT
      ? parseSize(process.env.ROUNDS_STORAGE_FILE_SIZE_LIMIT)
      : parseSize(toml.storage?.file_size_limit ?? '50MiB'),
  };
  const merged = { ...base, ...overrides };
  // Follows the data directory the caller chose unless it was given too.
  return 'storageDir' in overrides ? merged : { ...merged, storageDir: storageDirFromEnv(merged.dataDir) };
}
