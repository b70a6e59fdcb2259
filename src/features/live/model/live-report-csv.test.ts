import Papa from 'papaparse';
import { expect, test } from 'vitest';
import { toLiveReportCsv } from './live-report-csv';
import type { LiveReport } from './protocol';

const question = (position: number, question_id: number, correct_choice: 'A' | 'B' | 'C' | 'D' | 'E') => ({
  position,
  question_id,
  correct_choice,
  counts: { A: 0, B: 0, C: 0, D: 0, E: 0 },
  answered: 0,
  correct: 0,
  participants: 3,
  closed_at: '2026-12-06T10:01:00Z',
});

test('one line per student: totals, time to the correct answers, and each shown question’s choice and whether it was right; formulas escaped', () => {
  const report: LiveReport = {
    session: {
      id: '7d3f7a52-4e0a-4d1c-9a55-0c3c2f3e9a11',
      cohort_id: 'c0c0c0c0-0000-4000-8000-000000000001',
      title: 'Cardio quickfire',
      status: 'ended',
      question_ids: [11, 12, 13],
      created_at: '2026-12-06T10:00:00Z',
      ended_at: '2026-12-06T10:05:00Z',
    },
    // Shown out of order in the array: the columns follow the positions.
    questions: [question(1, 12, 'C'), question(0, 11, 'B')],
    students: [
      {
        user_id: 'a0000000-0000-4000-8000-000000000001',
        name: 'Rivera, Sam',
        correct: 2,
        answered: 2,
        ms: 7400,
        answers: [
          { position: 0, choice: 'B', is_correct: true, ms: 3000 },
          { position: 1, choice: 'C', is_correct: true, ms: 4400 },
        ],
      },
      { user_id: 'a0000000-0000-4000-8000-000000000002', name: '=cmd()', correct: 0, answered: 1, ms: 0, answers: [{ position: 1, choice: 'A', is_correct: false, ms: 9000 }] },
      { user_id: 'a0000000-0000-4000-8000-000000000003', name: 'Quiet Student', correct: 0, answered: 0, ms: 0, answers: [] },
    ],
  };
  const csv = toLiveReportCsv(report);
  const rows = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;
  expect(rows).toEqual([
    ['name', 'correct', 'answered', 'questions', 'correct_seconds', 'q1', 'q1_correct', 'q2', 'q2_correct'],
    ['Rivera, Sam', '2', '2', '2', '7.4', 'B', 'yes', 'C', 'yes'],
    [`'=cmd()`, '0', '1', '2', '0.0', '', '', 'A', 'no'],
    ['Quiet Student', '0', '0', '2', '0.0', '', '', '', ''],
  ]);
  expect(csv.split('\r\n')).toHaveLength(4);
});
