import { expect, test } from 'vitest';
import { formatUtcOffset } from '@/lib/format';
import { defaultWindow, localInputToIso, toLocalInput } from './local-time';

test('a datetime-local value is the viewer’s wall clock, stored as the UTC instant it names', () => {
  // Whatever zone the test runs in: the instant must be the one the local Date constructor names.
  expect(localInputToIso('2026-12-07T09:30')).toBe(new Date(2026, 11, 7, 9, 30).toISOString());
  expect(localInputToIso('2026-07-01T23:59')).toBe(new Date(2026, 6, 1, 23, 59).toISOString());
  expect(localInputToIso(' 2026-01-31T00:00:15 ')).toBe(new Date(2026, 0, 31, 0, 0, 15).toISOString());
  expect(localInputToIso('2026-12-07T09:30')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
});

test('empty, partial and impossible dates are no date', () => {
  for (const bad of ['', '2026-12-07', '09:30', '2026-02-30T10:00', '2026-13-01T10:00', '2026-12-07T24:00', '2026-12-07T10:60', 'tomorrow']) {
    expect(localInputToIso(bad), bad).toBeNull();
  }
});

test('UTC instants come back as the same wall-clock input, to the minute', () => {
  for (const local of ['2026-12-07T09:30', '2026-03-29T12:00', '2026-10-25T01:15', '2027-01-01T00:00', '2026-06-15T18:45']) {
    const iso = localInputToIso(local);
    expect(iso).not.toBeNull();
    expect(toLocalInput(iso ?? '')).toBe(local);
  }
  // Seconds are dropped: the input shows minutes.
  expect(toLocalInput(new Date(2026, 4, 3, 7, 8, 59))).toBe('2026-05-03T07:08');
});

test('the offset label reads east of UTC as +, west as −', () => {
  expect(formatUtcOffset({ getTimezoneOffset: () => 0 })).toBe('UTC');
  expect(formatUtcOffset({ getTimezoneOffset: () => -60 })).toBe('UTC+01:00');
  expect(formatUtcOffset({ getTimezoneOffset: () => -330 })).toBe('UTC+05:30');
  expect(formatUtcOffset({ getTimezoneOffset: () => 300 })).toBe('UTC−05:00');
  expect(formatUtcOffset({ getTimezoneOffset: () => 570 })).toBe('UTC−09:30');
});

test('a new form opens now and is due a week later at 23:59', () => {
  const now = new Date(2026, 11, 28, 14, 5, 30);
  expect(defaultWindow(now)).toEqual({ opensAt: '2026-12-28T14:05', dueAt: '2027-01-04T23:59' });
});
