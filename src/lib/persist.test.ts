import { expect, test } from 'vitest';
import type { PersistedClient } from '@tanstack/react-query-persist-client';
import { isJsonSafe, markPendingAsPaused } from './persist';

test('pending mutations (paused or in flight) are stored as paused so a restore resumes them', () => {
  const base = { submittedAt: 1, variables: {}, context: undefined, data: undefined, error: null, failureCount: 0, failureReason: null };
  const client: PersistedClient = {
    timestamp: 1,
    buster: 'b',
    clientState: {
      queries: [],
      mutations: [
        { mutationKey: ['answers', 'submit'], state: { ...base, status: 'pending', isPaused: false } },
        { mutationKey: ['answers', 'submit'], state: { ...base, status: 'pending', isPaused: true } },
        { mutationKey: ['attempts', 'upsert'], state: { ...base, status: 'success', isPaused: false } },
      ],
    },
  };
  const out = markPendingAsPaused(client);
  expect(out.clientState.mutations.map((m) => [m.state.status, m.state.isPaused])).toEqual([
    ['pending', true],
    ['pending', true],
    ['success', false],
  ]);
  // The input is not mutated (React Query keeps using it).
  expect(client.clientState.mutations[0]?.state.isPaused).toBe(false);
});

test('Maps, Sets and Dates are never persisted as query data (they would not survive JSON)', () => {
  expect([isJsonSafe(new Map()), isJsonSafe(new Set()), isJsonSafe(new Date())]).toEqual([false, false, false]);
  expect([isJsonSafe([1]), isJsonSafe({ a: 1 }), isJsonSafe('x'), isJsonSafe(null)]).toEqual([true, true, true, true]);
});
