/**
 * The app's retry policy: the one place that says when a failed request is tried again. postgrest-js's
 * own retries are switched off (supabase-client-options.ts) and networkFetch never retries, so the loops
 * below are all there is. They share one idea of "may succeed later" (`isTransientError`) and differ
 * where what fails differs:
 *
 * 1. Queries — `shouldRetry` / `retryDelay` here, wired as the QueryClient's query defaults
 *    (src/lib/query-client.ts). Bounded: 3 retries at 1/2/4 s ± 20 %, transient failures only, honouring
 *    Retry-After. A read that still fails after ~7 s is better shown as its widget's fallback (with
 *    "Try again") than retried while the student looks at a spinner; offline pauses instead (see
 *    RETRYABLE_KINDS).
 * 2. The answer outbox — `outboxShouldRetry` / `outboxRetryDelay` in src/answer-sync/outbox.ts, set on the
 *    offline mutations' defaults. Unbounded: an answer must never be dropped, so it retries every transient
 *    failure forever, and a 401 too (it waits for its own user's fresh session instead of failing). Its
 *    delay is the batching pipeline's shared retry slot (1, 2, 4 … capped at 30 s, ± 20 %), so the answers
 *    of one failed request go again together in one batch, or the circuit breaker's next probe time.
 * 3. Error-boundary auto-retry — `boundaryRetryDelay` here, used by the fallbacks in
 *    src/components/error-boundaries.tsx. It starts only after loop 1 gave up, and each reset runs loop 1
 *    again, so it waits long (BOUNDARY_RETRY_MS, or the server's Retry-After if longer) or for the
 *    browser's `online`: a fallback on a phone left open must not become a request storm.
 *
 * Online writes (profile, cohorts, questions …) are not retried at all (`mutations.retry: false` in
 * query-client.ts): a write the user asked for is not repeated behind their back — several are not
 * idempotent (create a cohort, rotate a join code) — and its failure notice tells them to try again.
 */
import { classifyError, getRetryAfterMs, type ErrorKind } from '@/lib/network/classify-error';

/** Query retries after the first failure, so at most 4 attempts. */
export const MAX_RETRIES = 3;
const BASE_DELAY_MS = 1000;
/** ±20 %, so clients that failed together do not all come back in the same millisecond. */
const JITTER = 0.2;

/**
 * `offline` is here on purpose. React Query only pauses a query while the device is offline on the
 * retry path (query-core retryer.ts: `if (isRetryCancelled || !shouldRetry) { reject(error) }` comes
 * before `sleep(delay).then(() => canContinue() ? … : pause(canContinue))`), so returning false
 * would turn "offline" into an error screen instead of a paused query that resumes on reconnect.
 * 4xx (client, unauthorised) and unknown errors are answers, not accidents: retrying cannot change them.
 */
const RETRYABLE_KINDS: ReadonlySet<ErrorKind> = new Set(['offline', 'timeout', 'server', 'rate_limited', 'circuit_open']);

/**
 * Whether the same request may succeed later (no network, timeout, 5xx, rate limit, breaker open): the
 * one definition used by query retries, the outbox and the offline fallbacks of bank and history.
 */
export function isTransientError(error: unknown): boolean {
  return RETRYABLE_KINDS.has(classifyError(error));
}

/** React Query `retry`: `failureCount` is the number of retries already made (0 after the first failure). */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  return failureCount < MAX_RETRIES && isTransientError(error);
}

/**
 * React Query `retryDelay`: 1 s, 2 s, 4 s ± 20 %; for rate_limited at least what the server asked for.
 * `random` is injectable for tests; it must return a value in [0, 1).
 */
export function retryDelay(failureCount: number, error: unknown, random: () => number = Math.random): number {
  const backoff = BASE_DELAY_MS * 2 ** failureCount * (1 + (random() * 2 - 1) * JITTER);
  const retryAfter = classifyError(error) === 'rate_limited' ? (getRetryAfterMs(error) ?? 0) : 0;
  return Math.round(Math.max(backoff, retryAfter));
}

/** The least an error boundary waits before resetting itself after a transient failure (loop 3 above). */
export const BOUNDARY_RETRY_MS = 10_000;

/**
 * How long an error boundary's fallback waits before it resets by itself: BOUNDARY_RETRY_MS, or the
 * Retry-After the failure asks for if longer; `null` when no wait can help (a 4xx, a bug), which leaves it
 * to the user's "Try again".
 */
export function boundaryRetryDelay(error: unknown): number | null {
  return isTransientError(error) ? Math.max(BOUNDARY_RETRY_MS, getRetryAfterMs(error) ?? 0) : null;
}
