import { expect, test } from 'vitest';
import type { PersistedClient } from '@tanstack/react-query-persist-client';
import { keepOutbox } from '@/lib/persist';
import { answerSyncKeys, answerSyncOutbox, isAnswerSyncKey, OUTBOX_FORMAT } from './queue';

test('the offline writes keep the keys and format that outboxes stored by earlier builds hold', () => {
  // Changing any of these strands every stored outbox: bump OUTBOX_FORMAT and migrate instead.
  expect(answerSyncKeys).toEqual({
    createAttempt: ['attempts', 'create'],
    submitAnswer: ['answers', 'submit'],
    completeAttempt: ['attempts', 'complete'],
  });
  expect(OUTBOX_FORMAT).toBe(1);
  expect([['answers', 'submit'], ['attempts', 'marks'], ['settings', 'save'], [], undefined].map(isAnswerSyncKey)).toEqual([true, true, false, false, false]);
});

test('an outbox stored by another build keeps its answers and block writes, and nothing else', () => {
  const state = { submittedAt: 1, variables: { id: 'a1' }, context: undefined, data: undefined, error: null, failureCount: 0, failureReason: null, status: 'pending' as const, isPaused: true };
  const stored: PersistedClient & { outboxFormat: number } = {
    buster: 'build-1',
    timestamp: 1,
    outboxFormat: 1,
    clientState: {
      queries: [],
      mutations: [
        { mutationKey: ['attempts', 'create'], state },
        { mutationKey: ['answers', 'submit'], state },
        { mutationKey: ['attempts', 'complete'], state },
        { mutationKey: ['profile', 'update'], state },
      ],
    },
  };
  const kept = keepOutbox(stored, { buster: 'build-2', outbox: answerSyncOutbox, now: 2, maxAgeMs: 7 * 24 * 60 * 60 * 1000, owner: null });
  expect(kept?.clientState.mutations.map((m) => m.mutationKey)).toEqual([['attempts', 'create'], ['answers', 'submit'], ['attempts', 'complete']]);
});
