import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { fetchAllRows } from '@/lib/paging';
import { supabase } from '@/lib/supabase';
import { requireCurrentUserId } from '@/lib/current-user';
import { isTransientError } from '@/lib/network/retry-policy';
import { confidenceSchema } from '@/answer-sync/shapes';
import { quizKeys } from './keys';

const historyAnswerSchema = z.object({
  id: z.string(),
  question_id: z.number().int(),
  is_correct: z.boolean(),
  answered_at: z.string(),
  time_spent_ms: z.number().int(),
  confidence: confidenceSchema.nullable(),
  /** The question's organ system (the spaced-review pace rule compares within a system); absent for this device's unsynced answers. */
  organ_system: z.string().optional(),
});
export type HistoryAnswer = z.infer<typeof historyAnswerSchema>;
const markedSchema = z.object({ marked_question_ids: z.array(z.number().int()) });

/** Plain JSON (no Set), because it is persisted with the query cache for offline use. */
export interface History {
  answers: z.infer<typeof historyAnswerSchema>[];
  marked: number[];
}

/**
 * The caller's answers (for the unused/incorrect pools, and the spaced-review cards, which are replayed
 * from them) and marked questions (for the marked pool).
 */
export function getHistoryQueryOptions() {
  return queryOptions({
    queryKey: quizKeys.history(),
    queryFn: async ({ signal, client, queryKey }): Promise<History> => {
      try {
        const me = await requireCurrentUserId();
        // Own answers only (the view is "mine": RLS alone would add an instructor's students). Paged: a
        // year of study exceeds 1,000 rows.
        const answerRows = await fetchAllRows((from, to) =>
          supabase
            .from('my_answer_log')
            .select('id, question_id, is_correct, answered_at, time_spent_ms, confidence, organ_system')
            .order('answered_at')
            .order('id')
            .range(from, to)
            .abortSignal(signal)
            .throwOnError(),
        );
        const answers = z.array(historyAnswerSchema).parse(answerRows);
        const { data: marks } = await supabase
          .from('attempts')
          .select('marked_question_ids')
          .eq('user_id', me)
          .filter('marked_question_ids', 'neq', '{}')
          .abortSignal(signal)
          .throwOnError();
        const marked = [...new Set(z.array(markedSchema).parse(marks).flatMap((r) => r.marked_question_ids))];
        return { answers, marked };
      } catch (error) {
        // Without a network, blocks are still built: from the last history this device saw (restored
        // from storage) plus the blocks taken here (merged by the form), or from nothing at all.
        if (!isTransientError(error)) throw error;
        return client.getQueryData<History>(queryKey) ?? { answers: [], marked: [] };
      }
    },
    // Changes only through the student's own blocks, which invalidate it when they end.
    staleTime: 10 * 60 * 1000,
    retry: false,
  });
}
