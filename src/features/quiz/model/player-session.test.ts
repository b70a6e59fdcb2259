import { expect, test } from 'vitest';
import { loadBlockLedger, newBlockLedger, recordOutcome, saveBlockLedger, ledgerStorageKey } from '@/answer-sync/block-ledger';
import type { Attempt } from '@/answer-sync/shapes';
import { MemoryStorage } from '../../../../tests/memory-storage.ts';
import { initialPlayerState, playerReducer, type PlayerAction, type PlayerState } from './player';
import { localHistory, restorablePlayer } from './player-session';

const ID = '5f0c8a9e-2b1d-4c3e-9f4a-0b1c2d3e4f50';
const attempt = (overrides: Partial<Attempt> = {}): Attempt => ({
  id: ID,
  mode: 'tutor',
  kind: 'practice',
  assignment_id: null,
  sitting_id: null,
  section: null,
  question_ids: [11, 12, 13],
  time_limit_seconds: null,
  marked_question_ids: [],
  filters: {},
  started_at: '2026-11-22T10:00:00.000Z',
  completed_at: null,
  live_session_id: null,
  ...overrides,
});
const run = (s: PlayerState, ...actions: PlayerAction[]) => actions.reduce(playerReducer, s);

test('the player comes back from its block ledger whole — selections, marks, strike-outs — also after answer sync wrote to it', () => {
  const storage = new MemoryStorage();
  const player = run(
    initialPlayerState(ID, 'tutor', [11, 12, 13], 0),
    { type: 'toggleStrike', choice: 'B' },
    { type: 'select', choice: 'C' },
    { type: 'submit', now: 5_000, answerId: 'a0c8a9e2-2b1d-4c3e-9f4a-0b1c2d3e4f50' },
    { type: 'toggleMark' },
    { type: 'next', now: 6_000 },
    { type: 'select', choice: 'D' },
  );
  expect(saveBlockLedger(storage, { ...newBlockLedger(attempt(), player), sentAnswerIds: ['a0c8a9e2-2b1d-4c3e-9f4a-0b1c2d3e4f50'] })).toBe(true);
  recordOutcome(storage, ID, { id: 'a0c8a9e2-2b1d-4c3e-9f4a-0b1c2d3e4f50', status: 'accepted', is_correct: true });

  const loaded = loadBlockLedger(storage, ID);
  expect(loaded?.sentAnswerIds).toEqual(['a0c8a9e2-2b1d-4c3e-9f4a-0b1c2d3e4f50']);
  expect(loaded?.outcomes).toHaveLength(1);
  expect(restorablePlayer(loaded, attempt())).toEqual(player);
});

test('a ledger of another block, or one whose player state is not the player\'s, is not restored', () => {
  const storage = new MemoryStorage();
  // Stored under this id but for another block's questions or mode: not restored into this attempt.
  expect(restorablePlayer(newBlockLedger(attempt(), initialPlayerState(ID, 'tutor', [1, 2], 0)), attempt())).toBeNull();
  expect(restorablePlayer(newBlockLedger(attempt(), initialPlayerState(ID, 'timed', [11, 12, 13], 0)), attempt())).toBeNull();
  // Readable by answer sync (the given answers are there), but the screen's fields are missing.
  const given = { attemptId: ID, questionIds: [11, 12, 13], submitted: {}, marked: [], endedAt: null };
  storage.setItem(ledgerStorageKey(ID), JSON.stringify(newBlockLedger(attempt(), given)));
  const ledger = loadBlockLedger(storage, ID);
  expect(ledger).not.toBeNull();
  expect(restorablePlayer(ledger, attempt())).toBeNull();
  expect(restorablePlayer(null, attempt())).toBeNull();
});

test('local history: answers of saved blocks graded by the server where it answered, else by the cached key; marks', () => {
  const storage = new MemoryStorage();
  const player = run(
    initialPlayerState(ID, 'tutor', [11, 12, 13], 0),
    { type: 'select', choice: 'A' },
    { type: 'submit', now: 1_000, answerId: 'b0c8a9e2-2b1d-4c3e-9f4a-0b1c2d3e4f50' },
    { type: 'next', now: 1_000 },
    { type: 'select', choice: 'B' },
    { type: 'submit', now: 2_000, answerId: 'c0c8a9e2-2b1d-4c3e-9f4a-0b1c2d3e4f50' },
    { type: 'toggleMark' },
  );
  saveBlockLedger(storage, {
    ...newBlockLedger(attempt(), player),
    // The server says 11 was wrong although the cached key says A.
    outcomes: [{ id: 'b0c8a9e2-2b1d-4c3e-9f4a-0b1c2d3e4f50', status: 'accepted', is_correct: false }],
  });
  const questions = new Map([
    [11, { correct_choice: 'A' as const, organ_system: 'renal' }],
    [12, { correct_choice: 'B' as const, organ_system: 'cardiovascular' }],
  ]);
  const history = localHistory(storage, (q) => questions.get(q));
  expect(history.answers.map((a) => [a.question_id, a.is_correct, a.organ_system])).toEqual([
    [11, false, 'renal'],
    [12, true, 'cardiovascular'],
  ]);
  expect([...history.marked]).toEqual([12]);
});
