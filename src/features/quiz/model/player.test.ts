import { expect, test } from 'vitest';
import { currentQuestionId, gridStatus, initialPlayerState, keyIntent, playerReducer, secondsLeft, type PlayerAction, type PlayerState } from './player';

const start = (mode: 'tutor' | 'timed' = 'tutor') => initialPlayerState('att-1', mode, [11, 12, 13], 1_000);
const run = (s: PlayerState, ...actions: PlayerAction[]) => actions.reduce(playerReducer, s);

test('select then submit locks the answer with the time spent on that question', () => {
  const s = run(start(), { type: 'select', choice: 'C' }, { type: 'submit', now: 31_000, answerId: 'a1' });
  expect(s.submitted[11]).toEqual({ id: 'a1', choice: 'C', answeredAt: new Date(31_000).toISOString(), timeSpentMs: 30_000 });
  expect(s.selected[11]).toBeUndefined();
  // Locked: a new selection or submit changes nothing.
  expect(run(s, { type: 'select', choice: 'A' }, { type: 'submit', now: 40_000, answerId: 'a2' })).toBe(s);
});

test('time spent accumulates across visits', () => {
  const s = run(
    start(),
    { type: 'next', now: 11_000 }, // 10 s on q11
    { type: 'previous', now: 16_000 }, // 5 s on q12
    { type: 'select', choice: 'B' },
    { type: 'submit', now: 21_000, answerId: 'a1' }, // +5 s on q11
  );
  expect(s.submitted[11]?.timeSpentMs).toBe(15_000);
  expect(s.spentMs[12]).toBe(5_000);
});

test('navigation is clamped to the block', () => {
  const s = run(start(), { type: 'previous', now: 2_000 });
  expect(s.index).toBe(0);
  const last = run(start(), { type: 'goto', index: 99, now: 2_000 });
  expect(currentQuestionId(last)).toBe(13);
});

test('mark toggles and shows in the grid', () => {
  const s = run(start(), { type: 'toggleMark' }, { type: 'next', now: 2_000 });
  expect(gridStatus(s, 0)).toEqual({ answered: false, marked: true, current: false });
  expect(gridStatus(s, 1)).toEqual({ answered: false, marked: false, current: true });
  expect(run(s, { type: 'previous', now: 3_000 }, { type: 'toggleMark' }).marked).toEqual([]);
});

test('striking a choice deselects it and prevents selecting it', () => {
  const s = run(start(), { type: 'select', choice: 'D' }, { type: 'toggleStrike', choice: 'D' });
  expect(s.selected[11]).toBeUndefined();
  expect(s.struck[11]).toEqual(['D']);
  expect(run(s, { type: 'select', choice: 'D' }).selected[11]).toBeUndefined();
  expect(run(s, { type: 'toggleStrike', choice: 'D' }).struck[11]).toEqual([]);
});

test('ending the block submits pending selections and freezes the block', () => {
  const s = run(
    start('timed'),
    { type: 'select', choice: 'A' },
    { type: 'submit', now: 5_000, answerId: 'a1' },
    { type: 'next', now: 6_000 },
    { type: 'select', choice: 'E' },
    { type: 'end', now: 9_000, answerIds: ['a2'] },
  );
  expect(s.endedAt).toBe(9_000);
  expect(Object.keys(s.submitted)).toEqual(['11', '12']);
  expect(s.submitted[12]).toMatchObject({ id: 'a2', choice: 'E', timeSpentMs: 3_000 });
  expect(run(s, { type: 'select', choice: 'B' })).toBe(s);
  // Review can still move around an ended block.
  expect(run(s, { type: 'next', now: 10_000 }).index).toBe(2);
});

test('keyboard: A–E and 1–5 select, Enter submits, N/→ next, P/← previous, M mark, X strike, L labs', () => {
  expect(['a', 'E', '1', '5'].map(keyIntent)).toEqual([
    { type: 'select', choice: 'A' },
    { type: 'select', choice: 'E' },
    { type: 'select', choice: 'A' },
    { type: 'select', choice: 'E' },
  ]);
  expect(['Enter', 'n', 'ArrowRight', 'p', 'ArrowLeft', 'm', 'x', 'l'].map((k) => keyIntent(k)?.type)).toEqual([
    'submit', 'next', 'next', 'previous', 'previous', 'toggleMark', 'strike', 'labs',
  ]);
  expect(keyIntent('6')).toBeNull();
  expect(keyIntent('Tab')).toBeNull();
});

test('timed countdown', () => {
  expect(secondsLeft(0, 90, 0)).toBe(90);
  expect(secondsLeft(0, 90, 89_001)).toBe(1);
  expect(secondsLeft(0, 90, 120_000)).toBe(0);
  expect(secondsLeft(0, null, 5)).toBeNull();
});

test('confidence is said before submitting, travels with the answer, and is locked after', () => {
  let s = run(start(), { type: 'setConfidence', confidence: 'unsure' }, { type: 'select', choice: 'B' });
  expect(s.confidence[11]).toBe('unsure');
  // The same one again clears it; another replaces it.
  s = run(s, { type: 'setConfidence', confidence: 'unsure' });
  expect(s.confidence[11]).toBeUndefined();
  s = run(s, { type: 'setConfidence', confidence: 'guessed' }, { type: 'submit', now: 5_000, answerId: 'a1' });
  expect(s.submitted[11]?.confidence).toBe('guessed');
  expect(run(s, { type: 'setConfidence', confidence: 'sure' }).submitted[11]?.confidence).toBe('guessed');
  expect(keyIntent('s')).toEqual({ type: 'confidence', confidence: 'sure' });
  expect(keyIntent('U')).toEqual({ type: 'confidence', confidence: 'unsure' });
  expect(keyIntent('g')).toEqual({ type: 'confidence', confidence: 'guessed' });
});
