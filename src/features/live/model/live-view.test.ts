import { expect, test } from 'vitest';
import type { AnswerOutcome } from '@/answer-sync/shapes';
import { liveView, myAnswer, myCorrect, ordinal, rankLine, type MyAnswer } from './live-view';
import type { LiveSnapshot } from './protocol';

const S = '5f0c8a9e-2b1d-4c3e-9f4a-0b1c2d3e4f50';
const C = '11111111-2b1d-4c3e-9f4a-0b1c2d3e4f50';
const A1 = '22222222-2b1d-4c3e-9f4a-0b1c2d3e4f50';
const at = (s: string) => Date.parse(`2026-12-06T10:01:${s}Z`);
const lobby: LiveSnapshot = {
  session: { id: S, cohort_id: C, title: 'Cardio', status: 'open', question_ids: [7, 8], current_position: null, created_at: '2026-12-06T10:00:00Z', ended_at: null },
  question: null,
  results: null,
  standings: null,
  host: null,
  mine: [],
  now: '2026-12-06T10:00:00Z',
};
// Stem from :00, choices from :03, closes at :33.
const shown: LiveSnapshot = {
  ...lobby,
  session: { ...lobby.session, current_position: 0 },
  question: { session_id: S, position: 0, count: 2, question_id: 7, shown_at: '2026-12-06T10:01:00Z', choices_at: '2026-12-06T10:01:03Z', closes_at: '2026-12-06T10:01:33Z', closed_at: null, now: '2026-12-06T10:01:00Z' },
};
const standings = { participants: 28, top: [], scores: [[3, 1], [2, 1], [1, 26]] as [number, number][] };
const closed: LiveSnapshot = {
  ...shown,
  question: shown.question ? { ...shown.question, closed_at: '2026-12-06T10:01:20Z' } : null,
  results: { position: 0, question_id: 7, correct_choice: 'B', counts: { A: 1, B: 2, C: 0, D: 0, E: 0 }, answered: 3, correct: 2, participants: 28, closed_at: '2026-12-06T10:01:20Z' },
  standings,
};
const accepted = (is_correct: boolean): AnswerOutcome => ({ id: A1, status: 'accepted', is_correct, correct_choice: 'B' });
const rejected = (reason: string): AnswerOutcome => ({ id: A1, status: 'rejected', reason });
const none: MyAnswer = { state: 'none' };

test('my answer: this phone\'s answer by its outcome, else the server\'s copy (another phone), else none', () => {
  expect(myAnswer(undefined, undefined, true)).toEqual({ state: 'none' });
  expect(myAnswer({ choice: 'B', outcome: undefined }, undefined, true)).toEqual({ state: 'sending', choice: 'B' });
  expect(myAnswer({ choice: 'B', outcome: undefined }, undefined, false)).toEqual({ state: 'saved', choice: 'B' });
  expect(myAnswer({ choice: 'B', outcome: accepted(true) }, undefined, false)).toEqual({ state: 'counted', choice: 'B' });
  expect(myAnswer({ choice: 'B', outcome: { id: A1, status: 'duplicate', is_correct: true } }, undefined, true)).toEqual({ state: 'counted', choice: 'B' });
  expect(myAnswer({ choice: 'B', outcome: rejected('too_late') }, undefined, true)).toEqual({ state: 'too-late', choice: 'B' });
  expect(myAnswer({ choice: 'B', outcome: rejected('not_open') }, undefined, true)).toEqual({ state: 'refused', choice: 'B' });
  // The other phone's answer reached the server first: that one counts, whatever this phone sent.
  expect(myAnswer({ choice: 'B', outcome: rejected('already_answered') }, { choice: 'C' }, true)).toEqual({ state: 'counted', choice: 'C' });
  expect(myAnswer({ choice: 'B', outcome: undefined }, { choice: 'B' }, false)).toEqual({ state: 'counted', choice: 'B' });
  expect(myAnswer(undefined, { choice: 'D' }, true)).toEqual({ state: 'counted', choice: 'D' });
});

test('lobby, stem with its countdown, open with the time left; one answer only', () => {
  expect(liveView(lobby, at('00'), none)).toEqual({ screen: 'lobby' });
  expect(liveView(shown, at('00.2'), none)).toEqual({ screen: 'stem', seconds: 3 });
  expect(liveView(shown, at('02.5'), none)).toEqual({ screen: 'stem', seconds: 1 });
  expect(liveView(shown, at('03'), none)).toEqual({ screen: 'open', secondsLeft: 30, fraction: 1, canAnswer: true, answer: none });
  expect(liveView(shown, at('18'), none)).toMatchObject({ screen: 'open', secondsLeft: 15, fraction: 0.5, canAnswer: true });
  for (const answer of [{ state: 'sending', choice: 'A' }, { state: 'saved', choice: 'A' }, { state: 'counted', choice: 'A' }] as const) {
    expect(liveView(shown, at('18'), answer)).toMatchObject({ screen: 'open', canAnswer: false, answer });
  }
});

test('closed: right or wrong from the key, unanswered, too late, refused, still pending, or waiting for the key', () => {
  const after = at('21');
  expect(liveView(closed, after, { state: 'counted', choice: 'B' })).toMatchObject({ screen: 'closed', verdict: 'right' });
  expect(liveView(closed, after, { state: 'counted', choice: 'A' })).toMatchObject({ screen: 'closed', verdict: 'wrong' });
  expect(liveView(closed, after, none)).toMatchObject({ screen: 'closed', verdict: 'unanswered' });
  expect(liveView(closed, after, { state: 'too-late', choice: 'B' })).toMatchObject({ screen: 'closed', verdict: 'too-late' });
  expect(liveView(closed, after, { state: 'refused', choice: 'B' })).toMatchObject({ screen: 'closed', verdict: 'refused' });
  expect(liveView(closed, after, { state: 'saved', choice: 'B' })).toMatchObject({ screen: 'closed', verdict: 'pending' });
  expect(liveView(closed, after, { state: 'sending', choice: 'B' })).toMatchObject({ screen: 'closed', verdict: 'pending' });
  // The timer ran out on this device's clock; the close (with the key) has not arrived yet.
  expect(liveView(shown, at('34'), { state: 'counted', choice: 'B' })).toMatchObject({ screen: 'closed', verdict: 'waiting' });
  // A key of an earlier question never judges the current one.
  const stale = { ...shown, results: closed.results ? { ...closed.results, question_id: 6 } : null };
  expect(liveView(stale, at('34'), { state: 'counted', choice: 'B' })).toMatchObject({ verdict: 'waiting' });
  expect(liveView({ ...closed, session: { ...closed.session, status: 'ended', ended_at: '2026-12-06T10:02:00Z' } }, after, none)).toEqual({ screen: 'ended' });
});

test('my correct count joins the server\'s graded answers and this phone\'s accepted ones, once per question; rank from the scores', () => {
  const mine = [
    { question_id: 7, choice: 'B' as const, is_correct: true },
    { question_id: 8, choice: 'A' as const, is_correct: null },
  ];
  expect(myCorrect(mine, new Map())).toBe(1);
  expect(myCorrect(mine, new Map([[7, accepted(true)], [8, accepted(true)], [9, rejected('too_late')]]))).toBe(2);
  expect(myCorrect([], new Map([[9, { ...rejected('too_late'), is_correct: true }]]))).toBe(0);
  expect(rankLine(standings, 2)).toBe("You're 2nd of 28 · 2 correct");
  expect(rankLine(standings, 1)).toBe("You're 3rd of 28 · 1 correct");
  expect(rankLine(standings, 3)).toBe("You're 1st of 28 · 3 correct");
  expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '23rd', '101st', '111th']);
});
