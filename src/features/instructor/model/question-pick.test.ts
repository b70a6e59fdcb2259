import { expect, test } from 'vitest';
import { matchingQuestions, pickByFilters, pickFromAssignment, searchQuestions, seededRandom, truncateStem, type PickableQuestion } from './question-pick';

const q = (id: number, organ_system: string, discipline: string, published = true, stem = `Stem of question ${id}`): PickableQuestion => ({
  id,
  stem,
  organ_system,
  discipline,
  published,
});
const bank = [
  q(1, 'renal', 'physiology'),
  q(2, 'renal', 'pathology'),
  q(3, 'cardiovascular', 'physiology'),
  q(4, 'cardiovascular', 'pathology', false),
  q(5, 'cardiovascular', 'pathology'),
  q(6, 'renal', 'physiology', false),
  ...Array.from({ length: 30 }, (_, i) => q(100 + i, 'nervous', i % 2 ? 'anatomy' : 'pharmacology')),
];
const all = (key: 'organ_system' | 'discipline') => new Set(bank.map((x) => x[key]));

test('filters match published questions in a chosen system and a chosen discipline', () => {
  const ids = (systems: string[], disciplines: string[]) =>
    matchingQuestions(bank, { systems: new Set(systems), disciplines: new Set(disciplines) }).map((x) => x.id);
  expect(ids(['renal'], ['physiology', 'pathology'])).toEqual([1, 2]);
  expect(ids(['cardiovascular'], ['pathology'])).toEqual([5]); // 4 is a draft
  expect(ids([], ['physiology'])).toEqual([]);
  expect(matchingQuestions(bank, { systems: all('organ_system'), disciplines: all('discipline') })).toHaveLength(34);
});

test('a pick is `count` distinct matching questions, the same for the same seed, another for another', () => {
  const filters = { systems: new Set(['nervous']), disciplines: all('discipline') };
  const a = pickByFilters(bank, filters, 10, 42).map((x) => x.id);
  expect(a).toHaveLength(10);
  expect(new Set(a).size).toBe(10);
  expect(a.every((id) => id >= 100)).toBe(true);
  expect(pickByFilters(bank, filters, 10, 42).map((x) => x.id)).toEqual(a);
  const others = [1, 2, 3, 4, 5].map((seed) => pickByFilters(bank, filters, 10, seed).map((x) => x.id).join());
  expect(others.some((o) => o !== a.join())).toBe(true);
});

test('asking for more than match gives every match; zero or less gives none', () => {
  const filters = { systems: new Set(['renal']), disciplines: all('discipline') };
  expect(pickByFilters(bank, filters, 40, 7).map((x) => x.id).sort()).toEqual([1, 2]);
  expect(pickByFilters(bank, filters, 0, 7)).toEqual([]);
  expect(pickByFilters(bank, filters, -3, 7)).toEqual([]);
});

test('the seeded sequence is in [0, 1) and spreads picks over the whole pool', () => {
  const random = seededRandom(123);
  const values = Array.from({ length: 1000 }, random);
  expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
  const firsts = new Set(Array.from({ length: 200 }, (_, seed) => pickByFilters(bank, { systems: new Set(['nervous']), disciplines: all('discipline') }, 1, seed)[0]?.id));
  expect(firsts.size).toBeGreaterThan(20); // of 30 possible
});

test('search finds published questions by every word, id ("Q12", "5") and taxonomy label', () => {
  const more = [...bank, q(12, 'renal', 'pharmacology', true, 'A 54-year-old man with polyuria after lithium')];
  const ids = (text: string) => searchQuestions(more, text).map((x) => x.id);
  expect(ids('lithium polyuria')).toEqual([12]);
  expect(ids('LITHIUM')).toEqual([12]);
  expect(ids('q12')).toEqual([12]);
  expect(ids('Q120')).toEqual([120]);
  expect(ids('54')).toEqual([12]); // in the stem
  expect(ids('5')).toContain(5); // and stems with a 5 in them
  expect(ids('q5')).toEqual([5]);
  expect(ids('renal pathology')).toEqual([2]);
  expect(ids('renal & urinary')).toEqual([1, 2, 12]);
  expect(ids('')).toHaveLength(35);
  expect(ids('question 4')).not.toContain(4); // drafts cannot be set
});

test('stems are shortened at a word with an ellipsis, whitespace collapsed', () => {
  expect(truncateStem('Short   stem\nhere')).toBe('Short stem here');
  const long = 'word '.repeat(40);
  const cut = truncateStem(long, 50);
  expect(cut.length).toBeLessThanOrEqual(51);
  expect(cut.endsWith('word…')).toBe(true);
});

test("an assignment's questions: its published ones in its order, the first max, the rest counted as left out", () => {
  expect(pickFromAssignment(bank, [5, 1, 2], 40)).toEqual({ picked: [bank[4], bank[0], bank[1]], leftOut: 0 });
  // 4 and 6 are drafts now, 999 is gone: left out, never sent.
  const drafts = pickFromAssignment(bank, [4, 3, 999, 6, 1], 40);
  expect(drafts.picked.map((x) => x.id)).toEqual([3, 1]);
  expect(drafts.leftOut).toBe(3);
  const long = pickFromAssignment(bank, Array.from({ length: 30 }, (_, i) => 100 + i), 25);
  expect(long.picked.map((x) => x.id)).toEqual(Array.from({ length: 25 }, (_, i) => 100 + i));
  expect(long.leftOut).toBe(5);
});
