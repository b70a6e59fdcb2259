import Papa from 'papaparse';
import { expect, test } from 'vitest';
import { toAssignmentCsv } from './assignment-csv';
import type { StudentResult } from './assignment-results';

test('one line per student with status, overdue, score of all questions, late answers and sittings; formulas escaped', () => {
  const students: StudentResult[] = [
    { display_name: 'Rivera, Sam "NightShift"', status: 'done', answered: 10, correct: 7, late: 0, sittings: 1, started_at: '2026-12-08T10:00:00Z', completed_at: '2026-12-08T10:40:00Z' },
    { display_name: 'Ben Late', status: 'late', answered: 9, correct: 3, late: 4, sittings: 2, started_at: '2026-12-15T08:00:00Z', completed_at: '2026-12-15T09:00:00Z' },
    { display_name: '=HYPERLINK("x")', status: 'in_progress', answered: 4, correct: 4, late: 0, sittings: 1, started_at: '2026-12-09T10:00:00Z', completed_at: null },
    { display_name: 'Nobody Yet', status: 'not_started', answered: 0, correct: 0, late: 0, sittings: 0, started_at: null, completed_at: null },
  ];
  const csv = toAssignmentCsv(students, { total: 10, dueAt: new Date('2026-12-14T23:59:00Z'), now: new Date('2026-12-16T00:00:00Z') });
  const rows = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;
  expect(rows[0]).toEqual(['name', 'status', 'overdue', 'answered', 'correct', 'questions', 'score_pct', 'late_answers', 'sittings', 'started_at', 'completed_at']);
  expect(rows[1]).toEqual(['Rivera, Sam "NightShift"', 'done', 'no', '10', '7', '10', '70.0', '0', '1', '2026-12-08T10:00:00Z', '2026-12-08T10:40:00Z']);
  expect(rows[2]).toEqual(['Ben Late', 'late', 'no', '9', '3', '10', '30.0', '4', '2', '2026-12-15T08:00:00Z', '2026-12-15T09:00:00Z']);
  expect(rows[3]).toEqual([`'=HYPERLINK("x")`, 'in_progress', 'yes', '4', '4', '10', '', '0', '1', '2026-12-09T10:00:00Z', '']);
  expect(rows[4]).toEqual(['Nobody Yet', 'not_started', 'yes', '0', '0', '10', '', '0', '0', '', '']);
  expect(csv.split('\r\n')).toHaveLength(5);
});
