/**
 * `/realtime/v1/websocket` through the real supabase-js (realtime-js over `ws`), against the shared test
 * server: Broadcast on public channels, private channels authorized by the RLS policies of
 * tests/fixtures/050_realtime.sql, database-sent messages (`realtime.send`), heartbeats, token refresh and
 * the limits. Every wait is for an event, with a timeout; "never arrives" is shown by a later marker that
 * must arrive first on the same ordered path.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { afterAll, describe, expect, test } from 'vitest';
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { anonKey, apiUrl, untypedAdmin } from '../../../tests/helpers.ts';
import { createUntypedTestClient } from '../test-client.ts';
import { mintToken } from '../rest/test-support.ts';
import { recorder, subscribe, within } from '../../../tests/realtime.ts';

const clients: SupabaseClient[] = [];

afterAll(async () => {
  await Promise.all(clients.map((c) => c.realtime.disconnect()));
});

/** A client whose realtime connection carries `token` (a user's JWT), or only the anon key. */
async function connect(token?: string): Promise<SupabaseClient> {
  const c = createUntypedTestClient(apiUrl(), { key: anonKey });
  clients.push(c);
  if (token) await c.realtime.setAuth(token);
  return c;
}

/** The next `system` message of a channel (how hosted Realtime says why it closes a channel). */
function nextSystem(ch: RealtimeChannel): Promise<{ status: string; message: string }> {
  return within(
    new Promise((resolve) => {
      ch.on('system', {}, (m: { status: string; message: string }) => resolve(m));
    }),
    `system message on ${ch.topic}`,
  );
}

async function userToken(id: string, claims: Record<string, unknown> = {}): Promise<string> {
  return mintToken({ sub: id, ...claims });
}

async function grant(topic: string, userId: string, canWrite: boolean): Promise<void> {
  const { error } = await untypedAdmin().rpc('realtime_test_grant', { p_topic: topic, p_user: userId, p_can_write: canWrite });
  expect(error).toBeNull();
}

async function sendFromSql(topic: string, event: string, payload: unknown, opts: { private?: boolean; fail?: boolean } = {}) {
  return untypedAdmin().rpc('realtime_test_send', {
    p_topic: topic,
    p_event: event,
    p_payload: payload,
    p_private: opts.private ?? true,
    p_fail: opts.fail ?? false,
  });
}

describe('public channels', () => {
  test('a broadcast reaches the other clients of the topic, not the sender (self: false), and is acknowledged with ack', async () => {
    const topic = `lobby-${randomUUID()}`;
    const a = (await connect()).channel(topic);
    const b = (await connect()).channel(topic, { config: { broadcast: { self: false, ack: true } } });
    const atA = recorder(a);
    const atB = recorder(b);
    expect((await subscribe(a)).status).toBe('SUBSCRIBED');
    expect((await subscribe(b)).status).toBe('SUBSCRIBED');

    expect(await b.send({ type: 'broadcast', event: 'hello', payload: { n: 1 } })).toBe('ok');
    expect(await atA.next('hello')).toEqual({ n: 1 });
    await a.send({ type: 'broadcast', event: 'reply', payload: { n: 2 } });
    expect(await atB.next('reply')).toEqual({ n: 2 });
    expect(atB.events()).toEqual(['reply']);
    expect(atA.events()).toEqual(['hello']);
  });

  test('with self: true the sender gets its own broadcast', async () => {
    const ch = (await connect()).channel(`echo-${randomUUID()}`, { config: { broadcast: { self: true } } });
    const rec = recorder(ch);
    expect((await subscribe(ch)).status).toBe('SUBSCRIBED');
    await ch.send({ type: 'broadcast', event: 'ping', payload: { x: 'y' } });
    expect(await rec.next('ping')).toEqual({ x: 'y' });
  });

  test('unsubscribe is a phx_leave the server acknowledges; a left channel gets nothing more', async () => {
    const topic = `leave-${randomUUID()}`;
    const c = await connect();
    const leaving = c.channel(topic);
    const staying = (await connect()).channel(topic, { config: { broadcast: { self: true } } });
    const atLeaving = recorder(leaving);
    const atStaying = recorder(staying);
    expect((await subscribe(leaving)).status).toBe('SUBSCRIBED');
    expect((await subscribe(staying)).status).toBe('SUBSCRIBED');
    expect(await c.removeChannel(leaving)).toBe('ok');
    await staying.send({ type: 'broadcast', event: 'after_leave', payload: {} });
    await atStaying.next('after_leave');
    expect(atLeaving.events()).toEqual([]);
  });

  test('heartbeats are answered', async () => {
    const c = await connect();
    expect((await subscribe(c.channel(`hb-${randomUUID()}`))).status).toBe('SUBSCRIBED');
    const status = within(
      new Promise<string>((resolve) => {
        c.realtime.onHeartbeat((s) => {
          if (s !== 'sent') resolve(s);
        });
      }),
      'heartbeat reply',
    );
    await c.realtime.sendHeartbeat();
    expect(await status).toBe('ok');
  });
});

describe('private channels (RLS on realtime.messages)', () => {
  const topic = `room:${randomUUID()}`;
  const writer = randomUUID();
  const reader = randomUUID();
  const outsider = randomUUID();

  test('a listed user joins; another user, anon and an expired token are refused with hosted Realtime reasons', async () => {
    await grant(topic, writer, true);
    const ok = (await connect(await userToken(writer))).channel(topic, { config: { private: true } });
    expect(await subscribe(ok)).toEqual({ status: 'SUBSCRIBED', message: undefined });

    const refusal = `You do not have permissions to read from this Channel topic: ${topic}`;
    const other = await subscribe((await connect(await userToken(outsider))).channel(topic, { config: { private: true } }));
    expect(other.status).toBe('CHANNEL_ERROR');
    expect(other.message).toContain(refusal);

    const anon = await subscribe((await connect()).channel(topic, { config: { private: true } }));
    expect(anon.status).toBe('CHANNEL_ERROR');
    expect(anon.message).toContain(refusal);

    const past = Math.floor(Date.now() / 1000) - 120;
    const expired = await subscribe((await connect(await userToken(writer, { iat: past - 3600, exp: past }))).channel(topic, { config: { private: true } }));
    expect(expired.status).toBe('CHANNEL_ERROR');
    expect(expired.message).toMatch(/^Token has expired \d+ seconds ago$/);
  });

  test('a reader without an INSERT policy cannot broadcast: the message is dropped and nobody sees it', async () => {
    const room = `room:${randomUUID()}`;
    const side = `side-${randomUUID()}`;
    await grant(room, writer, true);
    await grant(room, reader, false);
    const w = await connect(await userToken(writer));
    const r = await connect(await userToken(reader));
    const wRoom = w.channel(room, { config: { private: true } });
    const wSide = w.channel(side);
    const atWriter = recorder(wRoom);
    const sideAtWriter = recorder(wSide);
    const rRoom = r.channel(room, { config: { private: true } });
    const rSide = r.channel(side);
    for (const ch of [wRoom, wSide, rRoom, rSide]) expect((await subscribe(ch)).status).toBe('SUBSCRIBED');

    await rRoom.send({ type: 'broadcast', event: 'forged', payload: { reveal: true } });
    // The reader's connection handles its messages in order: the marker goes out after the forged one was judged.
    await rSide.send({ type: 'broadcast', event: 'marker', payload: {} });
    await sideAtWriter.next('marker');

    const rRec = recorder(rRoom);
    await wRoom.send({ type: 'broadcast', event: 'real', payload: { n: 1 } });
    expect(await rRec.next('real')).toEqual({ n: 1 });
    expect(atWriter.events()).toEqual([]);
  });

  test('realtime.send from SQL reaches the authorized subscriber only, after commit; a rolled-back send delivers nothing', async () => {
    const room = `room:${randomUUID()}`;
    await grant(room, writer, false);
    const priv = (await connect(await userToken(writer))).channel(room, { config: { private: true } });
    const pub = (await connect()).channel(room); // same name, public: not the private topic
    const atPriv = recorder(priv);
    const atPub = recorder(pub);
    expect((await subscribe(priv)).status).toBe('SUBSCRIBED');
    expect((await subscribe(pub)).status).toBe('SUBSCRIBED');
    const refused = await subscribe((await connect(await userToken(outsider))).channel(room, { config: { private: true } }));
    expect(refused.status).toBe('CHANNEL_ERROR');

    const failed = await sendFromSql(room, 'rolled_back', { n: 0 }, { fail: true });
    expect(failed.status).toBe(400);
    expect((await sendFromSql(room, 'question_opened', { n: 1 })).error).toBeNull();
    expect(await atPriv.next('question_opened')).toEqual({ n: 1 });
    // Larger than a NOTIFY payload: relayed by id.
    const big = 'x'.repeat(20_000);
    expect((await sendFromSql(room, 'big', { big })).error).toBeNull();
    expect(await atPriv.next('big')).toEqual({ big });

    expect((await sendFromSql(room, 'public_one', { n: 2 }, { private: false })).error).toBeNull();
    expect(await atPub.next('public_one')).toEqual({ n: 2 });
    expect(atPriv.events()).toEqual(['question_opened', 'big']);
    expect(atPub.events()).toEqual(['public_one']);
  });

  test('setAuth with a fresh token keeps the channel; an expired one closes it with a system error', async () => {
    const room = `room:${randomUUID()}`;
    await grant(room, writer, false);
    const c = await connect(await userToken(writer));
    const ch = c.channel(room, { config: { private: true } });
    const rec = recorder(ch);
    expect((await subscribe(ch)).status).toBe('SUBSCRIBED');

    const now = Math.floor(Date.now() / 1000);
    await c.realtime.setAuth(await userToken(writer, { iat: now, exp: now + 7200 }));
    expect((await sendFromSql(room, 'after_refresh', { ok: true })).error).toBeNull();
    expect(await rec.next('after_refresh')).toEqual({ ok: true });
    expect(ch.state).toBe('joined');

    const system = nextSystem(ch);
    await c.realtime.setAuth(await userToken(writer, { iat: now - 7200, exp: now - 60 }));
    const m = await system;
    expect(m.status).toBe('error');
    expect(m.message).toMatch(/^Token has expired \d+ seconds ago$/);
  });
});

describe('connect', () => {
  /** The HTTP status of a WebSocket upgrade (101 when it opens). */
  function upgradeStatus(query: string): Promise<number> {
    const url = `${apiUrl().replace(/^http/, 'ws')}/realtime/v1/websocket${query}`;
    return within(
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url);
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode ?? 0);
          res.resume();
          ws.terminate();
        });
        ws.on('error', () => undefined);
      }),
      'upgrade',
    );
  }

  test('the upgrade needs the anon or service-role key as apikey', async () => {
    expect(await upgradeStatus(`?apikey=${anonKey}&vsn=2.0.0`)).toBe(101);
    expect(await upgradeStatus('?vsn=2.0.0')).toBe(401);
    expect(await upgradeStatus(`?apikey=${await mintToken()}&vsn=2.0.0`)).toBe(401);
  });

  test('past 100 channels on one connection a join is refused with "Too many channels"', async () => {
    const c = await connect();
    const outcomes = await Promise.all(Array.from({ length: 101 }, (_, i) => subscribe(c.channel(`many-${i}-${randomUUID()}`))));
    expect(outcomes.filter((o) => o.status === 'SUBSCRIBED')).toHaveLength(100);
    expect(outcomes.filter((o) => o.status === 'CHANNEL_ERROR').map((o) => o.message)).toEqual(['Too many channels']);
    await c.removeAllChannels();
  });
});

describe('limits', () => {
  test('a payload over the size limit is refused with payload_size_exceeded (ack) and delivered to nobody', async () => {
    const topic = `big-${randomUUID()}`;
    const sender = (await connect()).channel(topic, { config: { broadcast: { ack: true } } });
    const listener = (await connect()).channel(topic);
    const rec = recorder(listener);
    expect((await subscribe(sender)).status).toBe('SUBSCRIBED');
    expect((await subscribe(listener)).status).toBe('SUBSCRIBED');

    expect(await sender.send({ type: 'broadcast', event: 'huge', payload: { blob: 'x'.repeat(300 * 1000) } })).toBe('error');
    expect(await sender.send({ type: 'broadcast', event: 'small', payload: {} })).toBe('ok');
    await rec.next('small');
    expect(rec.events()).toEqual(['small']);
  });

  test('a burst over the messages-per-second limit closes the channel with "Too many messages per second"', async () => {
    const ch = (await connect()).channel(`burst-${randomUUID()}`);
    expect((await subscribe(ch)).status).toBe('SUBSCRIBED');
    const system = nextSystem(ch);
    for (let i = 0; i < 250; i++) void ch.send({ type: 'broadcast', event: 'spam', payload: { i } });
    expect(await system).toMatchObject({ status: 'error', message: 'Too many messages per second' });
  });
});
