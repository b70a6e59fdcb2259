import { expect, test } from 'vitest';
import type { HistoryAnswer } from '@/features/quiz/api/history';
import { buildDeck } from './cards/deck';
import { reviewLog } from './review-log';

const answer = (id: string, question_id: number, is_correct: boolean, answered_at: string, organ_system?: string): HistoryAnswer => ({
  id,
  question_id,
  is_correct,
  answered_at,
  time_spent_ms: 20_000,
  confidence: null,
  ...(organ_system === undefined ? {} : { organ_system }),
});

test("the server's copy of an answer wins over this device's, and the device's unsynced answers count", () => {
  const server = [answer('a1', 7, false, '2026-12-01T10:00:00Z', 'renal')];
  // a1 again from the ledger (graded here by the cached key, wrongly), and a review not synced yet.
  const device = [answer('a1', 7, true, '2026-12-01T10:00:00Z'), answer('a2', 7, true, '2026-12-02T10:00:00Z')];
  const { log, kindOf } = reviewLog(server, device);
  const card = buildDeck(log, { kindOf }).get(7);
  expect(card?.history.map((h) => [h.answerId, h.isCorrect])).toEqual([
    ['a1', false],
    ['a2', true],
  ]);
  expect(kindOf(7)).toBe('renal');
  expect(kindOf(8)).toBeUndefined();
});
