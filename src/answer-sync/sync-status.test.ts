import { expect, test } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { answerSyncKeys } from './queue';
import { syncStatusOf } from './sync-status';

/** A client whose mutation cache holds writes in the given states, run through real mutations. */
async function cacheWith(writes: { key: readonly unknown[]; outcome: 'pending' | 'error' | 'success'; owner?: string }[]) {
  const queryClient = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  const cache = queryClient.getMutationCache();
  for (const w of writes) {
    const mutationFn = () => (w.outcome === 'pending' ? new Promise<never>(() => undefined) : w.outcome === 'error' ? Promise.reject(new Error('refused')) : Promise.resolve());
    const run = cache.build(queryClient, { mutationKey: [...w.key], mutationFn }).execute({ owner: w.owner ?? 'me' });
    if (w.outcome !== 'pending') await run.catch(() => undefined);
  }
  return cache.getAll();
}

test('failed answers and failed block writes are counted apart; pending answers by their owner', async () => {
  const { submitAnswer, createAttempt, completeAttempt } = answerSyncKeys;
  const mutations = await cacheWith([
    { key: submitAnswer, outcome: 'pending' },
    { key: submitAnswer, outcome: 'pending' },
    { key: submitAnswer, outcome: 'pending', owner: 'someone-else' },
    { key: submitAnswer, outcome: 'error' },
    { key: submitAnswer, outcome: 'success' },
    { key: createAttempt, outcome: 'error' },
    { key: completeAttempt, outcome: 'error' },
    { key: createAttempt, outcome: 'pending' },
    { key: ['profile', 'update'], outcome: 'error' },
  ]);
  expect(syncStatusOf(mutations, { me: 'me', online: true, lastSyncedAt: null })).toEqual({
    online: true,
    waiting: 2,
    otherAccounts: 1,
    syncing: true,
    failedAnswers: 1,
    failedBlocks: 2,
    lastSyncedAt: null,
  });
});

test('nothing queued: nothing waiting, nothing failed, not syncing', async () => {
  const mutations = await cacheWith([{ key: answerSyncKeys.submitAnswer, outcome: 'success' }]);
  expect(syncStatusOf(mutations, { me: null, online: false, lastSyncedAt: '2026-12-01T00:00:00.000Z' })).toEqual({
    online: false,
    waiting: 0,
    otherAccounts: 0,
    syncing: false,
    failedAnswers: 0,
    failedBlocks: 0,
    lastSyncedAt: '2026-12-01T00:00:00.000Z',
  });
});
