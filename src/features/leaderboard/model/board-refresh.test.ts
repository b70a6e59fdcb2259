import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { coalescedRefresh } from './board-refresh';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A re-read that takes `ms` (fake time), recording when each one started and ended. */
function reads(ms: number) {
  const log: { start: number; end?: number }[] = [];
  let running = 0;
  let maxRunning = 0;
  const run = () => {
    const entry: { start: number; end?: number } = { start: Date.now() };
    log.push(entry);
    running++;
    maxRunning = Math.max(maxRunning, running);
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        running--;
        entry.end = Date.now();
        resolve();
      }, ms),
    );
  };
  return { log, run, maxRunning: () => maxRunning };
}

test('messages within a second become one re-read, a second after the first', async () => {
  const r = reads(100);
  const refresh = coalescedRefresh(r.run, 1000);
  const t0 = Date.now();
  refresh.request();
  await vi.advanceTimersByTimeAsync(300);
  refresh.request();
  await vi.advanceTimersByTimeAsync(300);
  refresh.request();
  await vi.advanceTimersByTimeAsync(2000);
  expect(r.log.map((e) => e.start - t0)).toEqual([1000]);
});

test('a message during a re-read gets one more re-read after it, never two at once, at most one a second', async () => {
  const r = reads(800);
  const refresh = coalescedRefresh(r.run, 1000);
  const t0 = Date.now();
  // A steady stream: a message every 200 ms for 5 s.
  for (let i = 0; i < 25; i++) {
    refresh.request();
    await vi.advanceTimersByTimeAsync(200);
  }
  await vi.advanceTimersByTimeAsync(5000);
  const starts = r.log.map((e) => e.start - t0);
  expect(r.maxRunning()).toBe(1);
  for (let i = 1; i < starts.length; i++) expect((starts[i] ?? 0) - (starts[i - 1] ?? 0)).toBeGreaterThanOrEqual(1000);
  // The last message (at 4.8 s) is followed by a read that started after it.
  expect(starts.at(-1)).toBeGreaterThan(4800);
  expect(starts).toEqual([1000, 2800, 4600, 6400]);
});

test('a failed re-read does not stop later ones; dispose cancels what is scheduled', async () => {
  let calls = 0;
  const refresh = coalescedRefresh(() => {
    calls++;
    return Promise.reject(new Error('offline'));
  }, 1000);
  refresh.request();
  await vi.advanceTimersByTimeAsync(1000);
  refresh.request();
  await vi.advanceTimersByTimeAsync(1000);
  expect(calls).toBe(2);
  refresh.request();
  refresh.dispose();
  await vi.advanceTimersByTimeAsync(5000);
  refresh.request();
  await vi.advanceTimersByTimeAsync(5000);
  expect(calls).toBe(2);
});
