import { expect, test } from 'vitest';
import { applyLiveMessage, readCohortMessage } from './live-state';
import type { LiveSnapshot } from './protocol';

const S = '5f0c8a9e-2b1d-4c3e-9f4a-0b1c2d3e4f50';
const C = '11111111-2b1d-4c3e-9f4a-0b1c2d3e4f50';
const base: LiveSnapshot = {
  session: { id: S, cohort_id: C, title: 'Cardio', status: 'open', question_ids: [7, 8], current_position: null, created_at: '2026-12-06T10:00:00Z', ended_at: null },
  question: null,
  results: null,
  standings: null,
  host: { session_id: S, position: null, answered: 0, participants: 2 },
  mine: [],
  now: '2026-12-06T10:00:00Z',
};
const question = (position: number, question_id: number) => ({
  session_id: S, position, count: 2, question_id, shown_at: '2026-12-06T10:01:00Z', choices_at: '2026-12-06T10:01:03Z',
  closes_at: '2026-12-06T10:01:33Z', closed_at: null, now: '2026-12-06T10:01:00Z',
});
const standings = { participants: 2, top: [{ place: 1, name: 'Student AB12', correct: 1, answered: 1, ms: 4200 }], scores: [[1, 1], [0, 1]] };
const stateOf = (u: ReturnType<typeof applyLiveMessage>): LiveSnapshot => {
  if (u.kind !== 'state') throw new Error(`expected a state, got ${u.kind}`);
  return u.state;
};

test('question → answers → closed → ended moves the state; the count follows only the question on screen', () => {
  let s = stateOf(applyLiveMessage(base, 'question', question(0, 7)));
  expect(s.session.current_position).toBe(0);
  expect(s.host).toMatchObject({ position: 0, answered: 0 });
  s = { ...s, mine: [{ question_id: 7, choice: 'B', is_correct: null }] };
  s = stateOf(applyLiveMessage(s, 'answers', { session_id: S, position: 0, answered: 1, participants: 2 }));
  expect(s.host?.answered).toBe(1);
  expect(applyLiveMessage(s, 'answers', { session_id: S, position: 1, answered: 5, participants: 2 }).kind).toBe('ignore');

  const closed = { session_id: S, position: 0, question_id: 7, correct_choice: 'B', counts: { A: 0, B: 1, C: 0, D: 0, E: 0 }, answered: 1, correct: 1, participants: 2, closed_at: '2026-12-06T10:01:20Z', standings };
  s = stateOf(applyLiveMessage(s, 'closed', closed));
  expect(s.results).toMatchObject({ correct_choice: 'B', answered: 1 });
  expect(s.standings?.scores).toEqual([[1, 1], [0, 1]]);
  expect(s.question?.closed_at).toBe('2026-12-06T10:01:20Z');
  expect(s.mine).toEqual([{ question_id: 7, choice: 'B', is_correct: true }]);

  s = stateOf(applyLiveMessage(s, 'question', question(1, 8)));
  expect([s.results, s.standings, s.session.current_position]).toEqual([null, null, 1]);
  s = stateOf(applyLiveMessage(s, 'ended', { session_id: S, standings }));
  expect(s.session.status).toBe('ended');
  expect(s.question?.closed_at).not.toBeNull();
});

test('a late duplicate question is ignored; a close for a question never seen asks for a re-read; other sessions and junk are ignored', () => {
  const s = stateOf(applyLiveMessage(base, 'question', question(1, 8)));
  expect(applyLiveMessage(s, 'question', question(0, 7)).kind).toBe('ignore');
  expect(applyLiveMessage(base, 'closed', { session_id: S, position: 0, question_id: 7, correct_choice: 'B', counts: { A: 0, B: 0, C: 0, D: 0, E: 0 }, answered: 0, correct: 0, participants: 0, closed_at: null, standings }).kind).toBe('refetch');
  expect(applyLiveMessage(base, 'question', { ...question(0, 7), session_id: C }).kind).toBe('ignore');
  expect(applyLiveMessage(base, 'question', { nonsense: true }).kind).toBe('ignore');
  expect(applyLiveMessage(base, 'whatever', {}).kind).toBe('ignore');
});

test('cohort messages: a session opened or ended, or the board moved', () => {
  expect(readCohortMessage('live', { session_id: S, cohort_id: C, title: 'Cardio', status: 'open' })).toMatchObject({ kind: 'live', status: 'open' });
  expect(readCohortMessage('board', { cohort_id: C })).toEqual({ kind: 'board', cohort_id: C });
  expect(readCohortMessage('board', {})).toBeNull();
  expect(readCohortMessage('other', {})).toBeNull();
});
