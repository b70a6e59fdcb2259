/**
 * In-memory request throttling for the auth endpoints.
 *
 * Contract:
 * - Rate limits (like hosted GoTrue's `[auth.rate_limit]`): per client IP and per 5-minute fixed window,
 *   `sign_in_sign_ups` counts POST /signup and the password grant, `token_refresh` counts the refresh grant.
 *   A request over the limit is refused (and not counted); the caller answers 429 with Retry-After.
 * - Lockout (ours, stricter than GoTrue): `lockoutAttempts` failed password checks for one (email, IP) pair
 *   within `lockoutWindowMs` of the first failure lock that pair for `lockoutWindowMs` from the failure that
 *   tripped it. While locked the password is not even checked. A successful sign-in before that clears the
 *   count. Other IPs and other emails keep their own counters.
 * State lives in this process only (GoTrue's limiter is per instance too) and is bounded: expired entries
 * are swept at most once a minute, and past `maxEntries` the least recently touched entries are dropped.
 * `now` is injectable so tests can pass time without sleeping.
 */

export const RATE_WINDOW_MS = 5 * 60 * 1000;
const SWEEP_EVERY_MS = 60 * 1000;

export type RateKind = 'sign_in_sign_ups' | 'token_refresh';
export type Gate = { ok: true } | { ok: false; retryAfterSec: number };

export interface AuthLimiterOptions {
  signInSignUps: number;
  tokenRefresh: number;
  lockoutAttempts: number;
  lockoutWindowMs: number;
  now: () => number;
  /** Upper bound per map (rate windows, failure counters). */
  maxEntries?: number;
}

export interface AuthLimiter {
  /** Counts one request of `kind` from `ip`, or refuses it. */
  hit(kind: RateKind, ip: string): Gate;
  /** Whether (email, ip) is locked out right now. Does not count anything. */
  lockout(email: string, ip: string): Gate;
  recordFailure(email: string, ip: string): void;
  recordSuccess(email: string, ip: string): void;
  /** Live entries, for tests of the memory bound. */
  size(): number;
}

interface Window {
  start: number;
  count: number;
}
interface Failures {
  start: number;
  count: number;
  /** 0 while not locked. */
  lockedUntil: number;
}

const retryAfter = (until: number, now: number): number => Math.max(1, Math.ceil((until - now) / 1000));

export function createAuthLimiter(opts: AuthLimiterOptions): AuthLimiter {
  const maxEntries = opts.maxEntries ?? 50_000;
  const windows = new Map<string, Window>();
  const failures = new Map<string, Failures>();
  let lastSweep = opts.now();

  const failureExpired = (f: Failures, now: number): boolean =>
    f.lockedUntil > 0 ? f.lockedUntil <= now : now - f.start >= opts.lockoutWindowMs;

  // Re-inserting moves a key to the end of the Map's iteration order, so the front holds the entries
  // touched longest ago — the ones dropped first when over the bound.
  function touch<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    if (map.size > maxEntries) {
      for (const k of map.keys()) {
        if (map.size <= maxEntries) break;
        map.delete(k);
      }
    }
  }

  function sweep(now: number): void {
    if (now - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = now;
    for (const [k, w] of windows) if (now - w.start >= RATE_WINDOW_MS) windows.delete(k);
    for (const [k, f] of failures) if (failureExpired(f, now)) failures.delete(k);
  }

  // JSON keeps ip/email pairs unambiguous whatever characters they contain.
  const pairKey = (email: string, ip: string): string => JSON.stringify([ip, email.trim().toLowerCase()]);

  return {
    hit(kind, ip) {
      const now = opts.now();
      sweep(now);
      const limit = kind === 'sign_in_sign_ups' ? opts.signInSignUps : opts.tokenRefresh;
      const key = `${kind}:${ip}`;
      const current = windows.get(key);
      const w = current && now - current.start < RATE_WINDOW_MS ? current : { start: now, count: 0 };
      if (w.count >= limit) return { ok: false, retryAfterSec: retryAfter(w.start + RATE_WINDOW_MS, now) };
      w.count++;
      touch(windows, key, w);
      return { ok: true };
    },

    lockout(email, ip) {
      const now = opts.now();
      sweep(now);
      const key = pairKey(email, ip);
      const f = failures.get(key);
      if (!f) return { ok: true };
      if (f.lockedUntil > now) return { ok: false, retryAfterSec: retryAfter(f.lockedUntil, now) };
      if (failureExpired(f, now)) failures.delete(key);
      return { ok: true };
    },

    recordFailure(email, ip) {
      const now = opts.now();
      const key = pairKey(email, ip);
      const current = failures.get(key);
      const f = current && !failureExpired(current, now) ? current : { start: now, count: 0, lockedUntil: 0 };
      f.count++;
      if (f.count >= opts.lockoutAttempts) f.lockedUntil = now + opts.lockoutWindowMs;
      touch(failures, key, f);
    },

    recordSuccess(email, ip) {
      failures.delete(pairKey(email, ip));
    },

    size() {
      return windows.size + failures.size;
    },
  };
}
