import { expect, test } from 'vitest';
import { autoCloseDelayMs, hostTimingFrom, percentOf, secondsUntil, spreadOf } from './host-timer';

const t0 = Date.parse('2026-12-06T10:00:00.000Z');
const at = (ms: number) => new Date(t0 + ms).toISOString();

test('the timing comes from the address, each value its default when missing or out of range', () => {
  expect(hostTimingFrom('?seconds=45&choices=0')).toEqual({ seconds: 45, choicesAfterSeconds: 0 });
  expect(hostTimingFrom('')).toEqual({ seconds: 30, choicesAfterSeconds: 3 });
  expect(hostTimingFrom('seconds=4&choices=31')).toEqual({ seconds: 30, choicesAfterSeconds: 3 });
  expect(hostTimingFrom('seconds=600&choices=30')).toEqual({ seconds: 600, choicesAfterSeconds: 30 });
  expect(hostTimingFrom('seconds=12.5&choices=-1')).toEqual({ seconds: 30, choicesAfterSeconds: 3 });
});

test('the host closes an open question at closes_at + 2 s by the server clock, at once if that passed, never a closed one', () => {
  const q = { closes_at: at(30_000), closed_at: null };
  expect(autoCloseDelayMs(q, t0)).toBe(32_000);
  expect(autoCloseDelayMs(q, t0 + 31_500)).toBe(500);
  expect(autoCloseDelayMs(q, t0 + 32_000)).toBe(0);
  expect(autoCloseDelayMs(q, t0 + 90_000)).toBe(0);
  expect(autoCloseDelayMs({ ...q, closed_at: at(12_000) }, t0)).toBeNull();
});

test('countdowns round up to whole seconds and stop at 0', () => {
  expect(secondsUntil(at(30_000), t0)).toBe(30);
  expect(secondsUntil(at(30_000), t0 + 100)).toBe(30);
  expect(secondsUntil(at(30_000), t0 + 29_001)).toBe(1);
  expect(secondsUntil(at(30_000), t0 + 30_000)).toBe(0);
  expect(secondsUntil(at(30_000), t0 + 99_000)).toBe(0);
});

test("the spread: each letter's count and share of those who answered, the key marked", () => {
  expect(spreadOf({ counts: { A: 1, B: 6, C: 0, D: 2, E: 0 }, correct_choice: 'B' })).toEqual([
    { letter: 'A', count: 1, percent: 11, isKey: false },
    { letter: 'B', count: 6, percent: 67, isKey: true },
    { letter: 'C', count: 0, percent: 0, isKey: false },
    { letter: 'D', count: 2, percent: 22, isKey: false },
    { letter: 'E', count: 0, percent: 0, isKey: false },
  ]);
  expect(spreadOf({ counts: { A: 0, B: 0, C: 0, D: 0, E: 0 }, correct_choice: 'E' }).map((s) => s.percent)).toEqual([0, 0, 0, 0, 0]);
  expect(percentOf(2, 3)).toBe(67);
  expect(percentOf(0, 0)).toBeNull();
});
