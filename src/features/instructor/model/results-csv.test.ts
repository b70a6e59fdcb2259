import Papa from 'papaparse';
import { expect, test } from 'vitest';
import { toResultsCsv } from '@/features/instructor/model/results-csv';

test('results become CSV with per-system columns, quoting and formula escaping', () => {
  const csv = toResultsCsv([
    {
      display_name: 'Rivera, Sam "NightShift"',
      email: 'student@example.com',
      joined_at: '2026-11-01T10:00:00Z',
      answered: 10,
      correct: 7,
      accuracy: 0.7,
      by_system: { renal: { answered: 4, correct: 2, accuracy: 0.5 }, cardiovascular: { answered: 6, correct: 5, accuracy: 0.8333 } },
    },
    {
      display_name: '=HYPERLINK("x")',
      email: 'p@example.com',
      joined_at: '2026-11-02T10:00:00Z',
      answered: 0,
      correct: 0,
      accuracy: null,
      by_system: {},
    },
  ]);
  const parsed = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;
  expect(parsed[0]).toEqual([
    'name', 'email', 'joined_at', 'answered', 'correct', 'accuracy_pct',
    'cardiovascular_answered', 'cardiovascular_correct', 'cardiovascular_accuracy_pct',
    'renal_answered', 'renal_correct', 'renal_accuracy_pct',
  ]);
  expect(parsed[1]).toEqual(['Rivera, Sam "NightShift"', 'student@example.com', '2026-11-01T10:00:00Z', '10', '7', '70.0', '6', '5', '83.3', '4', '2', '50.0']);
  expect(parsed[2]?.[0]).toBe(`'=HYPERLINK("x")`);
  expect(parsed[2]?.slice(5)).toEqual(['', '', '', '', '', '', '']);
});
