/**
 * Worked scheduling examples. The expected numbers were taken once from ts-fsrs 5.4.2 with Rounds'
 * parameters (fsrs.ts) and pinned: a ts-fsrs upgrade or a parameter change that moves them fails here.
 */
import { expect, test } from 'vitest';
import { replayCard } from './card';
import type { Confidence } from '@/answer-sync/shapes';
import type { LoggedAnswer } from './log';

const DAY = 86_400_000;
const answer = (id: string, answered_at: string, is_correct: boolean, confidence: Confidence | null = 'sure'): LoggedAnswer => ({
  id,
  question_id: 7,
  is_correct,
  answered_at,
  time_spent_ms: 30_000,
  confidence,
});
const at = (iso: string) => Date.parse(iso);

test('wrong today → due in one day (no same-day learning steps), FSRS state pinned', () => {
  const card = replayCard([answer('w', '2026-12-05T09:30:00+01:00', false)]);
  expect(card).toEqual({
    questionId: 7,
    due: at('2026-12-06T08:30:00Z'),
    stability: 0.212,
    difficulty: 6.4133,
    reps: 1,
    lapses: 0,
    misses: 1,
    lastRating: 'again',
    lastAnsweredAt: at('2026-12-05T08:30:00Z'),
    lastCorrect: false,
    history: [
      { answerId: 'w', answeredAt: at('2026-12-05T08:30:00Z'), isCorrect: false, confidence: 'sure', timeSpentMs: 30_000, rating: 'again', due: at('2026-12-06T08:30:00Z') },
    ],
  });
});

test('right and sure → 3 days; right but unsure (hard) → 2 days; right by a guess (again) → 1 day', () => {
  const first = (confidence: Confidence | null) => replayCard([answer('x', '2026-12-05T08:30:00Z', true, confidence)]);
  expect(first('sure')).toMatchObject({ due: at('2026-12-08T08:30:00Z'), stability: 2.3065, difficulty: 2.11810397, lastRating: 'good', misses: 0 });
  expect(first(null)).toMatchObject({ due: at('2026-12-08T08:30:00Z'), lastRating: 'good' });
  expect(first('unsure')).toMatchObject({ due: at('2026-12-07T08:30:00Z'), stability: 1.2931, difficulty: 5.11217071, lastRating: 'hard' });
  expect(first('guessed')).toMatchObject({ due: at('2026-12-06T08:30:00Z'), lastRating: 'again', misses: 1, lastCorrect: true });
});

test('wrong, then right twice: the intervals grow; the history keeps each answer’s due date', () => {
  const card = replayCard([
    // Out of order on purpose: the replay orders by answered_at.
    answer('r2', '2026-12-13T08:00:00+01:00', true),
    answer('w', '2026-12-05T09:30:00+01:00', false),
    answer('r', '2026-12-06T18:00:00+01:00', true),
  ]);
  expect(card.history.map((h) => [h.answerId, h.rating, h.due])).toEqual([
    ['w', 'again', at('2026-12-06T08:30:00Z')],
    ['r', 'good', at('2026-12-09T17:00:00Z')],
    ['r2', 'good', at('2026-12-24T07:00:00Z')],
  ]);
  expect(card).toMatchObject({ due: at('2026-12-24T07:00:00Z'), stability: 11.15177775, difficulty: 6.39094132, reps: 3, lapses: 0, misses: 1, lastCorrect: true });
});

test('a higher desired retention brings the card back sooner', () => {
  const twoGood = [answer('a', '2026-12-05T08:30:00Z', true), answer('b', '2026-12-07T08:30:00Z', true)];
  const dueIn = (retention: number) => (replayCard(twoGood, { retention }).due - at('2026-12-07T08:30:00Z')) / DAY;
  expect([0.7, 0.8, 0.9, 0.97].map(dueIn)).toEqual([102, 36, 11, 3]);
  // Clamped to 0.70–0.97; not a number → 0.90.
  expect(dueIn(0.5)).toBe(102);
  expect(dueIn(0.99)).toBe(3);
  expect(dueIn(Number.NaN)).toBe(11);
});

test('intervals stop at the 365-day maximum (Good lands one day past it: ts-fsrs keeps Good a day after Hard)', () => {
  const log: LoggedAnswer[] = [];
  let t = at('2026-01-01T00:00:00Z');
  const intervals: number[] = [];
  for (let i = 0; i < 7; i++) {
    log.push(answer(`m${i}`, new Date(t).toISOString(), true));
    const card = replayCard(log);
    intervals.push((card.due - t) / DAY);
    t = card.due;
  }
  expect(intervals).toEqual([3, 14, 57, 196, 366, 366, 366]);
  const hard = replayCard([...log, answer('h', new Date(t).toISOString(), true, 'unsure')]);
  expect((hard.due - t) / DAY).toBe(365);
});

test('the same answer twice counts once; equal times replay in id order', () => {
  const once = replayCard([answer('w', '2026-12-05T08:30:00Z', false)]);
  expect(replayCard([answer('w', '2026-12-05T08:30:00Z', false), answer('w', '2026-12-05T08:30:00Z', false)])).toEqual(once);
  const a = answer('a', '2026-12-05T08:30:00Z', false);
  const b = answer('b', '2026-12-05T08:30:00Z', true);
  expect(replayCard([b, a])).toEqual(replayCard([a, b]));
  expect(replayCard([b, a]).lastCorrect).toBe(true);
});

test('replayCard refuses an empty log and answers of two questions', () => {
  expect(() => replayCard([])).toThrow(/no answer/);
  expect(() => replayCard([answer('a', 'not a date', true)])).toThrow(/no answer/);
  expect(() => replayCard([answer('a', '2026-12-05T08:30:00Z', true), { ...answer('b', '2026-12-05T08:30:00Z', true), question_id: 8 }])).toThrow(/more than one question/);
});
