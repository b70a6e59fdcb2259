import { expect, test } from 'vitest';
import { initialPlayerState, playerReducer, type PlayerAction, type PlayerState } from './player';
import { blockSummary, crossedWarning, formatClock, tutorVerdict } from './player-view';

const run = (s: PlayerState, ...actions: PlayerAction[]) => actions.reduce(playerReducer, s);

test('the end summary separates answered, pending (selected, not submitted), unanswered and marked', () => {
  const s = run(
    initialPlayerState('att', 'tutor', [1, 2, 3, 4], 0),
    { type: 'select', choice: 'A' },
    { type: 'submit', now: 1, answerId: 'x' },
    { type: 'next', now: 2 },
    { type: 'select', choice: 'B' },
    { type: 'toggleMark' },
  );
  expect(blockSummary(s)).toEqual({ total: 4, answered: 1, pending: 1, unanswered: 2, marked: 1 });
});

test('clock formatting', () => {
  expect(formatClock(0)).toBe('00:00');
  expect(formatClock(90)).toBe('01:30');
  expect(formatClock(3600 + 62)).toBe('1:01:02');
  expect(formatClock(-5)).toBe('00:00');
});

test('warnings fire once, when a threshold is crossed, never at zero', () => {
  expect(crossedWarning(301, 300)).toBe(300);
  expect(crossedWarning(300, 299)).toBeNull();
  expect(crossedWarning(61, 60)).toBe(60);
  // A jump over both thresholds announces the more urgent one.
  expect(crossedWarning(400, 30)).toBe(60);
  expect(crossedWarning(90, 89)).toBeNull();
  expect(crossedWarning(61, 0)).toBeNull();
});

test('tutor verdicts come from the cached key until the server grades, and the server wins', () => {
  expect(tutorVerdict('B', 'B', undefined)).toEqual({ key: 'B', chosen: 'B', correct: true, confirmed: false });
  // The cached key was stale (the question was re-keyed): the server's outcome decides.
  expect(tutorVerdict('B', 'B', { status: 'accepted', is_correct: false, correct_choice: 'D' })).toEqual({
    key: 'D',
    chosen: 'B',
    correct: false,
    confirmed: true,
  });
  expect(tutorVerdict('C', 'A', { status: 'duplicate', is_correct: true, correct_choice: 'C' })?.correct).toBe(true);
  // A rejected answer has no grade: the local one stays.
  expect(tutorVerdict('C', 'A', { status: 'rejected', reason: 'attempt_not_found' })).toMatchObject({ correct: false, confirmed: false });
  expect(tutorVerdict('C', undefined, undefined)).toBeNull();
});
