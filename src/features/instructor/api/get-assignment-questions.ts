import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { CHOICES } from '@/lib/taxonomy';
import { instructorKeys } from './keys';

const questionSchema = z.object({
  id: z.coerce.number().int(),
  stem: z.string(),
  correct_choice: z.string().transform((s) => CHOICES.find((c) => c === s.trim()) ?? null),
  organ_system: z.string(),
  discipline: z.string(),
});
export type AssignmentQuestion = z.infer<typeof questionSchema>;

/** The stems and keys of an assignment's questions, for its per-question results (keys are readable, decision 002). */
export function getAssignmentQuestionsQueryOptions(assignmentId: string, questionIds: readonly number[]) {
  return queryOptions({
    queryKey: instructorKeys.assignmentQuestions(assignmentId),
    queryFn: async ({ signal }) => {
      // At most 280 ids (the table's check), well within a URL.
      const { data } = await supabase
        .from('questions')
        .select('id, stem, correct_choice, organ_system, discipline')
        .in('id', [...questionIds])
        .abortSignal(signal)
        .throwOnError();
      return z.array(questionSchema).parse(data);
    },
    // An assignment's questions are fixed; an edit to a stem or key since is rare and shows after a reload.
    staleTime: 10 * 60 * 1000,
  });
}
