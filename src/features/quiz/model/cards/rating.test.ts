import { expect, test } from 'vitest';
import type { LoggedAnswer } from './log';
import { rate, slowThresholdOf, slowThresholds } from './rating';

const answer = (over: Partial<LoggedAnswer> = {}): LoggedAnswer => ({
  id: 'a',
  question_id: 1,
  is_correct: true,
  answered_at: '2026-12-05T10:00:00Z',
  time_spent_ms: 30_000,
  confidence: 'sure',
  ...over,
});

test.each([
  ['incorrect', { is_correct: false }, undefined, 'again'],
  ['incorrect and sure', { is_correct: false, confidence: 'sure' }, undefined, 'again'],
  ['incorrect and slow', { is_correct: false, time_spent_ms: 999_000 }, 60_000, 'again'],
  ['correct, guessed', { confidence: 'guessed' }, undefined, 'again'],
  ['correct, guessed, fast', { confidence: 'guessed', time_spent_ms: 1_000 }, 60_000, 'again'],
  ['correct, unsure', { confidence: 'unsure' }, undefined, 'hard'],
  ['correct, sure, slower than the threshold', { time_spent_ms: 60_001 }, 60_000, 'hard'],
  ['correct, no confidence given (sure), slower than the threshold', { confidence: null, time_spent_ms: 60_001 }, 60_000, 'hard'],
  ['correct, sure, exactly at the threshold (not slower)', { time_spent_ms: 60_000 }, 60_000, 'good'],
  ['correct, sure, slow but no threshold (kind under 5 correct answers)', { time_spent_ms: 999_000 }, undefined, 'good'],
  ['correct, sure', {}, 60_000, 'good'],
  ['correct, no confidence given', { confidence: null }, undefined, 'good'],
] as const)('%s → %s', (_label, over, threshold, expected) => {
  expect(rate(answer(over), threshold)).toBe(expected);
});

test('slow threshold: 2 × the median of correct times, only from 5 correct answers on', () => {
  expect(slowThresholdOf([10, 20, 30, 40])).toBeUndefined();
  expect(slowThresholdOf([50, 10, 40, 20, 30])).toBe(60); // median 30
  expect(slowThresholdOf([60, 10, 50, 20, 40, 30])).toBe(70); // median (30 + 40) / 2
});

test('slowThresholds: per kind, over correct answers of the deduplicated log; undefined kind is "unknown"', () => {
  const kindOf = (q: number) => (q <= 10 ? 'renal' : q <= 20 ? 'cardio' : undefined);
  const log: LoggedAnswer[] = [
    // renal: five correct answers (times 10..50 s) and wrong ones that must not count
    ...[1, 2, 3, 4, 5].map((q) => answer({ id: `r${q}`, question_id: q, time_spent_ms: q * 10_000 })),
    answer({ id: 'rw', question_id: 6, is_correct: false, time_spent_ms: 900_000 }),
    // cardio: four distinct correct answers; the repeats of the same id must not make a fifth
    ...[11, 12, 13, 14].map((q) => answer({ id: `c${q}`, question_id: q })),
    answer({ id: 'c14', question_id: 14 }),
    answer({ id: 'c14', question_id: 14 }),
    // no kind: five correct answers share the one 'unknown' kind
    ...[21, 22, 23, 24, 25].map((q) => answer({ id: `u${q}`, question_id: q, time_spent_ms: 5_000 })),
  ];
  expect(slowThresholds(log, kindOf)).toEqual(new Map([['renal', 60_000], ['unknown', 10_000]]));
});
