/**
 * The answer outbox, wired to the app: the transport sending through supabase-js (`submit_answers`), the
 * retry policy of offline mutations, the moments a paused queue is resumed, and the sync status the UI
 * shows.
 *
 * Contract:
 * - Offline mutations (answerSyncKeys, queue.ts) carry the id of the user who made them. They are sent
 *   only under that user's valid session: with no session, an expired one that cannot be refreshed
 *   (offline), or another user signed in, they wait — they are never dropped on 401.
 * - They retry forever on transient failures (offline, timeout, 5xx, breaker open, 429 honouring
 *   Retry-After, 401 while the session refreshes), with backoff capped at 30 s, pausing while offline.
 *   Only a 4xx that no retry can fix marks one failed; the UI lists failures and offers "Retry".
 * - The queue resumes on restore, on `online`, when the page becomes visible again (iOS does not fire
 *   `online` on resume), after the session refreshes or a user signs in, and on "Sync now".
 */
import { useMemo } from 'react';
import { hashKey, onlineManager, type Mutation, type QueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { classifyError, getRetryAfterMs } from '@/lib/network/classify-error';
import { NetworkError } from '@/lib/network/network-error';
import { isTransientError } from '@/lib/network/retry-policy';
import { getCurrentUserId } from '@/lib/current-user';
import { createStore, useStore } from '@/lib/store';
import { answerSyncKeys, enqueue, isAnswerSyncKey } from './queue';
import { answerOutcomeSchema, answerVariablesSchema, attemptVariablesSchema, type AnswerInput, type AnswerOutcome, type AttemptWrite } from './shapes';
import { syncStatusOf, type SyncStatus } from './sync-status';
import { createSyncPipeline, retrySlotDelayMs } from './transport';

const LAST_SYNCED_KEY = 'rounds.outbox.last-synced-at';
let requestCount = 0;

/** Requests the outbox has sent since the page loaded (the sync request budget is asserted on it). */
export function getOutboxRequestCount(): number {
  return requestCount;
}

function readLastSynced(): string | null {
  try {
    return localStorage.getItem(LAST_SYNCED_KEY);
  } catch {
    return null;
  }
}

/**
 * When this device last synced: read from localStorage once, then kept in memory (the status is read
 * on every mutation-cache event, too often for synchronous storage reads). Another tab's sync arrives
 * through the `storage` event (installOutboxTriggers).
 */
const lastSynced = createStore<string | null>(readLastSynced());

export const transport = createSyncPipeline({
  send: async (answers: AnswerInput[], attempts: AttemptWrite[]): Promise<AnswerOutcome[]> => {
    const { data } = await supabase.rpc('submit_answers', { answers, attempts }).throwOnError();
    const outcomes = z.array(answerOutcomeSchema).parse(data);
    const now = new Date().toISOString();
    try {
      localStorage.setItem(LAST_SYNCED_KEY, now);
    } catch {
      // Private mode: the "last synced" label is a nicety, the sync itself succeeded.
    }
    lastSynced.set(now);
    return outcomes;
  },
  isClientError: (e) => classifyError(e) === 'client',
  // An open breaker refuses without a request and says when it lets one through (see outboxRetryDelay).
  isFailedRequest: (e) => classifyError(e) !== 'circuit_open',
  onRequest: () => {
    requestCount++;
  },
});

/**
 * Throws (a retryable "unauthorised") unless `userId` has a session right now. getSession refreshes an
 * expired token first and reports no session when it cannot (offline): then the queue waits. Its expiry
 * is not judged here by the device's clock: a clock hours ahead of the server (a phone set by hand) would
 * find every fresh token expired and hold the queue forever; the server is the judge (a 401 is retried).
 */
export async function requireSessionOf(userId: string): Promise<void> {
  const { data } = await supabase.auth.getSession();
  const s = data.session;
  if (!s || s.user.id !== userId) throw new NetworkError('unauthorised');
}

/** retry for offline mutations: forever on transient failures, never on a 4xx that cannot change. */
export function outboxShouldRetry(_failureCount: number, error: unknown): boolean {
  // Transient failures, plus 401: the queue waits for a fresh session of its user instead of dropping.
  return isTransientError(error) || classifyError(error) === 'unauthorised';
}

/**
 * retryDelay for offline mutations. A failed request's items all retry at the pipeline's shared retry
 * slot, so they are sent again together, batched (transport.ts header); an open circuit breaker's
 * items retry when it lets a request through. A failure without a request (no usable session yet) backs
 * off on its own. Retry-After of a 429 is honoured either way.
 */
export function outboxRetryDelay(failureCount: number, error: unknown): number {
  const kind = classifyError(error);
  // The app's circuit breaker (lib/network) refused without a request: come back when it lets a probe
  // through (all items refused together get the same time), or shortly when another item is the probe.
  if (kind === 'circuit_open') return Math.max(getRetryAfterMs(error) ?? 0, 1000);
  const slot = transport.nextRetryInMs();
  const own = retrySlotDelayMs(failureCount, Math.random);
  const retryAfter = kind === 'rate_limited' ? (getRetryAfterMs(error) ?? 0) : 0;
  return Math.round(Math.max(slot > 0 ? slot : own, retryAfter));
}

// ---- status --------------------------------------------------------------------------------------------

let cached: { key: string; status: SyncStatus } | undefined;

/** The outbox's status now (sync-status.ts), the same object while nothing changed. */
export function getSyncStatus(queryClient: QueryClient): SyncStatus {
  const status = syncStatusOf(queryClient.getMutationCache().getAll(), {
    me: getCurrentUserId(),
    online: onlineManager.isOnline(),
    lastSyncedAt: lastSynced.get(),
  });
  // useSyncExternalStore needs a stable object while nothing changed.
  const key = JSON.stringify(status);
  if (cached?.key !== key) cached = { key, status };
  return cached.status;
}

export function useSyncStatus(queryClient: QueryClient): SyncStatus {
  const store = useMemo(
    () => ({
      get: () => getSyncStatus(queryClient),
      subscribe: (listener: () => void) => {
        const unsubscribers = [lastSynced.subscribe(listener), queryClient.getMutationCache().subscribe(listener), onlineManager.subscribe(listener)];
        return () => unsubscribers.forEach((u) => u());
      },
    }),
    [queryClient],
  );
  // Never prerendered (the signed-in app only renders in the browser): the server value is today's.
  return useStore(store, store.get());
}

/** Puts a failed write back in the queue as a new mutation: its key and variables, checked against their shapes. */
function requeue(queryClient: QueryClient, m: Mutation): void {
  const key = hashKey(m.options.mutationKey ?? []);
  const { submitAnswer, createAttempt, completeAttempt } = answerSyncKeys;
  if (key === hashKey(submitAnswer)) {
    const v = answerVariablesSchema.safeParse(m.state.variables);
    if (!v.success) return;
    queryClient.getMutationCache().remove(m);
    enqueue(queryClient, submitAnswer, v.data);
    return;
  }
  for (const blockKey of [createAttempt, completeAttempt]) {
    if (key !== hashKey(blockKey)) continue;
    const v = attemptVariablesSchema.safeParse(m.state.variables);
    if (!v.success) return;
    queryClient.getMutationCache().remove(m);
    enqueue(queryClient, blockKey, v.data);
  }
}

/** Re-runs offline mutations that failed for good, and resumes paused ones ("Sync now" / "Retry"). */
export async function syncNow(queryClient: QueryClient): Promise<void> {
  for (const m of queryClient.getMutationCache().getAll()) {
    if (isAnswerSyncKey(m.options.mutationKey) && m.state.status === 'error') requeue(queryClient, m);
  }
  await queryClient.resumePausedMutations();
}

/** Installs the resume triggers once (returns a cleanup for tests). */
export function installOutboxTriggers(queryClient: QueryClient): () => void {
  const resume = () => {
    void queryClient.resumePausedMutations();
  };
  const onVisible = () => {
    if (document.visibilityState !== 'visible') return;
    // iOS standalone apps resume without an `online` event: re-read the browser's view, then resume.
    onlineManager.setOnline(navigator.onLine);
    resume();
  };
  const onStorage = (e: StorageEvent) => {
    if (e.key === LAST_SYNCED_KEY) lastSynced.set(e.newValue);
  };
  window.addEventListener('online', resume);
  window.addEventListener('pageshow', onVisible);
  window.addEventListener('storage', onStorage);
  document.addEventListener('visibilitychange', onVisible);
  const { data } = supabase.auth.onAuthStateChange((event) => {
    // Only synchronous work inside auth callbacks (auth-js holds a lock while they run).
    if (event === 'TOKEN_REFRESHED' || event === 'SIGNED_IN') setTimeout(resume, 0);
  });
  // React Query assumes online until an `online`/`offline` event says otherwise. The app's code may load
  // after `pageshow` has fired (src/main.tsx loads it on demand), so take the browser's view now, as
  // `pageshow` would have: a device that starts offline shows "Offline" and keeps answers paused.
  onlineManager.setOnline(navigator.onLine);
  return () => {
    window.removeEventListener('online', resume);
    window.removeEventListener('pageshow', onVisible);
    window.removeEventListener('storage', onStorage);
    document.removeEventListener('visibilitychange', onVisible);
    data.subscription.unsubscribe();
  };
}
