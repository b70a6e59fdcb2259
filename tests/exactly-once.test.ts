/** The exactly-once counts of the e2e specs (e2e/exactly-once.ts) catch what a broken client would do. */
import { expect, test } from 'vitest';
import { exactlyOnce, firstAnswers, type GivenAnswer, type SentAnswer } from '../e2e/exactly-once.ts';

const A = 'attempt-1';
const given: GivenAnswer[] = [
  { attemptId: A, id: 'id-1', questionId: 1, choice: 'A' },
  { attemptId: A, id: 'id-2', questionId: 2, choice: 'B' },
];
const stored = (rows: [string, number, string][]) =>
  rows.map(([id, question_id, choice]) => ({ id, attempt_id: A, question_id, choice, is_correct: false }));
const sent = (rows: [string, number, string][]): SentAnswer[] => rows.map(([id, question_id, choice]) => ({ id, attempt_id: A, question_id, choice }));

test('a clean sync counts nothing but its retries', () => {
  const wire = sent([['id-1', 1, 'A'], ['id-2', 2, 'B'], ['id-2', 2, 'B']]);
  expect(exactlyOnce(given, stored([['id-1', 1, 'A'], ['id-2', 2, 'B']]), wire)).toEqual({ lost: 0, notGiven: 0, changed: 0, rekeyed: 0, resent: 1 });
});

test('each way a client can break is counted', () => {
  // Lost the second answer.
  expect(exactlyOnce(given, stored([['id-1', 1, 'A']])).lost).toBe(1);
  // Sent the second question under a new id (and the server kept that one): re-keyed and not given.
  const rekeyed = exactlyOnce(given, stored([['id-1', 1, 'A'], ['id-9', 2, 'B']]), sent([['id-1', 1, 'A'], ['id-9', 2, 'B'], ['id-2', 2, 'B']]));
  expect(rekeyed).toMatchObject({ notGiven: 1, rekeyed: 1, lost: 1 });
  // Stored a choice the student did not give.
  expect(exactlyOnce(given, stored([['id-1', 1, 'A'], ['id-2', 2, 'C']])).changed).toBe(1);
});

test('the boards count the first answer received per question (then the earlier clock, then the smaller id)', () => {
  const row = (id: string, question_id: number, received_at: string, answered_at = '2026-12-04T10:00:00+00:00') => ({ id, question_id, received_at, answered_at });
  const firsts = firstAnswers([
    row('b', 1, '2026-12-04T10:00:02.5+00:00'),
    row('a', 1, '2026-12-04T10:00:02.25+00:00'),
    row('c', 2, '2026-12-04T10:00:03+00:00', '2026-12-04T09:00:00+00:00'),
    row('d', 2, '2026-12-04T10:00:03+00:00', '2026-12-04T08:00:00+00:00'),
  ]);
  expect(firsts.map((a) => a.id).sort()).toEqual(['a', 'd']);
});
