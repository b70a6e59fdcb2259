import { expect, test } from 'vitest';
import { clampSize, latestVerdicts, matchingQuestions, pickBlock, timeLimitSeconds, type BankQuestion, type BlockFilters } from './block-builder';

/** A seeded PRNG (mulberry32), so a test can pick the same block twice. */
function seededRandom(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const bank: BankQuestion[] = [
  { id: 1, organ_system: 'cardiovascular', discipline: 'pathology' },
  { id: 2, organ_system: 'cardiovascular', discipline: 'pharmacology' },
  { id: 3, organ_system: 'renal', discipline: 'physiology' },
  { id: 4, organ_system: 'renal', discipline: 'pathology' },
  { id: 5, organ_system: 'skin', discipline: 'immunology' },
];
const base: BlockFilters = { mode: 'tutor', size: 20, systems: [], disciplines: [], pool: 'all' };
const history = {
  answers: [
    { question_id: 1, is_correct: false, answered_at: '2026-11-01T10:00:00Z' },
    { question_id: 1, is_correct: true, answered_at: '2026-11-02T10:00:00Z' },
    { question_id: 3, is_correct: true, answered_at: '2026-11-02T10:00:00Z' },
    { question_id: 3, is_correct: false, answered_at: '2026-11-03T10:00:00Z' },
  ],
  marked: new Set([2, 5]),
};

test('the most recent answer decides a question’s verdict', () => {
  expect(latestVerdicts(history.answers)).toEqual(new Map([[1, true], [3, false]]));
});

test('filters by systems and disciplines (empty = all)', () => {
  const ids = (f: Partial<BlockFilters>) => matchingQuestions(bank, { ...base, ...f }, history).map((q) => q.id);
  expect(ids({})).toEqual([1, 2, 3, 4, 5]);
  expect(ids({ systems: ['renal'] })).toEqual([3, 4]);
  expect(ids({ disciplines: ['pathology'] })).toEqual([1, 4]);
  expect(ids({ systems: ['cardiovascular', 'renal'], disciplines: ['pathology'] })).toEqual([1, 4]);
});

test('pools: unused, incorrect (latest verdict), marked, all', () => {
  const ids = (pool: BlockFilters['pool']) => matchingQuestions(bank, { ...base, pool }, history).map((q) => q.id);
  expect(ids('unused')).toEqual([2, 4, 5]);
  expect(ids('incorrect')).toEqual([3]);
  expect(ids('marked')).toEqual([2, 5]);
  expect(ids('all')).toEqual([1, 2, 3, 4, 5]);
});

test('pickBlock takes at most size questions, no repeats, reproducible with a seed', () => {
  const a = pickBlock(bank, { ...base, size: 3 }, history, seededRandom(7));
  const b = pickBlock(bank, { ...base, size: 3 }, history, seededRandom(7));
  expect(a).toEqual(b);
  expect(a).toHaveLength(3);
  expect(new Set(a).size).toBe(3);
  expect(pickBlock(bank, { ...base, size: 40 }, history, seededRandom(1)).sort()).toEqual([1, 2, 3, 4, 5]);
});

test('size is clamped to 1–40 and timed mode gives 90 s per question', () => {
  expect([clampSize(0), clampSize(41), clampSize(12.4), clampSize(Number.NaN)]).toEqual([1, 40, 12, 20]);
  expect(timeLimitSeconds('timed', 20)).toBe(1800);
  expect(timeLimitSeconds('tutor', 20)).toBeNull();
});
