import { expect, test } from 'vitest';
import { MemoryStorage } from '../../tests/memory-storage.ts';
import {
  allBlockLedgers,
  deviceAnswers,
  ledgerStorageKey,
  loadBlockLedger,
  newBlockLedger,
  nextHandOff,
  pruneEndedLedgers,
  recordOutcome,
  saveBlockLedger,
  unconfirmedAnswers,
  unsentAnswers,
  type GivenAnswers,
} from './block-ledger';
import type { Attempt } from './shapes';

const ID = '5f0c8a9e-2b1d-4c3e-9f4a-0b1c2d3e4f50';
const A11 = '11111111-2b1d-4c3e-9f4a-0b1c2d3e4f50';
const A13 = '13131313-2b1d-4c3e-9f4a-0b1c2d3e4f50';
const attempt = (overrides: Partial<Attempt> = {}): Attempt => ({
  id: ID,
  mode: 'timed',
  kind: 'practice',
  assignment_id: null,
  sitting_id: null,
  section: null,
  question_ids: [11, 12, 13],
  time_limit_seconds: 270,
  marked_question_ids: [],
  filters: { pool: 'all' },
  started_at: '2026-11-22T10:00:00.000Z',
  completed_at: null,
  live_session_id: null,
  ...overrides,
});
const ANSWER_13 = { id: A13, choice: 'E' as const, answeredAt: new Date(3_000).toISOString(), timeSpentMs: 2_000 };
const ANSWER_11 = { id: A11, choice: 'A' as const, answeredAt: new Date(4_500).toISOString(), timeSpentMs: 500 };
const given = (overrides: Partial<GivenAnswers> = {}): GivenAnswers => ({
  attemptId: ID,
  questionIds: [11, 12, 13],
  // Given out of block order: 13 first, then 11.
  submitted: { 13: ANSWER_13, 11: ANSWER_11 },
  marked: [],
  endedAt: null,
  ...overrides,
});

test('the stored format is the one earlier builds wrote: rounds.player.<id>, version 1, the player state kept whole', () => {
  const storage = new MemoryStorage();
  // A ledger as the player of an earlier build saved it (its full state, fields answer sync does not read).
  const stored = {
    version: 1,
    attempt: attempt(),
    player: { ...given(), mode: 'timed', index: 2, selected: { 12: 'C' }, struck: { 12: ['B'] }, spentMs: { 11: 500 }, enteredAt: 9_000 },
    sentAnswerIds: [A13],
    completionSent: false,
    outcomes: [],
  };
  storage.setItem(`rounds.player.${ID}`, JSON.stringify(stored));
  expect(ledgerStorageKey(ID)).toBe(`rounds.player.${ID}`);
  expect(loadBlockLedger(storage, ID)).toEqual(stored);

  // Writing an outcome rewrites the ledger: everything else in it, the player's own fields included, stays.
  recordOutcome(storage, ID, { id: A13, status: 'accepted', is_correct: false, correct_choice: 'D' });
  expect(JSON.parse(storage.getItem(ledgerStorageKey(ID)) ?? 'null')).toEqual({
    ...stored,
    outcomes: [{ id: A13, status: 'accepted', is_correct: false, correct_choice: 'D' }],
  });
  expect(allBlockLedgers(storage).map((l) => l.attempt.id)).toEqual([ID]);
});

test('unreadable ledgers, or ones stored under another block\'s id, are ignored, not thrown', () => {
  const storage = new MemoryStorage();
  storage.setItem(ledgerStorageKey(ID), '{not json');
  expect(loadBlockLedger(storage, ID)).toBeNull();
  storage.setItem(ledgerStorageKey(ID), JSON.stringify({ version: 0 }));
  expect(loadBlockLedger(storage, ID)).toBeNull();
  const otherId = '6f0c8a9e-2b1d-4c3e-9f4a-0b1c2d3e4f51';
  storage.setItem(ledgerStorageKey(ID), JSON.stringify(newBlockLedger(attempt({ id: otherId }), given({ attemptId: otherId }))));
  expect(loadBlockLedger(storage, ID)).toBeNull();
  expect(allBlockLedgers(storage)).toEqual([]);
  // Nothing stored: no ledger.
  expect(loadBlockLedger(new MemoryStorage(), ID)).toBeNull();
});

test('unsent answers come in block order, shaped for submit_answers, skipping those already handed over', () => {
  expect(unsentAnswers(given(), new Set()).map((a) => a.id)).toEqual([A11, A13]);
  expect(unsentAnswers(given(), new Set([A11]))).toEqual([
    { id: A13, attempt_id: ID, question_id: 13, choice: 'E', time_spent_ms: 2_000, answered_at: new Date(3_000).toISOString() },
  ]);
});

test('each answer is handed over once, and the completion once, when the block has ended', () => {
  const first = nextHandOff(newBlockLedger(attempt(), given({ submitted: { 13: ANSWER_13 } })));
  expect(first.answers.map((a) => a.id)).toEqual([A13]);
  expect(first.completion).toBeNull();
  expect(first.ledger.sentAnswerIds).toEqual([A13]);

  // The next change: 11 answered, nothing to re-send for 13.
  const second = nextHandOff({ ...first.ledger, player: given() });
  expect(second.answers.map((a) => a.id)).toEqual([A11]);
  expect(second.ledger.sentAnswerIds).toEqual([A13, A11]);
  expect(nextHandOff(second.ledger).answers).toEqual([]);

  // Ended with 12 marked: the completion carries the block's creation fields, end and marks — once.
  const ended = nextHandOff({ ...second.ledger, player: given({ endedAt: 10_000, marked: [12] }) });
  expect(ended.answers).toEqual([]);
  expect(ended.completion).toEqual({
    id: ID,
    mode: 'timed',
    kind: 'practice',
    question_ids: [11, 12, 13],
    time_limit_seconds: 270,
    filters: { pool: 'all' },
    started_at: '2026-11-22T10:00:00.000Z',
    completed_at: new Date(10_000).toISOString(),
    marked_question_ids: [12],
    assignment_id: null,
    sitting_id: null,
    section: null,
    live_session_id: null,
  });
  expect(ended.ledger.completionSent).toBe(true);
  expect(ended.ledger.attempt).toEqual(attempt({ completed_at: new Date(10_000).toISOString(), marked_question_ids: [12] }));
  expect(nextHandOff(ended.ledger).completion).toBeNull();
});

test('unconfirmed answers: handed over, with no outcome seen', () => {
  const ledger = { ...newBlockLedger(attempt(), given()), sentAnswerIds: [A11, A13], outcomes: [{ id: A11, status: 'duplicate' as const }] };
  expect(unconfirmedAnswers(ledger).map((a) => a.id)).toEqual([A13]);
  // Not handed over yet: the hand-off sends it, not the reconciliation.
  expect(unconfirmedAnswers({ ...ledger, sentAnswerIds: [] })).toEqual([]);
});

test('device answers: every answer given here, sent or not, in block order with its outcome; rejected ones left out', () => {
  const ledger = { ...newBlockLedger(attempt(), given()), sentAnswerIds: [A13], outcomes: [{ id: A13, status: 'accepted' as const, is_correct: false }] };
  expect(deviceAnswers(ledger).map(({ answer, outcome }) => [answer.question_id, answer.choice, outcome?.is_correct])).toEqual([
    [11, 'A', undefined],
    [13, 'E', false],
  ]);
  // The server refused 13 (a live question answered too late): it was never stored, so it is not reviewed.
  const rejected = { ...ledger, outcomes: [{ id: A13, status: 'rejected' as const, reason: 'too_late' }] };
  expect(deviceAnswers(rejected).map(({ answer }) => answer.question_id)).toEqual([11]);
});

test('pruning removes old ended and unreadable ledgers but keeps running blocks', () => {
  const storage = new MemoryStorage();
  const day = 24 * 60 * 60 * 1000;
  saveBlockLedger(storage, newBlockLedger(attempt(), given()));
  const oldId = '6f0c8a9e-2b1d-4c3e-9f4a-0b1c2d3e4f51';
  saveBlockLedger(storage, newBlockLedger(attempt({ id: oldId }), given({ attemptId: oldId, endedAt: 1_000 })));
  storage.setItem('rounds.player.garbage', 'x');
  storage.setItem('unrelated', 'kept');

  pruneEndedLedgers(storage, 1_000 + 2 * day, day);

  expect(loadBlockLedger(storage, ID)).not.toBeNull();
  expect(loadBlockLedger(storage, oldId)).toBeNull();
  expect(storage.getItem('rounds.player.garbage')).toBeNull();
  expect(storage.getItem('unrelated')).toBe('kept');
});

test('ledgers of earlier builds (no block kind, no confidence) still load: their blocks are practice blocks', () => {
  const storage = new MemoryStorage();
  const { kind: _kind, ...olderAttempt } = attempt();
  storage.setItem(ledgerStorageKey(ID), JSON.stringify({ ...newBlockLedger(attempt(), given()), attempt: olderAttempt }));
  const ledger = loadBlockLedger(storage, ID);
  expect(ledger?.attempt.kind).toBe('practice');
  expect(unsentAnswers(ledger!.player, new Set()).map((a) => a.confidence)).toEqual([undefined, undefined]);
});

test('a confidence the student gave travels with the answer to submit_answers', () => {
  const withConfidence = given({ submitted: { 13: { ...ANSWER_13, confidence: 'guessed' }, 11: ANSWER_11 } });
  expect(unsentAnswers(withConfidence, new Set([A11]))).toEqual([
    { id: A13, attempt_id: ID, question_id: 13, choice: 'E', time_spent_ms: 2_000, answered_at: new Date(3_000).toISOString(), confidence: 'guessed' },
  ]);
});
