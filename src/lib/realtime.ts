/**
 * The Broadcast topics the app listens to (docs/decisions/027-live-sessions.md): `cohort:<id>`,
 * `live:<id>`, `live-host:<id>` — private channels the database alone sends on, joined under the
 * signed-in user's token (realtime.messages RLS decides who may join).
 *
 * One realtime-js channel per topic, shared by every listener on the page (realtime-js returns the same
 * channel for a topic and refuses a second subscribe), joined while at least one listens and left when
 * the last one goes.
 *
 * Realtime keeps nothing for a client that was away, so a listener must re-read its snapshot whenever
 * the status becomes 'live' (the first join and every rejoin after a drop) and fall back to its normal
 * reads while it is not: `onStatus` tells it when.
 */
import { useEffect, useRef, useState } from 'react';
import type { RealtimeChannel } from '@supabase/supabase-js';
import { supabase } from '@/lib/supabase';

/** connecting: joining or rejoining; live: joined, messages flow; unavailable: refused, timed out or closed. */
export type TopicStatus = 'connecting' | 'live' | 'unavailable';

export interface TopicListener {
  onMessage: (event: string, payload: unknown) => void;
  onStatus?: (status: TopicStatus) => void;
}

interface Entry {
  channel: RealtimeChannel;
  listeners: Set<TopicListener>;
  status: TopicStatus;
}

const topics = new Map<string, Entry>();

function setStatus(entry: Entry, status: TopicStatus): void {
  if (entry.status === status) return;
  entry.status = status;
  for (const l of entry.listeners) l.onStatus?.(status);
}

/** Listens to `topic` until the returned function is called. The listener hears the current status at once. */
export function listenToTopic(topic: string, listener: TopicListener): () => void {
  let entry = topics.get(topic);
  if (!entry) {
    const channel = supabase.channel(topic, { config: { private: true } });
    const created: Entry = { channel, listeners: new Set(), status: 'connecting' };
    entry = created;
    topics.set(topic, created);
    channel.on('broadcast', { event: '*' }, (m: { event: string; payload?: unknown }) => {
      for (const l of created.listeners) l.onMessage(m.event, m.payload);
    });
    channel.subscribe((status) => {
      // SUBSCRIBED again after every rejoin (realtime-js rejoins by itself after a drop).
      if (status === 'SUBSCRIBED') setStatus(created, 'live');
      else setStatus(created, 'unavailable');
    });
  }
  entry.listeners.add(listener);
  listener.onStatus?.(entry.status);
  const joined = entry;
  return () => {
    joined.listeners.delete(listener);
    if (joined.listeners.size > 0 || topics.get(topic) !== joined) return;
    topics.delete(topic);
    void supabase.removeChannel(joined.channel);
  };
}

/**
 * Listens to `topic` (null: not at all) while the component is mounted; returns the status. The
 * callbacks may change between renders (the latest ones are called).
 */
export function useTopic(topic: string | null, onMessage: TopicListener['onMessage'], onStatus?: TopicListener['onStatus']): TopicStatus {
  const [status, setLocalStatus] = useState<TopicStatus>('connecting');
  const latest = useRef({ onMessage, onStatus });
  useEffect(() => {
    latest.current = { onMessage, onStatus };
  });
  useEffect(() => {
    if (!topic) return;
    return listenToTopic(topic, {
      onMessage: (event, payload) => latest.current.onMessage(event, payload),
      onStatus: (s) => {
        setLocalStatus(s);
        latest.current.onStatus?.(s);
      },
    });
  }, [topic]);
  return topic ? status : 'unavailable';
}
