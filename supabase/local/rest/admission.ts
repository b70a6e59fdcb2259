/**
 * A fair share of the database per user (issue #14: 20 parallel slow requests from one student held all
 * 10 pool connections, and everyone else waited 15.6 s).
 *
 * Contract: at most `perUser` API transactions of one user run at once; that user's further requests wait
 * in the user's own FIFO queue, so the connections they do not hold stay free for everyone else. A queue
 * holds at most `queuePerUser` requests; the next one is refused at once with 429 + Retry-After, in the
 * body our SQL rate limits use (`rate_limited`, `details.retry_after_seconds`), which the app already
 * treats as "slow down". A user is the JWT's `sub`; requests without one (anon, the service key) are
 * keyed by role and client IP (X-Forwarded-For only when ROUNDS_TRUST_PROXY is set, see server.ts).
 * Choices and costs: docs/decisions/014.
 */
import { ApiError } from './errors.ts';

export interface AdmissionLimits {
  /** Transactions of one user running at once. */
  perUser: number;
  /** Requests of one user waiting for one of those places; more are refused with 429. */
  queuePerUser: number;
}

export interface Admission {
  /** Runs `fn` once `key` has a free place; throws the 429 ApiError when its queue is full. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Requests of `key` running and waiting (for tests and diagnostics). */
  load(key: string): { running: number; waiting: number };
}

/**
 * Seconds a refused client is told to wait. Its queue drains at the speed of its own requests, which is
 * unknown here; one second is the shortest honest hint and matches GoTrue's and our SQL limiter's minimum.
 */
const RETRY_AFTER_SECONDS = 1;

/** 429 in the body our SQL rate limits use (`rate_limited`, `details.retry_after_seconds`) plus Retry-After. */
function rateLimited(message: string, details: Record<string, number>, hint: string, retryAfterSeconds: number): ApiError {
  return new ApiError(
    429,
    'rate_limited',
    message,
    JSON.stringify({ ...details, retry_after_seconds: retryAfterSeconds }),
    hint,
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

export function tooManyConcurrent(limits: AdmissionLimits): ApiError {
  return rateLimited(
    `Too many concurrent requests: at most ${limits.perUser} run and ${limits.queuePerUser} wait per user.`,
    { limit: limits.perUser, queue: limits.queuePerUser },
    'Wait for your earlier requests to finish, then try again.',
    RETRY_AFTER_SECONDS,
  );
}

export function createAdmission(limits: AdmissionLimits): Admission {
  const users = new Map<string, { running: number; waiting: (() => void)[] }>();
  return {
    async run(key, fn) {
      const user = users.get(key) ?? { running: 0, waiting: [] };
      users.set(key, user);
      if (user.running < limits.perUser) user.running++;
      else if (user.waiting.length >= limits.queuePerUser) throw tooManyConcurrent(limits);
      // The request that finishes hands its place over (running stays the same).
      else await new Promise<void>((resolve) => user.waiting.push(resolve));
      try {
        return await fn();
      } finally {
        const next = user.waiting.shift();
        if (next) next();
        else if (--user.running === 0) users.delete(key);
      }
    },
    load(key) {
      const user = users.get(key);
      return { running: user?.running ?? 0, waiting: user?.waiting.length ?? 0 };
    },
  };
}

/** Whose share a request uses: the JWT's subject, else the role at the client's IP. */
export function admissionKey(claims: Record<string, unknown>, role: string, ip: string): string {
  const sub = claims.sub;
  return typeof sub === 'string' && sub !== '' ? `sub:${sub}` : `${role}@${ip}`;
}

export interface RequestRate {
  /** Requests one user may make per second, on average. */
  perSecond: number;
  /** Requests one user may make at once before the average applies. */
  burst: number;
}

/**
 * A request rate per user (a token bucket per admissionKey), checked before a request is parsed: the
 * concurrency share above bounds what one user holds of the database, this bounds what one user costs the
 * server's own event loop. Without it, requests that are cheap to refuse (a refused regex, a 404) could
 * still be sent by the thousand per second and slow everyone (docs/decisions/014). Over the rate: 429 with
 * Retry-After, the seconds until the next request would be allowed (at least 1).
 */
export function createRequestRate(rate: RequestRate, now: () => number = () => performance.now()): { take(key: string): void } {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const t = now();
      const b = buckets.get(key) ?? { tokens: rate.burst, at: t };
      b.tokens = Math.min(rate.burst, b.tokens + ((t - b.at) / 1000) * rate.perSecond);
      b.at = t;
      // A full bucket is the same as no bucket: forget it, so idle users cost no memory.
      if (b.tokens >= rate.burst) buckets.delete(key);
      if (b.tokens < 1) {
        buckets.set(key, b);
        const wait = Math.max(1, Math.ceil((1 - b.tokens) / rate.perSecond));
        throw rateLimited(
          `Too many requests: at most ${rate.perSecond} per second per user (bursts of ${rate.burst}).`,
          { limit: rate.perSecond, burst: rate.burst },
          'Slow down, then try again.',
          wait,
        );
      }
      b.tokens -= 1;
      buckets.set(key, b);
    },
  };
}
