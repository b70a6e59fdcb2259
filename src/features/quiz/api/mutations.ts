/**
 * Writes of the quiz feature. Each mutation's function is registered as a mutation default at module
 * load (STYLE: offline mutations are first-class), so a paused mutation can be resumed after a reload
 * once the persister lands (issue 4). The UI calls `useMutation({ mutationKey })` and nothing else.
 */
import type { QueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { quizKeys, quizMutationKeys } from './keys';

export interface NewAttempt {
  id: string;
  mode: 'tutor' | 'timed';
  question_ids: number[];
  time_limit_seconds: number | null;
  filters: Record<string, unknown>;
  started_at: string;
}

export interface AnswerInput {
  id: string;
  attempt_id: string;
  question_id: number;
  choice: 'A' | 'B' | 'C' | 'D' | 'E';
  time_spent_ms: number;
  answered_at: string;
}

export const answerOutcomeSchema = z.object({
  id: z.string().uuid(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  is_correct: z.boolean().optional(),
  correct_choice: z.enum(['A', 'B', 'C', 'D', 'E']).optional(),
  reason: z.string().optional(),
});
export type AnswerOutcome = z.infer<typeof answerOutcomeSchema>;

/** Sends up to 50 answers; the server grades them and is idempotent by answer id. */
export async function submitAnswers(answers: readonly AnswerInput[]): Promise<AnswerOutcome[]> {
  const { data } = await supabase.rpc('submit_answers', { answers }).throwOnError();
  return z.array(answerOutcomeSchema).parse(data);
}

export async function createAttempt(a: NewAttempt): Promise<void> {
  // Upsert-ignore on the client id: replaying a creation (lost response, offline queue) is harmless.
  await supabase.from('attempts').upsert(a, { onConflict: 'id', ignoreDuplicates: true }).throwOnError();
}

export async function completeAttempt(v: { id: string; completed_at: string; marked_question_ids: number[] }): Promise<void> {
  await supabase
    .from('attempts')
    .update({ completed_at: v.completed_at, marked_question_ids: v.marked_question_ids })
    .eq('id', v.id)
    .is('completed_at', null)
    .throwOnError();
}

export async function saveMarks(v: { id: string; marked_question_ids: number[] }): Promise<void> {
  await supabase.from('attempts').update({ marked_question_ids: v.marked_question_ids }).eq('id', v.id).throwOnError();
}

/** Registers every quiz mutation's defaults on the client. Called once, before any persisted restore. */
export function registerQuizMutations(queryClient: QueryClient): void {
  queryClient.setMutationDefaults(quizMutationKeys.createAttempt, {
    mutationFn: (a: NewAttempt) => createAttempt(a),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: quizKeys.attempts() }),
  });
  queryClient.setMutationDefaults(quizMutationKeys.submitAnswer, {
    mutationFn: async (a: AnswerInput) => {
      const [outcome] = await submitAnswers([a]);
      if (!outcome) throw new Error('submit_answers returned no outcome');
      return outcome;
    },
  });
  queryClient.setMutationDefaults(quizMutationKeys.completeAttempt, {
    mutationFn: (v: { id: string; completed_at: string; marked_question_ids: number[] }) => completeAttempt(v),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: quizKeys.attempts() }),
        queryClient.invalidateQueries({ queryKey: quizKeys.history() }),
        // The home dashboard's stats (progress feature) are keyed ['progress', …].
        queryClient.invalidateQueries({ queryKey: ['progress'] }),
      ]),
  });
  queryClient.setMutationDefaults(quizMutationKeys.saveMarks, {
    mutationFn: (v: { id: string; marked_question_ids: number[] }) => saveMarks(v),
  });
}
