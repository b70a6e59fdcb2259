/**
 * The app's QueryClient, and the one place a failed online write reaches the user.
 *
 * Every online write is a `mutationOptions` in its feature's api file (`api/<verb>-<noun>.ts`) with a
 * mutationKey from its `keys.ts` and a `meta` saying how its failure is shown (src/lib/query-meta.d.ts).
 * The MutationCache's `onError` below is the only notifier: a failed write with `meta.errorMessage` whose
 * form does not show the failure itself becomes THE app-level notice (`writeFailureNotice`, rendered by
 * WriteFailureNotice in src/components/write-failure.tsx); forms show theirs in place with WriteError
 * from the same file. Both are worded by describeWriteFailure (src/lib/errors.ts). Which writes go where,
 * and why: docs/decisions/020-one-way-to-write.md.
 *
 * Offline writes (the answer outbox: mutation keys under 'answers' and 'attempts') never reach the
 * notice: they carry no meta, retry until they sync, and the sync bar reports the ones that cannot.
 */
import { hashKey, MutationCache, QueryClient } from '@tanstack/react-query';
import { describeWriteFailure } from '@/lib/errors';
import { retryDelay, shouldRetry } from '@/lib/network/retry-policy';
import { createStore } from '@/lib/store';

/** Hours → milliseconds, for readable cache lifetimes. */
const hours = (n: number): number => n * 60 * 60 * 1000;

export interface WriteFailure {
  /** New for every failure, so the same message twice is announced twice. */
  id: number;
  /** The failed write's mutationKey, hashed: trying that write again takes the notice down. */
  writeKey: string;
  message: string;
}

/**
 * The app-level notice: the latest failed online write, or null. One at a time — a newer failure
 * replaces it — until it is dismissed, the same write is tried again, or the user signs out.
 */
export const writeFailureNotice = createStore<WriteFailure | null>(null);
let failures = 0;

const mutationCache = new MutationCache({
  onMutate: (_variables, mutation) => {
    const shown = writeFailureNotice.get();
    if (shown && shown.writeKey === hashKey(mutation.options.mutationKey ?? [])) writeFailureNotice.set(null);
  },
  onError: (error, _variables, _onMutateResult, mutation) => {
    const { meta } = mutation;
    if (meta?.errorMessage === undefined || meta.errorInline) return;
    failures += 1;
    writeFailureNotice.set({ id: failures, writeKey: hashKey(mutation.options.mutationKey ?? []), message: describeWriteFailure(error, meta) });
  },
});

/**
 * Per-data-kind staleness lives next to each queryOptions with its reason; these are the defaults. Retries
 * follow src/lib/network/retry-policy.ts, which explains each of the app's retry loops.
 */
export const queryClient = new QueryClient({
  mutationCache,
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
      // Online writes are never repeated behind the user's back (retry-policy.ts); the offline outbox's
      // mutations set their own unbounded retry on their defaults.
      retry: false,
    },
  },
});
