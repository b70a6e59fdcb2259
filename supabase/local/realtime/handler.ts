/**
 * `/realtime/v1/websocket`: Supabase Realtime's Broadcast over the Phoenix channel protocol, for what
 * @supabase/realtime-js 2.x sends (docs/local-server.md#realtime, docs/decisions/024-local-realtime.md).
 * Behaviour follows supabase/realtime's lib/realtime_web/channels/realtime_channel.ex,
 * realtime_channel/broadcast_handler.ex and auth/channels_authorization.ex:
 * - connect: the `apikey` query parameter must be the anon or the service-role key (Kong's check);
 * - `phx_join` on `realtime:<topic>`: the join's `access_token` (else the apikey) must be a valid JWT with
 *   `role` and `exp`; a private channel needs the caller's SELECT policies on realtime.messages to allow
 *   the topic (authorize.ts); replies `{status: ok, response: {postgres_changes: []}}` or
 *   `{status: error, response: {reason}}` with hosted Realtime's reasons;
 * - `broadcast`: to the other channels of the topic (and the sender with `self`), private ones only if
 *   the sender's INSERT policies allow it (else dropped silently, as hosted); `ack` replies ok;
 * - `access_token`: a new token for the channel, re-checked; a bad one, an expired one, or too many
 *   messages per second end the channel with a `system` error message and `phx_close`;
 * - heartbeats on topic `phoenix`; `phx_leave`;
 * - database-sent messages (`realtime.send`) come from LISTEN `realtime_local` after commit and go to the
 *   channels of the topic with the same privacy (private channels passed their read check at join).
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import type { ServerConfig } from '../config.ts';
import type { Engine } from '../db.ts';
import { verifyJwt, type Claims } from '../jwt.ts';
import { checkPolicies } from './authorize.ts';
import { decodeFrame, encodeBroadcast, encodeFrame, reply, type BroadcastPayload, type Frame } from './protocol.ts';

export const REALTIME_PATH = '/realtime/v1/websocket';
const NOTIFY_CHANNEL = 'realtime_local';
/** setTimeout's ceiling (~24.8 days); a token living longer is re-armed when this fires. */
const MAX_TIMER_MS = 2_147_483_647;

interface Channel {
  conn: Conn;
  topic: string;
  /** The topic without `realtime:`, as policies see it through realtime.topic(). */
  name: string;
  joinRef: string | null;
  private: boolean;
  self: boolean;
  ack: boolean;
  token: string;
  role: string;
  claims: Claims;
  /** INSERT policies, checked on the first broadcast and after each new token. */
  canWrite: Promise<boolean> | undefined;
  expiry: NodeJS.Timeout | undefined;
}

interface Conn {
  ws: WebSocket;
  apikey: string;
  channels: Map<string, Channel>;
  /** Times (ms) of this connection's recent client messages, for the per-second limit. */
  recent: number[];
  /** Frames are handled one after another, as one Phoenix channel process handles its mailbox. */
  queue: Promise<void>;
}

const joinPayload = z.object({
  access_token: z.string().optional(),
  config: z
    .object({
      broadcast: z.object({ self: z.boolean().optional(), ack: z.boolean().optional() }).partial().optional(),
      private: z.boolean().optional(),
    })
    .partial()
    .optional(),
});

const dbMessage = z.object({
  id: z.string(),
  topic: z.string().optional(),
  event: z.string().nullable().optional(),
  private: z.boolean().nullable().optional(),
  payload: z.unknown().optional(),
});

export interface RealtimeServer {
  /** Takes over an HTTP upgrade request for REALTIME_PATH. */
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

type TokenCheck = { ok: true; claims: Claims; role: string; exp: number } | { ok: false; reason: string; expired: boolean };

export async function createRealtime(config: ServerConfig, engine: Engine): Promise<RealtimeServer> {
  const apiKeys = new Set([config.anonKey, config.serviceRoleKey]);
  const maxPayloadBytes = config.realtimeMaxPayloadKb * 1000;
  // Frames far above the payload limit are cut off by ws itself (close 1009) before they are buffered whole.
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxPayloadBytes * 4 + 64 * 1024 });
  const conns = new Set<Conn>();
  /** `private:<name>` / `public:<name>` → joined channels (hosted Realtime's tenant topics). */
  const topics = new Map<string, Set<Channel>>();
  const topicKey = (isPrivate: boolean, name: string) => `${isPrivate ? 'private' : 'public'}:${name}`;

  function send(conn: Conn, data: string | Buffer): void {
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(data);
  }

  async function checkToken(token: string): Promise<TokenCheck> {
    // Hosted Realtime allows no clock skew: a token is valid while exp - now > 0.
    const v = await verifyJwt(token, config.jwtSecret, 0);
    if (!v.ok) {
      if (v.reason === 'expired') {
        const exp = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
        const ago = typeof exp.exp === 'number' ? Math.floor(Date.now() / 1000) - exp.exp : 0;
        return { ok: false, reason: `Token has expired ${ago} seconds ago`, expired: true };
      }
      if (v.message === 'JWSError JWSInvalidSignature') return { ok: false, reason: 'Failed to validate JWT signature', expired: false };
      return { ok: false, reason: `Invalid JWT: ${v.message}`, expired: false };
    }
    const { role, exp } = v.claims;
    if (typeof role !== 'string' || typeof exp !== 'number') return { ok: false, reason: 'Fields `role` and `exp` are required in JWT', expired: false };
    return { ok: true, claims: v.claims, role, exp };
  }

  function armExpiry(ch: Channel, exp: number): void {
    clearTimeout(ch.expiry);
    const ms = Math.max(0, exp * 1000 - Date.now());
    ch.expiry = setTimeout(() => {
      if (ms > MAX_TIMER_MS) armExpiry(ch, exp);
      else shutdown(ch, `Token has expired ${Math.max(0, Math.floor(Date.now() / 1000) - exp)} seconds ago`);
    }, Math.min(ms, MAX_TIMER_MS));
    ch.expiry.unref();
  }

  function remove(ch: Channel): void {
    clearTimeout(ch.expiry);
    if (ch.conn.channels.get(ch.topic) === ch) ch.conn.channels.delete(ch.topic);
    const key = topicKey(ch.private, ch.name);
    const set = topics.get(key);
    set?.delete(ch);
    if (set?.size === 0) topics.delete(key);
  }

  /** Hosted Realtime's shutdown_response: a `system` error message, then the channel closes. */
  function shutdown(ch: Channel, message: string): void {
    send(ch.conn, encodeFrame({ joinRef: ch.joinRef, ref: null, topic: ch.topic, event: 'system', payload: { extension: 'system', status: 'error', message, channel: ch.name } }));
    send(ch.conn, encodeFrame({ joinRef: ch.joinRef, ref: ch.joinRef, topic: ch.topic, event: 'phx_close', payload: {} }));
    remove(ch);
  }

  function fanOut(isPrivate: boolean, name: string, b: BroadcastPayload, from?: Channel): void {
    const set = topics.get(topicKey(isPrivate, name));
    if (!set) return;
    const data = encodeBroadcast(`realtime:${name}`, b);
    for (const ch of set) {
      if (ch === from && !ch.self) continue;
      send(ch.conn, data);
    }
  }

  async function join(conn: Conn, f: Frame): Promise<void> {
    const refuse = (reason: string) => send(conn, reply(f.joinRef, f.ref, f.topic, 'error', { reason }));
    if (!f.topic.startsWith('realtime:')) return refuse('You must provide a topic name');
    const name = f.topic.slice('realtime:'.length);
    if (name === '') return refuse('You must provide a topic name');
    const parsed = joinPayload.safeParse(f.payload);
    const params = parsed.success ? parsed.data : {};
    const previous = conn.channels.get(f.topic);
    if (previous) remove(previous);
    if (conn.channels.size + 1 > config.realtimeMaxChannelsPerClient) return refuse('Too many channels');
    const token = params.access_token ?? conn.apikey;
    const t = await checkToken(token);
    if (!t.ok) return refuse(t.reason);
    const isPrivate = params.config?.private === true;
    if (isPrivate) {
      const policies = await checkPolicies(engine, name, t.role, t.claims, { write: false });
      if (!policies.read) return refuse(`Start channel error: You do not have permissions to read from this Channel topic: ${name}`);
    }
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    const ch: Channel = {
      conn,
      topic: f.topic,
      name,
      joinRef: f.joinRef,
      private: isPrivate,
      self: params.config?.broadcast?.self === true,
      ack: params.config?.broadcast?.ack === true,
      token,
      role: t.role,
      claims: t.claims,
      canWrite: undefined,
      expiry: undefined,
    };
    conn.channels.set(f.topic, ch);
    const key = topicKey(isPrivate, name);
    const set = topics.get(key) ?? new Set<Channel>();
    set.add(ch);
    topics.set(key, set);
    armExpiry(ch, t.exp);
    send(conn, reply(f.joinRef, f.ref, f.topic, 'ok', { postgres_changes: [] }));
  }

  async function refreshToken(ch: Channel, token: unknown): Promise<void> {
    if (typeof token !== 'string' || token === ch.token) return;
    const t = await checkToken(token);
    if (!t.ok) return shutdown(ch, t.reason);
    if (ch.private) {
      const policies = await checkPolicies(engine, ch.name, t.role, t.claims, { write: false });
      if (!policies.read) return shutdown(ch, `You do not have permissions to read from this Channel topic: ${ch.name}`);
    }
    Object.assign(ch, { token, role: t.role, claims: t.claims, canWrite: undefined });
    armExpiry(ch, t.exp);
  }

  async function broadcast(ch: Channel, f: Frame, payloadBytes: number): Promise<void> {
    const b = f.payload as Partial<BroadcastPayload> | null;
    if (typeof b !== 'object' || b === null || typeof b.event !== 'string') return;
    if (ch.private) {
      ch.canWrite ??= checkPolicies(engine, ch.name, ch.role, ch.claims, { write: true }).then((p) => p.write);
      // Without an INSERT policy the message is dropped and, as hosted, not even acknowledged.
      if (!(await ch.canWrite)) return;
    }
    if (payloadBytes > maxPayloadBytes) {
      if (ch.ack) send(ch.conn, reply(f.joinRef, f.ref, f.topic, 'error', 'payload_size_exceeded'));
      return;
    }
    fanOut(ch.private, ch.name, { ...b, type: 'broadcast', event: b.event, payload: b.payload }, ch);
    if (ch.ack) send(ch.conn, reply(f.joinRef, f.ref, f.topic, 'ok', {}));
  }

  /** True when this message is one too many for the last second (hosted: "Too many messages per second"). */
  function overRate(conn: Conn): boolean {
    const now = Date.now();
    while (conn.recent.length > 0 && (conn.recent[0] ?? 0) <= now - 1000) conn.recent.shift();
    conn.recent.push(now);
    return conn.recent.length > config.realtimeMaxEventsPerSecond;
  }

  async function handle(conn: Conn, f: Frame, payloadBytes: number): Promise<void> {
    if (f.topic === 'phoenix') {
      if (f.event === 'heartbeat') send(conn, reply(null, f.ref, 'phoenix', 'ok', {}));
      return;
    }
    if (f.event === 'phx_join') return join(conn, f);
    const ch = conn.channels.get(f.topic);
    if (!ch) {
      // Phoenix answers a push to a topic this socket has not joined with an "unmatched topic" error.
      if (f.event === 'phx_leave') send(conn, reply(f.joinRef, f.ref, f.topic, 'ok', {}));
      else send(conn, reply(f.joinRef, f.ref, f.topic, 'error', { reason: 'unmatched topic' }));
      return;
    }
    if (f.event === 'phx_leave') {
      remove(ch);
      send(conn, reply(f.joinRef, f.ref, f.topic, 'ok', {}));
      return;
    }
    if (overRate(conn)) return shutdown(ch, 'Too many messages per second');
    if (f.event === 'broadcast') return broadcast(ch, f, payloadBytes);
    if (f.event === 'access_token') return refreshToken(ch, (f.payload as { access_token?: unknown } | null)?.access_token);
    // presence and anything else: not emulated; hosted Realtime logs unexpected events and ignores them.
  }

  async function relay(raw: string): Promise<void> {
    let m: z.infer<typeof dbMessage>;
    try {
      m = dbMessage.parse(JSON.parse(raw));
    } catch {
      return;
    }
    if (m.topic === undefined) {
      // Too large for NOTIFY: read the committed row.
      const { rows } = await engine.admin((tx) =>
        tx.query(`select id::text as id, topic, event, private, payload from realtime.messages where id = $1::uuid`, [m.id]),
      );
      const row = dbMessage.safeParse(rows[0]);
      if (!row.success || row.data.topic === undefined) return;
      m = row.data;
    }
    if (typeof m.topic !== 'string' || typeof m.event !== 'string') return;
    fanOut(m.private !== false, m.topic, { type: 'broadcast', event: m.event, payload: m.payload ?? null });
  }

  const unlisten = await engine.listen(
    NOTIFY_CHANNEL,
    (payload) => {
      relay(payload).catch((e: unknown) => process.stderr.write(`${JSON.stringify({ level: 'error', realtime: 'relay', error: String(e) })}\n`));
    },
    () => {
      // The database's messages of the gap are lost. Closing every socket makes each client reconnect and
      // rejoin, and the app re-reads its snapshot on every rejoin (src/lib/realtime.ts) — the same as a
      // client's own drop, which Realtime never replays either.
      process.stderr.write(`${JSON.stringify({ level: 'warn', realtime: 'listener resumed after a gap; closing sockets so clients rejoin' })}\n`);
      for (const conn of conns) conn.ws.close(1012, 'service restart');
    },
  );

  wss.on('connection', (ws: WebSocket, apikey: string) => {
    const conn: Conn = { ws, apikey, channels: new Map(), recent: [], queue: Promise.resolve() };
    conns.add(conn);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const decoded = decodeFrame(data, isBinary);
      if (!decoded) return;
      conn.queue = conn.queue
        .then(() => handle(conn, decoded.frame, decoded.payloadBytes))
        .catch((e: unknown) => {
          process.stderr.write(`${JSON.stringify({ level: 'error', realtime: decoded.frame.event, error: e instanceof Error ? e.stack : String(e) })}\n`);
        });
    });
    ws.on('close', () => {
      for (const ch of [...conn.channels.values()]) remove(ch);
      conns.delete(conn);
    });
    ws.on('error', () => undefined);
  });

  function refuseUpgrade(socket: Duplex, status: number, body: object): void {
    const text = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Service Unavailable'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
    );
  }

  return {
    upgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const key = url.searchParams.get('apikey') ?? (typeof req.headers.apikey === 'string' ? req.headers.apikey : null);
      if (!key) return refuseUpgrade(socket, 401, { message: 'No API key found in request' });
      if (!apiKeys.has(key)) return refuseUpgrade(socket, 401, { message: 'Invalid API key' });
      // Hosted: "Too many connected users" (max_concurrent_users); refused before the upgrade here.
      if (conns.size >= config.realtimeMaxConnections) return refuseUpgrade(socket, 503, { message: 'Too many connected users' });
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, key));
    },
    async close() {
      for (const conn of conns) conn.ws.terminate();
      conns.clear();
      topics.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await unlisten();
    },
  };
}
