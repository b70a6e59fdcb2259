import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { requireCurrentUserId } from '@/lib/current-user';
import { attemptSchema, choiceSchema } from '@/answer-sync/shapes';
import { quizKeys } from './keys';

const ATTEMPT_COLUMNS = 'id, mode, kind, question_ids, time_limit_seconds, marked_question_ids, filters, started_at, completed_at, assignment_id, sitting_id, section, live_session_id';

/** The caller's own most recent blocks (home: "recent blocks", "continue block"), never their students'. */
export function getRecentAttemptsQueryOptions(limit = 10) {
  return queryOptions({
    queryKey: quizKeys.recentAttempts(limit),
    queryFn: async ({ signal }) => {
      const { data } = await supabase
        .from('attempts')
        .select(ATTEMPT_COLUMNS)
        .eq('user_id', await requireCurrentUserId())
        .order('started_at', { ascending: false })
        .limit(limit)
        .abortSignal(signal)
        .throwOnError();
      return z.array(attemptSchema).parse(data);
    },
    // Changes when the student starts or ends a block (both invalidate it).
    staleTime: 5 * 60 * 1000,
  });
}

export function getAttemptQueryOptions(id: string) {
  return queryOptions({
    queryKey: quizKeys.attempt(id),
    queryFn: async ({ signal }) => {
      // One's own block only: an instructor may read a student's, but cannot take or review it as theirs.
      const { data } = await supabase
        .from('attempts')
        .select(ATTEMPT_COLUMNS)
        .eq('id', id)
        .eq('user_id', await requireCurrentUserId())
        .abortSignal(signal)
        .single()
        .throwOnError();
      return attemptSchema.parse(data);
    },
    // An attempt is written by this device only; the cache is the source of truth while it runs.
    staleTime: Infinity,
  });
}

export const storedAnswerSchema = z.object({
  id: z.string().uuid(),
  question_id: z.number().int(),
  choice: choiceSchema,
  is_correct: z.boolean(),
  time_spent_ms: z.number().int(),
  answered_at: z.string(),
});
export type StoredAnswer = z.infer<typeof storedAnswerSchema>;

/** The server-graded answers of one block (review). */
export function getAttemptAnswersQueryOptions(attemptId: string) {
  return queryOptions({
    queryKey: quizKeys.attemptAnswers(attemptId),
    queryFn: async ({ signal }) => {
      const { data } = await supabase
        .from('answers')
        .select('id, question_id, choice, is_correct, time_spent_ms, answered_at')
        .eq('attempt_id', attemptId)
        .eq('user_id', await requireCurrentUserId())
        .abortSignal(signal)
        .throwOnError();
      return z.array(storedAnswerSchema).parse(data);
    },
    // Answers never change once stored; new ones arrive through this device's queue, which invalidates.
    staleTime: 5 * 60 * 1000,
  });
}

const distributionSchema = z.object({
  question_id: z.number().int(),
  peers: z.number().int(),
  a: z.number().int(),
  b: z.number().int(),
  c: z.number().int(),
  d: z.number().int(),
  e: z.number().int(),
});
export type ChoiceDistribution = z.infer<typeof distributionSchema>;

/** How cohort peers answered (first attempts, only when ≥ 5 peers did): aggregates only. */
export function getChoiceDistributionQueryOptions(questionIds: readonly number[]) {
  return queryOptions({
    queryKey: quizKeys.distribution(questionIds),
    queryFn: async ({ signal }) => {
      const { data } = await supabase
        .rpc('get_choice_distribution', { p_question_ids: [...questionIds] })
        .abortSignal(signal)
        .throwOnError();
      // Plain rows in the cache (it is persisted as JSON); the Map is built by `select`.
      return z.array(distributionSchema).parse(data);
    },
    select: (rows) => new Map(rows.map((d) => [d.question_id, d])),
    // Peer statistics move slowly; minutes-fresh is plenty and spares the server on every review.
    staleTime: 10 * 60 * 1000,
  });
}

