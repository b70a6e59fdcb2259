import { expect, test } from 'vitest';
import type { AssignmentStatus as StudentStatus } from '@/lib/assignment-plan';
import { scoreHistogram, sortStudents, statusCounts, type StudentResult } from './assignment-results';

const student = (display_name: string, status: StudentStatus, correct = 0, over: Partial<StudentResult> = {}): StudentResult => ({
  display_name,
  status,
  answered: status === 'not_started' ? 0 : correct + 1,
  correct,
  late: status === 'late' ? 1 : 0,
  sittings: status === 'not_started' ? 0 : 1,
  started_at: null,
  completed_at: null,
  ...over,
});

test('ten bins of 10 %: a bin holds its lower edge, a full score is in the last, unfinished students are left out', () => {
  const bins = scoreHistogram(
    [
      student('a', 'done', 0),
      student('b', 'done', 9), // 90 %
      student('c', 'late', 10), // 100 %
      student('d', 'done', 7), // 70 %, not 69.99…
      student('e', 'done', 6), // 60 %
      student('f', 'in_progress', 10),
      student('g', 'not_started'),
    ],
    10,
  );
  expect(bins.map((b) => b.label)).toEqual(['0–9 %', '10–19 %', '20–29 %', '30–39 %', '40–49 %', '50–59 %', '60–69 %', '70–79 %', '80–89 %', '90–100 %']);
  expect(bins.map((b) => b.count)).toEqual([1, 0, 0, 0, 0, 0, 1, 1, 0, 2]);
  expect(bins[9]).toMatchObject({ from: 90, to: 100 });
});

test('bins are exact at every edge for awkward totals', () => {
  // 3 of 30 is 10 %, 29 of 30 is 96.7 %, 1 of 3 is 33.3 %, 2 of 3 is 66.7 %.
  expect(scoreHistogram([student('a', 'done', 3), student('b', 'done', 29)], 30).map((b) => b.count)).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
  expect(scoreHistogram([student('a', 'done', 1), student('b', 'done', 2)], 3).map((b) => b.count)).toEqual([0, 0, 0, 1, 0, 0, 1, 0, 0, 0]);
  for (let total = 1; total <= 280; total++) {
    for (let correct = 0; correct <= total; correct++) {
      const bins = scoreHistogram([student('x', 'done', correct)], total);
      const bin = bins.find((b) => b.count === 1);
      const pct = (100 * correct) / total;
      expect(bin && pct >= bin.from && pct < (bin.to === 100 ? 100.0001 : bin.to + 1), `${correct}/${total}`).toBe(true);
    }
  }
  expect(scoreHistogram([student('a', 'done', 0)], 0).every((b) => b.count === 0)).toBe(true);
});

test('counts by status, and overdue is the unfinished once the due date has passed', () => {
  const students = [student('a', 'not_started'), student('b', 'in_progress', 2), student('c', 'done', 5), student('d', 'late', 5), student('e', 'not_started')];
  const due = new Date('2026-12-14T23:59:00Z');
  expect(statusCounts(students, due, new Date('2026-12-14T12:00:00Z'))).toEqual({ not_started: 2, in_progress: 1, done: 1, late: 1, overdue: 0 });
  expect(statusCounts(students, due, new Date('2026-12-15T00:00:00Z'))).toEqual({ not_started: 2, in_progress: 1, done: 1, late: 1, overdue: 3 });
  expect(statusCounts([], due, new Date())).toEqual({ not_started: 0, in_progress: 0, done: 0, late: 0, overdue: 0 });
});

test('students sort by status (not started first) then name, or by any column with ties by name', () => {
  const students = [student('Zoe', 'done', 9), student('amy', 'not_started'), student('Bob', 'late', 4), student('Cal', 'in_progress', 1), student('Ann', 'done', 4)];
  const names = (key: Parameters<typeof sortStudents>[1], dir: 'ascending' | 'descending') => sortStudents(students, key, dir, 10).map((s) => s.display_name);
  expect(names('status', 'ascending')).toEqual(['amy', 'Cal', 'Bob', 'Ann', 'Zoe']);
  expect(names('display_name', 'ascending')).toEqual(['amy', 'Ann', 'Bob', 'Cal', 'Zoe']);
  // Unfinished students have no score: below every finished one.
  expect(names('score', 'descending')).toEqual(['Zoe', 'Ann', 'Bob', 'amy', 'Cal']);
  expect(names('late', 'descending')).toEqual(['Bob', 'amy', 'Ann', 'Cal', 'Zoe']);
});
