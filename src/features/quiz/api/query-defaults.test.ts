import { expect, test } from 'vitest';
import { dehydrate, QueryClient } from '@tanstack/react-query';
import { answerSyncOutbox } from '@/answer-sync/queue';
import { dehydrateOptions } from '@/lib/persist';
import { quizKeys } from './keys';
import { registerQuizQueryDefaults } from './query-defaults';

test('the bank and the answer log stay out of the persisted cache (each has its own stored copy); the bank summary is in it', () => {
  const queryClient = new QueryClient();
  registerQuizQueryDefaults(queryClient);
  // As offline-bank.tsx does after a download, with neither query in the cache yet.
  queryClient.setQueryData(quizKeys.bank(), [{ id: 1 }]);
  queryClient.setQueryData(quizKeys.offlineCopy(), { count: 1, bytes: 100, downloadedAt: '2026-12-01T00:00:00.000Z' });
  queryClient.setQueryData(quizKeys.history(), { answers: [], marked: [], syncedTo: null });

  const stored = dehydrate(queryClient, dehydrateOptions(answerSyncOutbox)).queries.map((q) => q.queryKey);
  expect(stored).toContainEqual(quizKeys.offlineCopy());
  expect(stored).not.toContainEqual(quizKeys.history());
  expect(stored).not.toContainEqual(quizKeys.bank());
});
