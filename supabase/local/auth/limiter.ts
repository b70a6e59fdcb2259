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
 * - Account-wide cap (ours too): `accountLockoutAttempts` failed password checks for one email from ANY
 *   addresses within `lockoutWindowMs` of the first lock the email for everyone, for `lockoutWindowMs` from
 *   the failure that tripped it — so guessing spread over many addresses stays bounded (by default 20
 *   guesses per 15 minutes per account, however many addresses the guesser has). A success does not clear
 *   this count (it would let a guesser who shares the user's address keep going). The price: someone who
 *   knows an email can keep its owner out by guessing wrong 20 times every 15 minutes; the owner gets in
 *   again when the window passes (docs/decisions/015-request-limits.md).
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
  /** Failed checks for one email, from all addresses together, before the email is locked for everyone. */
  accountLockoutAttempts: number;
  lockoutWindowMs: number;
  now: () => number;
  /** Upper bound per map (rate windows, failure counters). */
  maxEntries?: number;
}

export interface AuthLimiter {
  /** Counts one request of `kind` from `ip`, or refuses it. */
  hit(kind: RateKind, ip: string): Gate;
  /** Whether (email, ip) — or the email from every address — is locked out right now. Does not count anything. */
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
  /** Keyed by the (ip, email) pair, and by the email alone for the account-wide cap. */
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
  const accountKey = (email: string): string => JSON.stringify([email.trim().toLowerCase()]);

  function lockedFor(key: string, now: number): number {
    const f = failures.get(key);
    if (!f) return 0;
    if (f.lockedUntil > now) return f.lockedUntil;
    if (failureExpired(f, now)) failures.delete(key);
    return 0;
  }

  function countFailure(key: string, limit: number, now: number): void {
    const current = failures.get(key);
    const f = current && !failureExpired(current, now) ? current : { start: now, count: 0, lockedUntil: 0 };
    f.count++;
    if (f.count >= limit) f.lockedUntil = now + opts.lockoutWindowMs;
    touch(failures, key, f);
  }

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
      const until = Math.max(lockedFor(pairKey(email, ip), now), lockedFor(accountKey(email), now));
      return until > now ? { ok: false, retryAfterSec: retryAfter(until, now) } : { ok: true };
    },

    recordFailure(email, ip) {
      const now = opts.now();
      countFailure(pairKey(email, ip), opts.lockoutAttempts, now);
      countFailure(accountKey(email), opts.accountLockoutAttempts, now);
    },

    recordSuccess(email, ip) {
      failures.delete(pairKey(email, ip));
    },

    size() {
      return windows.size + failures.size;
    },
  };
}
