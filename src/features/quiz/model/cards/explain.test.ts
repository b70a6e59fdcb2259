import { expect, test } from 'vitest';
import type { CardHistoryEntry, CardState } from './card';
import { explainCard, times } from './explain';

const DAY = 86_400_000;
const local = (y: number, m: number, d: number, h = 12) => new Date(y, m - 1, d, h).getTime();
const now = local(2026, 12, 5, 10);

type Answer = 'right' | 'wrong' | 'guessed' | 'unsure';
/** A card with this history, due on `due` (the history's own due dates do not matter to the sentence). */
function card(answers: Answer[], due: number): CardState {
  const history: CardHistoryEntry[] = answers.map((a, i) => ({
    answerId: `a${i}`,
    answeredAt: now - (answers.length - i) * DAY,
    isCorrect: a !== 'wrong',
    confidence: a === 'guessed' ? 'guessed' : a === 'unsure' ? 'unsure' : 'sure',
    timeSpentMs: 30_000,
    rating: a === 'wrong' || a === 'guessed' ? 'again' : a === 'unsure' ? 'hard' : 'good',
    due,
  }));
  const last = history.at(-1);
  return {
    questionId: 1,
    due,
    stability: 3,
    difficulty: 5,
    reps: history.length,
    lapses: 0,
    misses: history.filter((h) => h.rating === 'again').length,
    lastRating: last?.rating ?? 'good',
    lastAnsweredAt: last?.answeredAt ?? now,
    lastCorrect: last?.isCorrect ?? true,
    history,
  };
}

test('once, twice, n times', () => {
  expect([1, 2, 3, 11].map(times)).toEqual(['once', 'twice', '3 times', '11 times']);
});

test.each([
  [['wrong', 'wrong'], local(2026, 12, 8), 'You missed it twice; next in 3 days.'],
  [['wrong'], local(2026, 12, 6, 9), 'You missed it once; next tomorrow.'],
  [['right', 'right', 'right'], local(2026, 12, 29), 'You got it right 3 times; next in 24 days.'],
  [['right'], local(2026, 12, 8), 'You got it right once; next in 3 days.'],
  [['unsure', 'right'], local(2026, 12, 9), 'You got it right twice; next in 4 days.'],
  [['wrong', 'wrong', 'right'], local(2026, 12, 8), 'You missed it twice, then got it right; next in 3 days.'],
  [['right', 'guessed'], local(2026, 12, 6), 'You guessed it last time; next tomorrow.'],
  [['wrong'], local(2026, 12, 5, 23), 'Due today.'],
  [['right'], local(2026, 12, 5, 0), 'Due today.'],
  [['wrong'], local(2026, 12, 4, 23), 'Overdue by 1 day.'],
  [['wrong', 'right'], local(2026, 12, 3, 8), 'Overdue by 2 days.'],
] as const)('%j due %s → %s', (answers, due, sentence) => {
  expect(explainCard(card([...answers], due), now)).toBe(sentence);
});
