/**
 * Local-day math is written with local-time constructors (new Date(y, m, d, h)), so these tests mean the
 * same in any TZ; run them with TZ=America/New_York (a daylight-saving change on 2027-03-14) too.
 */
import { expect, test } from 'vitest';
import type { CardState } from './card';
import { dueCards, dueSummary, forecast, localDay, localDayLabel } from './due';

const local = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min).getTime();

const card = (questionId: number, due: number, lastCorrect = true): CardState => ({
  questionId,
  due,
  stability: 1,
  difficulty: 5,
  reps: 1,
  lapses: 0,
  misses: lastCorrect ? 0 : 1,
  lastRating: lastCorrect ? 'good' : 'again',
  lastAnsweredAt: due - 86_400_000,
  lastCorrect,
  history: [],
});
const deckOf = (...cards: CardState[]) => new Map(cards.map((c) => [c.questionId, c]));

const now = local(2026, 12, 5, 10, 0);
const deck = deckOf(
  card(1, local(2026, 12, 3, 9), false), // overdue 2 days, missed
  card(2, local(2026, 12, 4, 23, 59)), // overdue 1 day
  card(3, local(2026, 12, 5, 23, 59), false), // due later today, missed
  card(4, local(2026, 12, 5, 0, 0)), // due at the start of today
  card(5, local(2026, 12, 6, 0, 0)), // tomorrow
  card(6, local(2026, 12, 18, 8)), // today + 13: the forecast's last day
  card(7, local(2026, 12, 19, 8)), // today + 14: beyond it
  card(8, local(2026, 12, 3, 9)), // the same due as card 1: ties by question id
);

test('due cards: by the end of the local day, most overdue first, ties by question id', () => {
  expect(dueCards(deck, now).map((c) => c.questionId)).toEqual([1, 8, 2, 4, 3]);
  expect(dueCards(deck, now, { missedOnly: true }).map((c) => c.questionId)).toEqual([1, 3]);
  expect(dueCards(deck, now, { questionIds: new Set([2, 3, 5]) }).map((c) => c.questionId)).toEqual([2, 3]);
  expect(dueCards(deck, now, { missedOnly: true, questionIds: new Set([2, 3, 5]) }).map((c) => c.questionId)).toEqual([3]);
  // Just before midnight and just after: the day boundary is the local one.
  expect(dueCards(deck, local(2026, 12, 5, 23, 59)).map((c) => c.questionId)).toEqual([1, 8, 2, 4, 3]);
  expect(dueCards(deck, local(2026, 12, 6, 0, 1)).map((c) => c.questionId)).toEqual([1, 8, 2, 4, 3, 5]);
  expect(dueCards(new Map(), now)).toEqual([]);
});

test('due summary: due today (overdue included), overdue, missed among those due', () => {
  expect(dueSummary(deck, now)).toEqual({ dueToday: 5, overdue: 3, missed: 2 });
  expect(dueSummary(deck, local(2026, 12, 2))).toEqual({ dueToday: 0, overdue: 0, missed: 0 });
});

test('forecast: 14 local days from today, today counting the overdue cards', () => {
  const days = forecast(deck, now);
  expect(days).toHaveLength(14);
  expect(days[0]).toEqual({ day: '2026-12-05', count: 5 });
  expect(days[1]).toEqual({ day: '2026-12-06', count: 1 });
  expect(days[13]).toEqual({ day: '2026-12-18', count: 1 });
  expect(days.reduce((sum, d) => sum + d.count, 0)).toBe(7); // card 7 is beyond the window
  expect(forecast(deck, now, 3).map((d) => d.day)).toEqual(['2026-12-05', '2026-12-06', '2026-12-07']);
  // Across a month and a year end.
  expect(forecast(new Map(), local(2026, 12, 30), 4).map((d) => d.day)).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
});

test('local days count calendar days across a daylight-saving change', () => {
  // 2027-03-14 is the US change; in zones without one this is plain day counting.
  expect(localDay(local(2027, 3, 15, 0, 30)) - localDay(local(2027, 3, 13, 23, 30))).toBe(2);
  expect(localDayLabel(localDay(local(2027, 3, 14, 3)))).toBe('2027-03-14');
  expect(forecast(deckOf(card(1, local(2027, 3, 15, 0, 30))), local(2027, 3, 13, 23, 30), 3)).toEqual([
    { day: '2027-03-13', count: 0 },
    { day: '2027-03-14', count: 0 },
    { day: '2027-03-15', count: 1 },
  ]);
});
