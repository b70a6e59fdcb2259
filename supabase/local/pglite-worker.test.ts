/** The watchdog reads statement_timeout as current_setting shows it (pglite-worker.ts). */
import { expect, test } from 'vitest';
import { parseTimeSetting } from './pglite-worker.ts';

test('time settings in every unit PostgreSQL shows become milliseconds; 0 and unreadable values mean no timeout', () => {
  expect(parseTimeSetting('8s')).toBe(8000);
  expect(parseTimeSetting('3s')).toBe(3000);
  expect(parseTimeSetting('250ms')).toBe(250);
  expect(parseTimeSetting('1min')).toBe(60_000);
  expect(parseTimeSetting('2h')).toBe(7_200_000);
  expect(parseTimeSetting('1d')).toBe(86_400_000);
  expect(parseTimeSetting('1500')).toBe(1500);
  expect(parseTimeSetting('0')).toBe(0);
  expect(parseTimeSetting('soon')).toBe(0);
  expect(parseTimeSetting('5 parsecs')).toBe(0);
});
