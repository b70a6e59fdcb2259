/**
 * The local Supabase-compatible API: `/rest/v1` (PostgREST subset), `/auth/v1` (GoTrue subset),
 * `/realtime/v1/websocket` (Realtime Broadcast), `/storage/v1` (Storage objects), `/health`.
 * This file does what Supabase's gateway does in front of those services: CORS, the `apikey` check,
 * body size limit, response compression, request logs, graceful shutdown.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { gzip } from 'node:zlib';
import { loadConfig, type ServerConfig } from './config.ts';
import { openEngine, type Engine } from './db.ts';
import { migrate, type MigrateResult } from './migrate.ts';
import { acceptsGzip, json, type ApiRequest, type ApiResponse, type WireResponse } from './http.ts';
import { createRestHandler } from './rest/handler.ts';
import { createAuthHandler } from './auth/handler.ts';
import { createRealtime, REALTIME_PATH, type RealtimeServer } from './realtime/handler.ts';
import { createStorageHandler, STORAGE_PREFIX, storageTooLarge, type StorageHandler } from './storage/handler.ts';

export interface RunningServer {
  url: string;
  config: ServerConfig;
  engine: Engine;
  migration: MigrateResult;
  /** Re-reads the schema cache (what `NOTIFY pgrst, 'reload schema'` does for PostgREST). */
  reloadSchema(): Promise<void>;
  close(): Promise<void>;
}

const CORS_EXPOSE = [
  'Content-Encoding',
  'Content-Location',
  'Content-Range',
  'Content-Type',
  'Date',
  'Location',
  'Server',
  'Transfer-Encoding',
  'Range-Unit',
  'Retry-After',
  'X-Supabase-Api-Version',
  'X-Total-Count',
  'x-sb-error-code',
  'Proxy-Status',
].join(', ');
const CORS_ALLOW_HEADERS =
  'authorization, apikey, content-type, x-client-info, prefer, accept, accept-profile, content-profile, x-supabase-api-version, x-retry-count, range, traceparent, tracestate, baggage';

function corsHeaders(req: http.IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  return {
    'access-control-allow-origin': typeof origin === 'string' ? origin : '*',
    vary: 'Origin',
    'access-control-expose-headers': CORS_EXPOSE,
  };
}

/** Bodies smaller than this go out as they are: they fit in one TCP packet either way, so gzip would only cost CPU. */
const GZIP_MIN_BYTES = 1024;
/** Only text is worth gzipping; a Storage object (an image) is compressed already. */
const COMPRESSIBLE_TYPE = /json|^text\//i;
/** Room for a multipart upload's boundaries and fields on top of the file itself. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** A Vary value with `token` added once (case-insensitive); `*` already covers everything. */
function withVary(vary: string | undefined, token: string): string {
  const tokens = (vary ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  if (tokens.some((t) => t === '*' || t.toLowerCase() === token.toLowerCase())) return tokens.join(', ');
  return [...tokens, token].join(', ');
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      req.resume();
      resolve('too_large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function flattenHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

export async function startServer(overrides: Partial<ServerConfig> = {}): Promise<RunningServer> {
  let config = loadConfig(overrides);
  const engine = await openEngine({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    authenticatorPassword: config.authenticatorPassword,
    poolSize: config.poolSize,
  });
  const migration = await migrate(engine, {
    seed: config.seed,
    authenticatorPassword: config.authenticatorPassword,
    defaultPrivileges: config.defaultPrivileges,
  });
  // Created once the port is known: with port 0 the JWT issuer must name the bound port.
  const handlers: {
    rest?: Awaited<ReturnType<typeof createRestHandler>>;
    auth?: ReturnType<typeof createAuthHandler>;
    storage?: StorageHandler;
  } = {};
  const apiKeys = new Set([config.anonKey, config.serviceRoleKey]);

  let inFlight = 0;
  let closing = false;
  const idle: (() => void)[] = [];

  async function route(req: ApiRequest): Promise<ApiResponse> {
    const p = req.url.pathname;
    if (p === '/health' || p === '/rest/v1/health') return json(200, { status: 'ok', engine: engine.kind });
    const isRest = p === '/rest/v1' || p.startsWith('/rest/v1/');
    const isAuth = p === '/auth/v1' || p.startsWith('/auth/v1/');
    if (!isRest && !isAuth) return json(404, { message: 'no Route matched with those values' });
    const open = isAuth && /^\/auth\/v1\/(health|settings|\.well-known\/jwks\.json|verify|callback|authorize)$/.test(p);
    if (!open) {
      const key = req.headers['apikey'];
      if (!key) return json(401, { message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' });
      if (!apiKeys.has(key)) return json(401, { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' });
    }
    const handler = isRest ? handlers.rest : handlers.auth;
    if (!handler) return json(503, { message: 'starting up' });
    return handler.handle(req);
  }

  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const reqId = randomUUID();
    const cors = corsHeaders(req);
    const send = (status: number, headers: Record<string, string>, body: string | Buffer) => {
      if (body.length > 0 && req.method !== 'HEAD') headers['content-length'] = String(Buffer.byteLength(body));
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
      if (config.logRequests) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        process.stdout.write(
          `${JSON.stringify({ ts: new Date().toISOString(), level: status >= 500 ? 'error' : 'info', reqId, method: req.method, path: req.url?.split('?')[0], status, ms: Math.round(ms * 10) / 10 })}\n`,
        );
      }
    };
    /**
     * Gzips large bodies for clients that accept it, as Supabase's edge does (PostgREST itself does not
     * compress). Async zlib runs on the libuv pool, so a big page of the bank does not stall the event
     * loop the queries share; a body that fails to compress goes out as it is.
     */
    const finish = (r: WireResponse) => {
      const headers: Record<string, string> = { ...cors, 'x-request-id': reqId, ...r.headers };
      const compressible =
        req.method !== 'HEAD' &&
        r.status !== 204 &&
        r.status !== 304 &&
        !headers['content-encoding'] &&
        COMPRESSIBLE_TYPE.test(headers['content-type'] ?? '') &&
        Buffer.byteLength(r.body) >= GZIP_MIN_BYTES;
      if (compressible) headers.vary = withVary(headers.vary, 'Accept-Encoding');
      if (!compressible || !acceptsGzip(req.headers['accept-encoding'])) {
        send(r.status, headers, r.body);
        return;
      }
      gzip(r.body, { level: 6 }, (err, gz) => {
        if (err) send(r.status, headers, r.body);
        else send(r.status, { ...headers, 'content-encoding': 'gzip' }, gz);
      });
    };
    if (req.method === 'OPTIONS') {
      finish({
        status: 204,
        headers: {
          'access-control-allow-methods': 'GET, POST, PATCH, PUT, DELETE, OPTIONS, HEAD',
          'access-control-allow-headers': req.headers['access-control-request-headers'] ?? CORS_ALLOW_HEADERS,
          'access-control-max-age': '86400',
        },
        body: '',
      });
      return;
    }
    inFlight++;
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const method = req.method ?? 'GET';
        // Storage checks its own token (on hosted Supabase the gateway passes /storage/v1 through without
        // the API key: a signed URL in an <img> carries none) and takes bytes up to its upload limit.
        const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
        if (rawPath.startsWith(`${STORAGE_PREFIX}/`)) {
          const bytes = await readBody(req, config.storageFileSizeLimit + MULTIPART_OVERHEAD_BYTES);
          if (bytes === 'too_large') finish(storageTooLarge());
          else if (!handlers.storage) finish(json(503, { message: 'starting up' }));
          else finish(await handlers.storage.handle({ method, path: rawPath, url, headers: flattenHeaders(req.headers), body: bytes }));
          return;
        }
        const body = await readBody(req, config.bodyLimit);
        if (body === 'too_large') {
          finish(json(413, { code: 'PGRST413', details: null, hint: null, message: `Payload Too Large: the limit is ${config.bodyLimit} bytes` }));
          return;
        }
        const fwd = config.trustProxy ? req.headers['x-forwarded-for'] : undefined;
        const ip = (typeof fwd === 'string' ? fwd.split(',')[0]?.trim() : undefined) || req.socket.remoteAddress || 'unknown';
        finish(await route({ method, url, headers: flattenHeaders(req.headers), body: body.toString('utf8'), ip }));
      } catch (e) {
        process.stderr.write(`${JSON.stringify({ ts: new Date().toISOString(), level: 'error', reqId, error: e instanceof Error ? e.stack : String(e) })}\n`);
        finish(json(500, { code: 'PGRST000', details: null, hint: null, message: 'Internal server error' }));
      } finally {
        inFlight--;
        if (inFlight === 0) idle.splice(0).forEach((f) => f());
      }
    })();
  });
  server.keepAliveTimeout = 5000;
  const live: { realtime?: RealtimeServer } = {};
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const p = (req.url ?? '/').split('?')[0];
    if (p === REALTIME_PATH && live.realtime) {
      live.realtime.upgrade(req, socket, head);
      return;
    }
    socket.end('HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"message":"no Route matched with those values"}');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const addr = server.address();
  const boundPort = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${config.host}:${boundPort}`;
  if (!process.env.ROUNDS_API_URL) config = { ...config, port: boundPort, apiUrl: url };
  handlers.rest = await createRestHandler(config, engine);
  handlers.auth = createAuthHandler(config, engine);
  live.realtime = await createRealtime(config, engine);
  handlers.storage = await createStorageHandler(config, engine);

  return {
    url,
    config,
    engine,
    migration,
    reloadSchema: async () => handlers.rest?.reload(),
    async close() {
      if (closing) return;
      closing = true;
      await live.realtime?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      if (inFlight > 0) await new Promise<void>((resolve) => idle.push(resolve));
      await handlers.storage?.close();
      await engine.close();
    },
  };
}
