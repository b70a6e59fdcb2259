import { expect, test } from 'vitest';
import { createAuthLimiter, RATE_WINDOW_MS, type AuthLimiterOptions } from './limiter.ts';
import { fakeClock } from './test-stack.ts';

const LOCK_MS = 15 * 60 * 1000;

function limiter(overrides: Partial<AuthLimiterOptions> = {}) {
  const clock = fakeClock(1_000_000);
  const l = createAuthLimiter({ signInSignUps: 3, tokenRefresh: 2, lockoutAttempts: 5, accountLockoutAttempts: 20, lockoutWindowMs: LOCK_MS, now: clock.now, ...overrides });
  return { l, clock };
}

test('rate limit: N requests per IP per 5-minute window, refused ones are not counted', () => {
  const { l, clock } = limiter();
  for (let i = 0; i < 3; i++) expect(l.hit('sign_in_sign_ups', 'a')).toEqual({ ok: true });
  expect(l.hit('sign_in_sign_ups', 'a')).toEqual({ ok: false, retryAfterSec: 300 });
  expect(l.hit('sign_in_sign_ups', 'b')).toEqual({ ok: true });
  expect(l.hit('token_refresh', 'a')).toEqual({ ok: true });
  clock.advance(RATE_WINDOW_MS - 1500);
  expect(l.hit('sign_in_sign_ups', 'a')).toEqual({ ok: false, retryAfterSec: 2 });
  clock.advance(1500);
  expect(l.hit('sign_in_sign_ups', 'a')).toEqual({ ok: true });
});

test('lockout: the fifth failure locks the pair for the full window; success before that resets', () => {
  const { l, clock } = limiter();
  for (let i = 0; i < 4; i++) l.recordFailure('A@x.io', '1.1.1.1');
  expect(l.lockout('a@x.io', '1.1.1.1')).toEqual({ ok: true });
  l.recordSuccess('a@x.io', '1.1.1.1');
  for (let i = 0; i < 4; i++) l.recordFailure('a@x.io', '1.1.1.1');
  expect(l.lockout('a@x.io', '1.1.1.1')).toEqual({ ok: true });
  clock.advance(60_000);
  l.recordFailure(' a@x.io', '1.1.1.1');
  expect(l.lockout('a@x.io', '1.1.1.1')).toEqual({ ok: false, retryAfterSec: 900 });
  expect(l.lockout('a@x.io', '2.2.2.2')).toEqual({ ok: true });
  expect(l.lockout('b@x.io', '1.1.1.1')).toEqual({ ok: true });
  clock.advance(LOCK_MS - 1);
  expect(l.lockout('a@x.io', '1.1.1.1')).toEqual({ ok: false, retryAfterSec: 1 });
  clock.advance(1);
  expect(l.lockout('a@x.io', '1.1.1.1')).toEqual({ ok: true });
  // After the lock the count starts from zero.
  l.recordFailure('a@x.io', '1.1.1.1');
  expect(l.lockout('a@x.io', '1.1.1.1')).toEqual({ ok: true });
});

test('lockout: failures spread over more than the window do not add up', () => {
  const { l, clock } = limiter();
  for (let i = 0; i < 4; i++) l.recordFailure('a@x.io', 'ip');
  clock.advance(LOCK_MS);
  l.recordFailure('a@x.io', 'ip');
  expect(l.lockout('a@x.io', 'ip')).toEqual({ ok: true });
});

test('account-wide cap: 20 failures for one email from any addresses lock it everywhere, for the window from the 20th', () => {
  const { l, clock } = limiter();
  // Four addresses, five guesses each: every pair reaches its own lock, and the email its account-wide one.
  for (let ip = 0; ip < 4; ip++) {
    for (let i = 0; i < 5; i++) {
      expect(l.lockout('victim@x.io', `10.0.0.${ip}`)).toEqual({ ok: true });
      l.recordFailure('victim@x.io', `10.0.0.${ip}`);
    }
    clock.advance(1000);
  }
  // A fifth address has never failed, yet is refused: the account is locked for everyone.
  expect(l.lockout('victim@x.io', '10.0.0.99')).toEqual({ ok: false, retryAfterSec: 899 });
  expect(l.lockout('VICTIM@x.io ', '10.0.0.99').ok).toBe(false);
  expect(l.lockout('other@x.io', '10.0.0.0')).toEqual({ ok: true });
  // A success from an address does not lift the account lock (it only clears that pair's count).
  l.recordSuccess('victim@x.io', '10.0.0.99');
  expect(l.lockout('victim@x.io', '10.0.0.99').ok).toBe(false);
  clock.advance(LOCK_MS - 1000);
  expect(l.lockout('victim@x.io', '10.0.0.99')).toEqual({ ok: true });
});

test('account-wide cap: failures spread over more than the window do not add up', () => {
  const { l, clock } = limiter();
  for (let i = 0; i < 19; i++) l.recordFailure('a@x.io', `ip-${i}`);
  clock.advance(LOCK_MS);
  l.recordFailure('a@x.io', 'ip-late');
  expect(l.lockout('a@x.io', 'ip-new')).toEqual({ ok: true });
});

test('memory is bounded: expired entries are swept, and the oldest go first past maxEntries', () => {
  const { l, clock } = limiter({ maxEntries: 100 });
  for (let i = 0; i < 1000; i++) {
    l.hit('sign_in_sign_ups', `ip-${i}`);
    l.recordFailure(`u${i}@x.io`, 'ip');
  }
  expect(l.size()).toBe(200);
  // The most recent failures survived the eviction.
  for (let i = 0; i < 4; i++) l.recordFailure('u999@x.io', 'ip');
  expect(l.lockout('u999@x.io', 'ip').ok).toBe(false);
  clock.advance(LOCK_MS + 1);
  l.hit('token_refresh', 'late');
  expect(l.size()).toBe(1);
});
