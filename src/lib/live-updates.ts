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

/** A page's own start-up work comes first: Realtime and its reads wait this long after mounting, then for an idle moment. */
const SETTLE_MS = 2000;
/** …but never longer than this for the idle moment. */
const IDLE_TIMEOUT_MS = 2000;

/** False until the page has settled after this component mounted (`SETTLE_MS`, then the browser's first idle moment), then true. */
export function useAfterIdle(): boolean {
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    if (idle) return;
    let handle: number | undefined;
    const timer = setTimeout(() => {
      // Safari has no requestIdleCallback: the settle delay alone stands in for it.
      if (typeof window.requestIdleCallback === 'function') handle = window.requestIdleCallback(() => setIdle(true), { timeout: IDLE_TIMEOUT_MS });
      else setIdle(true);
    }, SETTLE_MS);
    return () => {
      clearTimeout(timer);
      if (handle !== undefined) window.cancelIdleCallback(handle);
    };
  }, [idle]);
  return idle;
}
