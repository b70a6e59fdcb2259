import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import { z } from 'zod';
import { clockOffsetMs, liveBlockId, questionPhase, rankOf, type LiveQuestion } from './protocol';

test('rank: one more than the students with more correct answers; ties share a rank', () => {
  const scores: [number, number][] = [[5, 1], [4, 3], [2, 2], [0, 4]];
  expect(rankOf(scores, 5)).toBe(1);
  expect(rankOf(scores, 4)).toBe(2);
  expect(rankOf(scores, 2)).toBe(5);
  expect(rankOf(scores, 0)).toBe(7);
  expect(rankOf([], 0)).toBe(1);
});

test('a question is stem-only until choices_at, open until closes_at, closed after it or once closed_at is set', () => {
  const q: LiveQuestion = {
    session_id: '5f0c8a9e-2b1d-4c3e-9f4a-0b1c2d3e4f50', position: 0, count: 3, question_id: 7,
    shown_at: '2026-12-06T10:00:00Z', choices_at: '2026-12-06T10:00:03Z', closes_at: '2026-12-06T10:00:33Z', closed_at: null, now: '2026-12-06T10:00:00Z',
  };
  expect(questionPhase(q, Date.parse('2026-12-06T10:00:01Z'))).toBe('stem');
  expect(questionPhase(q, Date.parse('2026-12-06T10:00:03Z'))).toBe('open');
  expect(questionPhase(q, Date.parse('2026-12-06T10:00:33Z'))).toBe('closed');
  expect(questionPhase({ ...q, closed_at: '2026-12-06T10:00:10Z' }, Date.parse('2026-12-06T10:00:05Z'))).toBe('closed');
  expect(clockOffsetMs('2026-12-06T10:00:05Z', Date.parse('2026-12-06T10:00:02Z'))).toBe(3000);
});

test('the live block id is a valid v8 UUID derived from session and user, the same on every device', async () => {
  const session = '5f0c8a9e-2b1d-4c3e-9f4a-0b1c2d3e4f50';
  const id = await liveBlockId(session, '11111111-2b1d-4c3e-9f4a-0b1c2d3e4f50');
  expect(z.uuid().safeParse(id).success).toBe(true);
  expect(id).toBe(await liveBlockId(session, '11111111-2b1d-4c3e-9f4a-0b1c2d3e4f50'));
  expect(id).not.toBe(await liveBlockId(session, '22222222-2b1d-4c3e-9f4a-0b1c2d3e4f50'));
  // The same derivation the server-side tests use (tests/live-sessions.test.ts).
  const h = createHash('sha256').update(`live:${session}:11111111-2b1d-4c3e-9f4a-0b1c2d3e4f50`).digest('hex');
  expect(id.replaceAll('-', '').slice(0, 12)).toBe(h.slice(0, 12));
  expect(id.charAt(14)).toBe('8');
});
