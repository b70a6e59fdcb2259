import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { isTransientError } from '@/lib/network/retry-policy';
import { supabase } from '@/lib/supabase';
import { QUESTION_COLUMNS, getBankQueryOptions, questionSchema, readOfflineBank, type Question } from './get-bank';
import { quizKeys } from './keys';

/**
 * The questions of one block, for the player: the block's rows only (at most MAX_BLOCK_SIZE), not the
 * whole bank. A player opened from a link or a reload used to read and validate every published
 * question (1,000+ rows, ~180 KB of JSON) before it could show the first one.
 *
 * Offline: without a network (or with the server failing) the downloaded copy of the bank answers, as
 * it does for the bank. Unlike the bank this query is persisted with the cache, so a block opened once
 * reopens offline even on a device that never downloaded the bank. Pair it with
 * `blockQuestionsFromBank` as `initialData`: a block started from the create page (which loaded the
 * bank) opens without a request.
 */
export function getBlockQuestionsQueryOptions(questionIds: readonly number[]) {
  return queryOptions({
    queryKey: quizKeys.questions(questionIds),
    queryFn: async ({ signal }): Promise<Question[]> => {
      const wanted = new Set(questionIds);
      try {
        const { data } = await supabase
          .from('questions')
          .select(QUESTION_COLUMNS)
          .in('id', [...wanted])
          .eq('published', true)
          .abortSignal(signal)
          .throwOnError();
        return z.array(questionSchema).parse(data);
      } catch (error) {
        if (!isTransientError(error)) throw error;
        const offline = await readOfflineBank();
        if (offline) return offline.questions.filter((q) => wanted.has(q.id));
        throw error;
      }
    },
    // The same freshness as the bank they come from: questions change only when an instructor edits.
    // Retries are the app's default: the downloaded copy answers in the first try when there is one,
    // and without one a server blip or an open breaker is retried rather than shown as an error.
    staleTime: 24 * 60 * 60 * 1000,
  });
}

/** The block's questions out of the cached bank, or undefined when the bank is not in the cache. */
export function blockQuestionsFromBank(queryClient: QueryClient, questionIds: readonly number[]): Question[] | undefined {
  const bank = queryClient.getQueryData(getBankQueryOptions().queryKey);
  if (!bank) return undefined;
  const wanted = new Set(questionIds);
  return bank.filter((q) => wanted.has(q.id));
}

/**
 * Every question this device holds in its query cache — the bank if it is loaded, and the questions of
 * each block opened here (persisted) — by id. Enough to grade and file this device's unsynced answers
 * (spaced review on home) without reading the whole bank.
 */
export function cachedQuestions(queryClient: QueryClient): Map<number, Question> {
  const byId = new Map<number, Question>();
  for (const [, questions] of queryClient.getQueriesData<Question[]>({ queryKey: quizKeys.questionsAll() })) {
    for (const q of questions ?? []) byId.set(q.id, q);
  }
  for (const q of queryClient.getQueryData(getBankQueryOptions().queryKey) ?? []) byId.set(q.id, q);
  return byId;
}
