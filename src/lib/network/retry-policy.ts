/**
 * React Query's retry policy — the app's only retry layer. postgrest-js's own retries are switched
 * off in supabase-client-options.ts and networkFetch never retries.
 *
 * Wire as `defaultOptions.queries: { retry: shouldRetry, retryDelay }`. Mutations keep React Query's
 * default of no retries: the offline outbox replays them.
 */
import { classifyError, getRetryAfterMs, type ErrorKind } from '@/lib/network/classify-error';

/** Retries after the first failure, so at most 4 attempts. */
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
