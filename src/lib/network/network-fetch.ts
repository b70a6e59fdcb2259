/**
 * The app's one fetch: every Supabase request (REST and auth) passes through it, via
 * `createClient(url, key, supabaseClientOptions)`.
 *
 * Contract:
 * - Throttle: a token bucket (rate 5/s, burst 10). Requests wait in a FIFO queue for a token; none is
 *   ever dropped. Implemented as GCRA, the bucket's exact equivalent, so the arithmetic is a single
 *   "theoretical arrival time" in milliseconds instead of fractional tokens.
 * - Timeout: 25 s from the moment a request leaves the queue (time spent queued is our own doing, not
 *   the server's) until the response headers arrive. Combined with the caller's signal; a caller's
 *   abort rejects with the caller's reason, exactly as fetch does.
 * - Circuit breaker: 5 consecutive failures (no response, timeout, 5xx) open it for 30 s; then one
 *   probe is let through (half-open): its success closes the breaker, its failure re-opens it. While
 *   open — and during the probe — calls reject at once with NetworkError('circuit_open') without
 *   reaching the server, and requests already queued are rejected too. Any response below 500,
 *   including 4xx and 429, proves the server is up and resets the count. Failures while
 *   `navigator.onLine` is false are the device's, not the server's, and are not counted.
 * - Never retries and never throws for an HTTP status: supabase-js must read error responses itself.
 *   It rejects only with NetworkError ('offline' | 'timeout' | 'circuit_open') or the caller's abort
 *   reason. Retrying is React Query's job (retry-policy.ts); mutations are replayed by the outbox.
 */
import { combineSignals } from '@/lib/network/abort-signals';
import { NetworkError } from '@/lib/network/network-error';
import { nextTask } from '@/lib/next-task';

export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** Time source and timers, injectable so tests drive them with fake timers or by hand. */
export interface NetworkClock {
  now(): number;
  /** Runs `callback` after `ms` milliseconds; the returned function cancels it. */
  schedule(callback: () => void, ms: number): () => void;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

/** A snapshot of the throttle and the breaker: what the tests observe them by. */
export interface NetworkState {
  readonly breaker: BreakerState;
  /** When an open breaker will let a probe through (epoch ms); only present while open. */
  readonly openUntil?: number;
  /** Requests waiting for a throttle token. */
  readonly queued: number;
}

export interface NetworkFetchOptions {
  /** Sustained requests per second once the burst is spent. Default 5. */
  ratePerSecond?: number;
  /** Requests that may start back to back after a quiet period. Default 10. */
  burst?: number;
  /** Milliseconds from dispatch to response headers before the request is aborted as 'timeout'. Default 25 000. */
  timeoutMs?: number;
  /** Consecutive failures (no response, timeout, 5xx) that open the breaker. Default 5. */
  failureThreshold?: number;
  /** Milliseconds the breaker stays open before one probe is let through. Default 30 000. */
  openMs?: number;
  /** The fetch that actually sends requests. Default: the global fetch, looked up per call. */
  fetch?: FetchLike;
  /** Default: Date.now and setTimeout, looked up per call so fake timers installed later apply. */
  clock?: NetworkClock;
  /** Default: `navigator.onLine` (true where there is no navigator). */
  isOnline?: () => boolean;
}

export interface NetworkFetch {
  /** Drop-in for fetch; pass it to supabase-js as `global.fetch`. */
  readonly fetch: FetchLike;
  readonly getState: () => NetworkState;
}

const systemClock: NetworkClock = {
  now: () => Date.now(),
  schedule: (callback, ms) => {
    const id = setTimeout(callback, ms);
    return () => clearTimeout(id);
  },
};

interface QueuedRequest {
  readonly isProbe: boolean;
  readonly start: () => void;
  readonly fail: (reason: unknown) => void;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

export function createNetworkFetch(options: NetworkFetchOptions = {}): NetworkFetch {
  const interval = 1000 / (options.ratePerSecond ?? 5);
  // GCRA: a request may start once now ≥ tat − tolerance; a full bucket of `burst` tokens is a
  // tolerance of burst − 1 intervals.
  const tolerance = ((options.burst ?? 10) - 1) * interval;
  const timeoutMs = options.timeoutMs ?? 25_000;
  const failureThreshold = options.failureThreshold ?? 5;
  const openMs = options.openMs ?? 30_000;
  const clock = options.clock ?? systemClock;
  const baseFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const isOnline = options.isOnline ?? (() => typeof navigator === 'undefined' || navigator.onLine !== false);

  const queue: QueuedRequest[] = [];
  let tat = Number.NEGATIVE_INFINITY;
  let cancelDrainTimer: (() => void) | undefined;

  let breaker: BreakerState = 'closed';
  let openUntil: number | undefined;
  let failures = 0;
  let probeTaken = false;
  let cancelHalfOpenTimer: (() => void) | undefined;

  function setBreaker(next: BreakerState): void {
    cancelHalfOpenTimer?.();
    cancelHalfOpenTimer = undefined;
    breaker = next;
    probeTaken = false;
    failures = 0;
    openUntil = undefined;
    if (next === 'open') {
      openUntil = clock.now() + openMs;
      cancelHalfOpenTimer = clock.schedule(() => setBreaker('half_open'), openMs);
      // Fail fast means now, not after waiting for a throttle token.
      for (const queued of queue.splice(0)) queued.fail(new NetworkError('circuit_open', { retryAfterMs: openMs }));
    }
  }

  function circuitOpenError(): NetworkError {
    const retryAfterMs = openUntil === undefined ? 0 : Math.max(0, openUntil - clock.now());
    return new NetworkError('circuit_open', { retryAfterMs });
  }

  /** A response below 500 (the server is up). Outcomes of requests sent before the breaker opened are ignored. */
  function recordSuccess(isProbe: boolean): void {
    if (isProbe) setBreaker('closed');
    else if (breaker === 'closed') failures = 0;
  }

  function recordFailure(isProbe: boolean): void {
    if (isProbe) {
      setBreaker('open');
    } else if (breaker === 'closed') {
      failures += 1;
      if (failures >= failureThreshold) setBreaker('open');
    }
  }

  /** The probe ended without telling us anything about the server (aborted, device offline). */
  function releaseProbe(isProbe: boolean): void {
    if (isProbe && breaker === 'half_open') probeTaken = false;
  }

  function drain(): void {
    cancelDrainTimer?.();
    cancelDrainTimer = undefined;
    for (let head = queue[0]; head !== undefined; head = queue[0]) {
      const now = clock.now();
      const earliest = tat - tolerance;
      if (now < earliest) {
        cancelDrainTimer = clock.schedule(drain, Math.ceil(earliest - now));
        break;
      }
      tat = Math.max(tat, now) + interval;
      queue.shift();
      head.start();
    }
  }

  async function dispatch(
    input: RequestInfo | URL,
    init: RequestInit | undefined,
    callerSignal: AbortSignal | undefined,
    isProbe: boolean,
  ): Promise<Response> {
    const timeout = new AbortController();
    let timedOut = false;
    const cancelTimeout = clock.schedule(() => {
      timedOut = true;
      timeout.abort(new NetworkError('timeout'));
    }, timeoutMs);
    const combined = callerSignal ? combineSignals([callerSignal, timeout.signal]) : { signal: timeout.signal, dispose: () => {} };
    try {
      const response = await baseFetch(input, { ...init, signal: combined.signal });
      if (response.status >= 500) recordFailure(isProbe);
      else recordSuccess(isProbe);
      return response;
    } catch (error) {
      if (callerSignal?.aborted && !timedOut) {
        releaseProbe(isProbe);
        throw error;
      }
      const online = isOnline();
      if (online) recordFailure(isProbe);
      else releaseProbe(isProbe);
      throw new NetworkError(online && timedOut ? 'timeout' : 'offline', { cause: error });
    } finally {
      cancelTimeout();
      combined.dispose();
    }
  }

  const networkFetch: FetchLike = (input, init) => {
    const callerSignal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    if (callerSignal?.aborted) return Promise.reject(abortReason(callerSignal));
    // The timer may run late (a suspended tab); the clock decides.
    if (breaker === 'open' && openUntil !== undefined && clock.now() >= openUntil) setBreaker('half_open');
    if (breaker === 'open' || (breaker === 'half_open' && probeTaken)) return Promise.reject(circuitOpenError());
    const isProbe = breaker === 'half_open';
    if (isProbe) probeTaken = true;

    return new Promise<Response>((resolve, reject) => {
      const onAbort = (): void => {
        const index = queue.indexOf(entry);
        if (index !== -1) queue.splice(index, 1);
        releaseProbe(isProbe);
        if (callerSignal) reject(abortReason(callerSignal));
      };
      const entry: QueuedRequest = {
        isProbe,
        start: () => {
          callerSignal?.removeEventListener('abort', onAbort);
          dispatch(input, init, callerSignal, isProbe).then(resolve, reject);
        },
        fail: (reason) => {
          callerSignal?.removeEventListener('abort', onAbort);
          reject(reason);
        },
      };
      callerSignal?.addEventListener('abort', onAbort, { once: true });
      queue.push(entry);
      drain();
    });
  };

  return {
    fetch: networkFetch,
    getState: () => (openUntil === undefined ? { breaker, queued: queue.length } : { breaker, openUntil, queued: queue.length }),
  };
}

const defaultNetwork = createNetworkFetch();

/**
 * The app's fetch (rate 5/s, burst 10, 25 s timeout, breaker 5 failures / 30 s). Each request goes on
 * in a task of its own: sending one costs the main thread 1–2 ms (more through the service worker), and
 * the queries a page mounts all send from the same React effect, which made one long task of it on
 * every start (docs/decisions/013-no-intl-on-start.md). A task boundary adds no measurable latency.
 */
export const networkFetch: FetchLike = (input, init) => nextTask().then(() => defaultNetwork.fetch(input, init));
