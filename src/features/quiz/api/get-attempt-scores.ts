import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { requireCurrentUserId } from '@/lib/current-user';
import { quizKeys } from './keys';

const gradeSchema = z.object({ attempt_id: z.string().uuid(), is_correct: z.boolean() });

export interface AttemptScore {
  answered: number;
  correct: number;
}

/**
 * Scores of several blocks in one request (home: "recent blocks"), from the server-graded answers.
 * A block holds at most 40 answers, so ten blocks stay far below the 1,000-row cap.
 */
export function getAttemptScoresQueryOptions(attemptIds: readonly string[]) {
  return queryOptions({
    queryKey: quizKeys.attemptScores(attemptIds),
    queryFn: async ({ signal }) => {
      const { data } = await supabase
        .from('answers')
        .select('attempt_id, is_correct')
        .eq('user_id', await requireCurrentUserId())
        .in('attempt_id', [...attemptIds])
        .abortSignal(signal)
        .throwOnError();
      // Plain rows in the cache (it is persisted as JSON); the Map is built by `select`.
      return z.array(gradeSchema).parse(data);
    },
    select: (rows) => {
      const scores = new Map<string, AttemptScore>();
      for (const row of rows) {
        const s = scores.get(row.attempt_id) ?? { answered: 0, correct: 0 };
        scores.set(row.attempt_id, { answered: s.answered + 1, correct: s.correct + (row.is_correct ? 1 : 0) });
      }
      return scores;
    },
    enabled: attemptIds.length > 0,
    // Answers of a finished block never change; a block ending invalidates quizKeys.attempts().
    staleTime: 5 * 60 * 1000,
  });
}
