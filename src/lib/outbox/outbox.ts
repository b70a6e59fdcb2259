/**
 * The answer outbox, wired to the app: the sync pipeline sending through supabase-js, the retry policy of
 * offline mutations, the moments a paused queue is resumed, and the sync status the UI shows.
 *
 * Contract:
 * - Offline mutations (keys 'answers' / 'attempts', see persist.ts) carry the id of the user who made
 *   them. They are sent only under that user's valid session: with no session, an expired one that
 *   cannot be refreshed (offline), or another user signed in, they wait — they are never dropped on 401.
 * - They retry forever on transient failures (offline, timeout, 5xx, breaker open, 429 honouring
 *   Retry-After, 401 while the session refreshes), with backoff capped at 30 s, pausing while offline.
 *   Only a 4xx that no retry can fix marks one failed; the UI lists failures and offers "Retry".
 * - The queue resumes on restore, on `online`, when the page becomes visible again (iOS does not fire
 *   `online` on resume), after the session refreshes or a user signs in, and on "Sync now".
 */
import { useSyncExternalStore } from 'react';
import { MutationObserver, onlineManager, type QueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { classifyError, getRetryAfterMs } from '@/lib/network/classify-error';
import { NetworkError } from '@/lib/network/network-error';
import { isTransientError } from '@/lib/network/retry-policy';
import { isOfflineMutation } from '@/lib/persist';
import { getCurrentUserId } from '@/lib/current-user';
import { createSyncPipeline, retrySlotDelayMs, type AnswerOutcome, type OutboxAnswer, type OutboxAttempt } from './sync-pipeline';

const outcomeSchema = z.object({
  id: z.string(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  is_correct: z.boolean().optional(),
  correct_choice: z.enum(['A', 'B', 'C', 'D', 'E']).optional(),
  reason: z.string().optional(),
});

const LAST_SYNCED_KEY = 'rounds.outbox.last-synced-at';
let requestCount = 0;

/** Requests the outbox has sent since the page loaded (the sync request budget is asserted on it). */
export function getOutboxRequestCount(): number {
  return requestCount;
}

export const syncPipeline = createSyncPipeline({
  send: async (answers: OutboxAnswer[], attempts: OutboxAttempt[]): Promise<AnswerOutcome[]> => {
    const { data } = await supabase.rpc('submit_answers', { answers, attempts }).throwOnError();
    const outcomes = z.array(outcomeSchema).parse(data);
    try {
      localStorage.setItem(LAST_SYNCED_KEY, new Date().toISOString());
    } catch {
      // Private mode: the "last synced" label is a nicety, the sync itself succeeded.
    }
    notify();
    return outcomes;
  },
  isClientError: (e) => classifyError(e) === 'client',
  // An open breaker refuses without a request and says when it lets one through (see outboxRetryDelay).
  isFailedRequest: (e) => classifyError(e) !== 'circuit_open',
  onRequest: () => {
    requestCount++;
  },
});

/** Throws (a retryable "unauthorised") unless `userId` has a usable session right now. */
export async function requireSessionOf(userId: string): Promise<void> {
  const { data } = await supabase.auth.getSession();
  const s = data.session;
  const expired = !s?.expires_at || s.expires_at * 1000 <= Date.now();
  if (!s || s.user.id !== userId || expired) throw new NetworkError('unauthorised');
}


/** retry for offline mutations: forever on transient failures, never on a 4xx that cannot change. */
export function outboxShouldRetry(_failureCount: number, error: unknown): boolean {
  // Transient failures, plus 401: the queue waits for a fresh session of its user instead of dropping.
  return isTransientError(error) || classifyError(error) === 'unauthorised';
}

/**
 * retryDelay for offline mutations. A failed request's items all retry at the pipeline's shared retry
 * slot, so they are sent again together, batched (sync-pipeline.ts header); an open circuit breaker's
 * items retry when it lets a request through. A failure without a request (no usable session yet) backs
 * off on its own. Retry-After of a 429 is honoured either way.
 */
export function outboxRetryDelay(failureCount: number, error: unknown): number {
  const kind = classifyError(error);
  // The app's circuit breaker (lib/network) refused without a request: come back when it lets a probe
  // through (all items refused together get the same time), or shortly when another item is the probe.
  if (kind === 'circuit_open') return Math.max(getRetryAfterMs(error) ?? 0, 1000);
  const slot = syncPipeline.nextRetryInMs();
  const own = retrySlotDelayMs(failureCount, Math.random);
  const retryAfter = kind === 'rate_limited' ? (getRetryAfterMs(error) ?? 0) : 0;
  return Math.round(Math.max(slot > 0 ? slot : own, retryAfter));
}

// ---- status --------------------------------------------------------------------------------------------

export interface SyncStatus {
  online: boolean;
  /** The signed-in user's answers not yet confirmed by the server. */
  waiting: number;
  /** Answers another account gave on this device, waiting for it to sign in again (never sent as us). */
  otherAccounts: number;
  /** A request is being sent now. */
  syncing: boolean;
  /** Answers that failed for good (shown with "Retry"). */
  failedAnswers: number;
  /** Block creations and completions that failed for good (shown with "Retry"). */
  failedBlocks: number;
  lastSyncedAt: string | null;
}

const listeners = new Set<() => void>();
function notify() {
  for (const l of listeners) l();
}

let cached: { key: string; status: SyncStatus } | undefined;

function readLastSynced(): string | null {
  try {
    return localStorage.getItem(LAST_SYNCED_KEY);
  } catch {
    return null;
  }
}

/** The user an offline mutation was stamped with (its variables' `owner`), if any. */
function ownerOf(variables: unknown): string | null {
  return typeof variables === 'object' && variables !== null && 'owner' in variables && typeof variables.owner === 'string' ? variables.owner : null;
}

export function getSyncStatus(queryClient: QueryClient): SyncStatus {
  const offline = queryClient.getMutationCache().getAll().filter(isOfflineMutation);
  const isAnswer = (m: (typeof offline)[number]) => m.options.mutationKey?.[0] === 'answers';
  const pendingAnswers = offline.filter((m) => isAnswer(m) && m.state.status === 'pending');
  const failed = offline.filter((m) => m.state.status === 'error');
  const failedAnswers = failed.filter(isAnswer).length;
  const me = getCurrentUserId();
  const otherAccounts = pendingAnswers.filter((m) => {
    const owner = ownerOf(m.state.variables);
    return me !== null && owner !== null && owner !== me;
  }).length;
  const lastSyncedAt = readLastSynced();
  const status: SyncStatus = {
    online: onlineManager.isOnline(),
    waiting: pendingAnswers.length - otherAccounts,
    otherAccounts,
    syncing: offline.some((m) => m.state.status === 'pending' && !m.state.isPaused && m.state.failureCount === 0),
    failedAnswers,
    failedBlocks: failed.length - failedAnswers,
    lastSyncedAt,
  };
  // useSyncExternalStore needs a stable object while nothing changed.
  const key = JSON.stringify(status);
  if (cached?.key !== key) cached = { key, status };
  return cached.status;
}

export function useSyncStatus(queryClient: QueryClient): SyncStatus {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      const unsubMutations = queryClient.getMutationCache().subscribe(() => l());
      const unsubOnline = onlineManager.subscribe(() => l());
      return () => {
        listeners.delete(l);
        unsubMutations();
        unsubOnline();
      };
    },
    () => getSyncStatus(queryClient),
  );
}

/** Re-runs offline mutations that failed for good, and resumes paused ones ("Sync now" / "Retry"). */
export async function syncNow(queryClient: QueryClient): Promise<void> {
  const failed = queryClient
    .getMutationCache()
    .getAll()
    .filter((m) => isOfflineMutation(m) && m.state.status === 'error');
  for (const m of failed) {
    const { mutationKey } = m.options;
    const variables = m.state.variables;
    queryClient.getMutationCache().remove(m);
    if (mutationKey) void new MutationObserver<unknown, Error, unknown>(queryClient, { mutationKey }).mutate(variables).catch(() => undefined);
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
  window.addEventListener('online', resume);
  window.addEventListener('pageshow', onVisible);
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
    document.removeEventListener('visibilitychange', onVisible);
    data.subscription.unsubscribe();
  };
}
