/**
 * Waiting on Realtime from tests (realtime-js over `ws` against the local server): every wait is for an
 * event, with a timeout. Shared by supabase/local/realtime/realtime.contract.test.ts and the live-session
 * tests.
 */
import type { RealtimeChannel } from '@supabase/supabase-js';

const WAIT_MS = 5000;

export function within<T>(p: Promise<T>, what: string, ms = WAIT_MS): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms))]);
}

export interface Outcome {
  status: string;
  message: string | undefined;
}

/** Subscribes and resolves with the first outcome: SUBSCRIBED, or CHANNEL_ERROR with the server's reason. */
export function subscribe(ch: RealtimeChannel): Promise<Outcome> {
  return within(
    new Promise<Outcome>((resolve) => {
      ch.subscribe((status, err) => resolve({ status, message: err?.message }));
    }),
    `subscribe ${ch.topic}`,
  );
}

/** Records the channel's broadcasts (every event) and lets a test wait for one by event name. */
export function recorder(ch: RealtimeChannel) {
  const seen: { event: string; payload: unknown }[] = [];
  const waiters: { event: string; pred: (p: unknown) => boolean; resolve: (p: unknown) => void }[] = [];
  ch.on('broadcast', { event: '*' }, (m: { event: string; payload: unknown }) => {
    seen.push({ event: m.event, payload: m.payload });
    for (const w of waiters.filter((x) => x.event === m.event && x.pred(m.payload))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(m.payload);
    }
  });
  return {
    seen,
    events: () => seen.map((s) => s.event),
    next(event: string): Promise<unknown> {
      return this.match(event, () => true);
    },
    /** The first payload of `event` (already seen, or to come) for which `pred` holds. */
    match(event: string, pred: (payload: unknown) => boolean): Promise<unknown> {
      const hit = seen.find((s) => s.event === event && pred(s.payload));
      if (hit) return Promise.resolve(hit.payload);
      return within(new Promise((resolve) => waiters.push({ event, pred, resolve })), `broadcast ${event} on ${ch.topic}`);
    },
  };
}
