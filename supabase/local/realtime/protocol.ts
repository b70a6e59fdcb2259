/**
 * The Phoenix channel wire format as @supabase/realtime-js 2.x speaks it with `vsn=2.0.0`
 * (node_modules/@supabase/realtime-js/dist/main/lib/serializer.js):
 * - text frames are JSON arrays `[join_ref, ref, topic, event, payload]`, both ways;
 * - a client Broadcast whose payload has a string `event` comes as a BINARY "user broadcast push"
 *   (kind 3): `kind, join_ref length, ref length, topic length, user event length, metadata length,
 *   encoding` (one byte each), then those strings, then the user payload (encoding 1: JSON, 0: raw bytes);
 * - the server may send a Broadcast as a binary "user broadcast" (kind 4): `kind, topic length, user event
 *   length, metadata length, encoding`, the strings, the payload. Used here only for raw-byte payloads;
 *   JSON payloads go out as text frames, which the client decodes the same way.
 */

export interface Frame {
  joinRef: string | null;
  ref: string | null;
  topic: string;
  event: string;
  payload: unknown;
}

/** A Broadcast payload as channels see it: `{type: 'broadcast', event, payload}` (+ metadata keys). */
export interface BroadcastPayload {
  type: 'broadcast';
  event: string;
  payload: unknown;
  [meta: string]: unknown;
}

const USER_BROADCAST_PUSH = 3;
const USER_BROADCAST = 4;
const JSON_ENCODING = 1;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const asRef = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);

/** A frame from a client, or undefined for anything malformed (the connection ignores it, as Phoenix logs and drops it). */
export function decodeFrame(data: Buffer, isBinary: boolean): { frame: Frame; payloadBytes: number } | undefined {
  if (isBinary) return decodeUserBroadcastPush(data);
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 5) return undefined;
  const [joinRef, ref, topic, event, payload] = parsed as unknown[];
  if (typeof topic !== 'string' || typeof event !== 'string') return undefined;
  const frame: Frame = { joinRef: asRef(joinRef), ref: asRef(ref), topic, event, payload: payload ?? {} };
  const inner = isRecord(payload) ? payload.payload : undefined;
  return { frame, payloadBytes: inner === undefined ? 0 : Buffer.byteLength(JSON.stringify(inner)) };
}

function decodeUserBroadcastPush(buf: Buffer): { frame: Frame; payloadBytes: number } | undefined {
  if (buf.length < 7 || buf[0] !== USER_BROADCAST_PUSH) return undefined;
  const lengths = [buf[1] ?? 0, buf[2] ?? 0, buf[3] ?? 0, buf[4] ?? 0, buf[5] ?? 0];
  const encoding = buf[6];
  let offset = 7;
  const [joinRef = '', ref = '', topic = '', userEvent = '', metadata = ''] = lengths.map((n) => {
    const s = buf.subarray(offset, offset + n).toString('utf8');
    offset += n;
    return s;
  });
  if (offset > buf.length) return undefined;
  const body = buf.subarray(offset);
  let userPayload: unknown;
  let meta: Record<string, unknown> = {};
  try {
    userPayload = encoding === JSON_ENCODING ? JSON.parse(body.toString('utf8')) : new Uint8Array(body);
    if (metadata !== '') {
      const m: unknown = JSON.parse(metadata);
      if (isRecord(m)) meta = m;
    }
  } catch {
    return undefined;
  }
  const payload: BroadcastPayload = { ...meta, type: 'broadcast', event: userEvent, payload: userPayload };
  return { frame: { joinRef: joinRef || null, ref: ref || null, topic, event: 'broadcast', payload }, payloadBytes: body.length };
}

export function encodeFrame(f: Frame): string {
  return JSON.stringify([f.joinRef, f.ref, f.topic, f.event, f.payload]);
}

/** A Broadcast to one channel: text for JSON payloads, the binary kind 4 for raw bytes. */
export function encodeBroadcast(topic: string, b: BroadcastPayload): string | Buffer {
  if (!(b.payload instanceof Uint8Array)) return encodeFrame({ joinRef: null, ref: null, topic, event: 'broadcast', payload: b });
  const t = Buffer.from(topic);
  const e = Buffer.from(b.event);
  const header = Buffer.from([USER_BROADCAST, t.length, e.length, 0, 0]);
  return Buffer.concat([header, t, e, b.payload]);
}

export function reply(joinRef: string | null, ref: string | null, topic: string, status: 'ok' | 'error', response: unknown): string {
  return encodeFrame({ joinRef, ref, topic, event: 'phx_reply', payload: { status, response } });
}
