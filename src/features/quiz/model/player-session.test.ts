import { expect, test } from 'vitest';
import type { Attempt } from '@/features/quiz/api/attempts';
import { initialPlayerState, playerReducer, type PlayerAction, type PlayerState } from './player';
import {
  loadPlayerSession,
  playerStorageKey,
  pruneEndedSessions,
  restorablePlayer,
  savePlayerSession,
  unsentAnswers,
  type PlayerSession,
} from './player-session';

/** An in-memory Storage (the unit tests run in Node). */
class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

const ID = '5f0c8a9e-2b1d-4c3e-9f4a-0b1c2d3e4f50';
const attempt = (overrides: Partial<Attempt> = {}): Attempt => ({
  id: ID,
  mode: 'tutor',
  question_ids: [11, 12, 13],
  time_limit_seconds: null,
  marked_question_ids: [],
  filters: {},
  started_at: '2026-11-22T10:00:00.000Z',
  completed_at: null,
  ...overrides,
});
const run = (s: PlayerState, ...actions: PlayerAction[]) => actions.reduce(playerReducer, s);
const session = (player: PlayerState, overrides: Partial<PlayerSession> = {}): PlayerSession => ({
  version: 1,
  attempt: attempt(),
  player,
  sentAnswerIds: [],
  completionSent: false,
  outcomes: [],
  ...overrides,
});

test('a saved session round-trips through storage, marks and struck choices included', () => {
  const storage = new MemoryStorage();
  const player = run(
    initialPlayerState(ID, 'tutor', [11, 12, 13], 0),
    { type: 'toggleStrike', choice: 'B' },
    { type: 'select', choice: 'C' },
    { type: 'submit', now: 5_000, answerId: 'a-1' },
    { type: 'toggleMark' },
    { type: 'next', now: 6_000 },
  );
  expect(savePlayerSession(storage, session(player, { sentAnswerIds: ['a-1'] }))).toBe(true);
  const loaded = loadPlayerSession(storage, ID);
  expect(loaded?.player).toEqual(player);
  expect(loaded?.sentAnswerIds).toEqual(['a-1']);
  expect(restorablePlayer(loaded, attempt())).toEqual(player);
});

test('unreadable or foreign sessions are ignored, not thrown', () => {
  const storage = new MemoryStorage();
  storage.setItem(playerStorageKey(ID), '{not json');
  expect(loadPlayerSession(storage, ID)).toBeNull();
  storage.setItem(playerStorageKey(ID), JSON.stringify({ version: 0 }));
  expect(loadPlayerSession(storage, ID)).toBeNull();
  // Stored under this id but for another block's questions: not restored into this attempt.
  const other = session(initialPlayerState(ID, 'tutor', [1, 2], 0));
  expect(restorablePlayer(other, attempt())).toBeNull();
  expect(restorablePlayer(session(initialPlayerState(ID, 'timed', [11, 12, 13], 0)), attempt())).toBeNull();
});

test('unsent answers come in block order, shaped for submit_answers, skipping those already sent', () => {
  const player = run(
    initialPlayerState(ID, 'timed', [11, 12, 13], 0),
    { type: 'goto', index: 2, now: 1_000 },
    { type: 'select', choice: 'E' },
    { type: 'submit', now: 3_000, answerId: 'a-13' },
    { type: 'goto', index: 0, now: 4_000 },
    { type: 'select', choice: 'A' },
    { type: 'submit', now: 4_500, answerId: 'a-11' },
  );
  expect(unsentAnswers(player, new Set()).map((a) => a.id)).toEqual(['a-11', 'a-13']);
  expect(unsentAnswers(player, new Set(['a-11']))).toEqual([
    { id: 'a-13', attempt_id: ID, question_id: 13, choice: 'E', time_spent_ms: 2_000, answered_at: new Date(3_000).toISOString() },
  ]);
});

test('pruning removes old ended and unreadable sessions but keeps running blocks', () => {
  const storage = new MemoryStorage();
  const day = 24 * 60 * 60 * 1000;
  const running = initialPlayerState(ID, 'tutor', [11, 12, 13], 0);
  savePlayerSession(storage, session(running));
  const oldId = '6f0c8a9e-2b1d-4c3e-9f4a-0b1c2d3e4f51';
  const ended = { ...initialPlayerState(oldId, 'tutor', [11, 12, 13], 0), endedAt: 1_000 };
  savePlayerSession(storage, session(ended, { attempt: attempt({ id: oldId }) }));
  storage.setItem('rounds.player.garbage', 'x');
  storage.setItem('unrelated', 'kept');

  pruneEndedSessions(storage, 1_000 + 2 * day, day);

  expect(loadPlayerSession(storage, ID)).not.toBeNull();
  expect(loadPlayerSession(storage, oldId)).toBeNull();
  expect(storage.getItem('rounds.player.garbage')).toBeNull();
  expect(storage.getItem('unrelated')).toBe('kept');
});
