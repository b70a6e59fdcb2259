import { QueryClient } from '@tanstack/react-query';
import { retryDelay, shouldRetry } from '@/lib/network/retry-policy';

/** Hours → milliseconds, for readable cache lifetimes. */
const hours = (n: number): number => n * 60 * 60 * 1000;

/**
 * The app's QueryClient. Per-data-kind staleness lives next to each queryOptions with its reason; these
 * are the defaults. Retries: the ONE retry layer (src/lib/network/retry-policy.ts): up to 3 retries with
 * 1/2/4 s backoff + jitter for retryable kinds only, honouring Retry-After; 4xx never.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Data without its own reason changes only through the student's own actions: a minute avoids
      // refetch storms on focus/remount while still feeling live.
      staleTime: 60 * 1000,
      // Kept 7 days so a cache restored by the persister (maxAge 7 days, issue 4) is never collected early.
      gcTime: 7 * 24 * hours(1),
      // Focus refetches only stale data, and staleTime above keeps that rare; no storm on tab switches.
      refetchOnWindowFocus: true,
      // Run the fetch even when the browser claims to be offline: the service worker may answer from its
      // cache, and navigator.onLine is unreliable (docs/offline-outbox.md#navigatoronline-is-unreliable).
      networkMode: 'offlineFirst',
      retry: shouldRetry,
      retryDelay,
    },
    mutations: {
      // Mutations are not retried here: answers go through the idempotent queue, which replays them.
      retry: false,
    },
  },
});
