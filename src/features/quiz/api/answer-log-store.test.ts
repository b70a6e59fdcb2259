import { expect, test } from 'vitest';
import { decodeLog, encodeLog } from './answer-log-store';
import type { History } from './history';

test('the stored log decodes to the same answers (the same instants), marks and sync point', async () => {
  const history: History = {
    answers: [
      { id: 'a1', question_id: 7, is_correct: true, answered_at: '2026-12-05T09:30:00.000Z', time_spent_ms: 41_000, confidence: 'unsure', organ_system: 'renal' },
      { id: 'a2', question_id: 12, is_correct: false, answered_at: '2026-12-05T10:31:00.250+01:00', time_spent_ms: 0, confidence: null },
      { id: 'a3', question_id: 9_000_000_001, is_correct: true, answered_at: '2026-11-01T00:00:00.000Z', time_spent_ms: 86_400_000, confidence: 'guessed', organ_system: 'cardiovascular' },
      { id: 'a4', question_id: 7, is_correct: false, answered_at: '2026-12-06T09:30:00.000Z', time_spent_ms: 5, confidence: 'sure', organ_system: 'renal' },
    ],
    marked: [7, 9],
    syncedTo: '2026-12-05T10:00:00.123456+00:00',
  };
  const back = await decodeLog(encodeLog('me', history));
  expect(back.marked).toEqual([7, 9]);
  expect(back.syncedTo).toBe(history.syncedTo);
  expect(back.answers.map((a) => ({ ...a, answered_at: Date.parse(a.answered_at) }))).toEqual(
    history.answers.map((a) => ({ ...a, answered_at: Date.parse(a.answered_at) })),
  );
  expect(await decodeLog(encodeLog('me', { answers: [], marked: [], syncedTo: null }))).toEqual({ answers: [], marked: [], syncedTo: null });
  // Over several tasks (500 answers each): every answer, in order.
  const many: History = { answers: Array.from({ length: 1203 }, (_, i) => ({ ...history.answers[i % 4]!, id: `x${i}` })), marked: [], syncedTo: null };
  expect((await decodeLog(encodeLog('me', many))).answers.map((a) => a.id)).toEqual(many.answers.map((a) => a.id));
});
