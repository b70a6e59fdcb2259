/**
 * Two small facts the screens that listen to Realtime need (src/lib/realtime.ts): whether the device is
 * online as React Query sees it (the outbox and every read pause on the same signal), and whether the
 * page has settled after its first paint — Realtime joins wait for that, so a WebSocket and its join
 * transaction never compete with the first paint (Lighthouse measures home and the leaderboard).
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { onlineManager } from '@tanstack/react-query';

export function useOnline(): boolean {
  return useSyncExternalStore(
    (notify) => onlineManager.subscribe(notify),
    () => onlineManager.isOnline(),
    () => true,
  );
}

/** How long after mounting a page may wait for an idle moment before joining anyway. */
const IDLE_TIMEOUT_MS = 2000;

/** False until the browser is first idle after this component mounted (or `IDLE_TIMEOUT_MS` passed), then true. */
export function useAfterIdle(): boolean {
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    if (idle) return;
    // Safari has no requestIdleCallback: a timeout after load stands in for it.
    if (typeof window.requestIdleCallback === 'function') {
      const handle = window.requestIdleCallback(() => setIdle(true), { timeout: IDLE_TIMEOUT_MS });
      return () => window.cancelIdleCallback(handle);
    }
    const timer = setTimeout(() => setIdle(true), 500);
    return () => clearTimeout(timer);
  }, [idle]);
  return idle;
}
