import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { ASSIGNMENT_STATUSES } from '@/lib/assignment-plan';
import { instructorKeys } from './keys';

const count = z.coerce.number().int();
const resultsSchema = z.object({
  assignment_id: z.string().uuid(),
  total: count,
  students: z.array(
    z.object({
      user_id: z.string().uuid(),
      display_name: z.string(),
      status: z.enum(ASSIGNMENT_STATUSES),
      answered: count,
      correct: count,
      late: count,
      started_at: z.string().nullable(),
      completed_at: z.string().nullable(),
      sittings: count,
    }),
  ),
  questions: z.array(z.object({ question_id: count, answered: count, correct: count, a: count, b: count, c: count, d: count, e: count })),
});
export type AssignmentResults = z.infer<typeof resultsSchema>;
export type AssignmentStudentResult = AssignmentResults['students'][number];
export type AssignmentQuestionResult = AssignmentResults['questions'][number];

/**
 * Every member's status and result sitting, and the class's choices per question (get_assignment_results:
 * the cohort's instructor only, 403 for anyone else).
 */
export function getAssignmentResultsQueryOptions(assignmentId: string) {
  return queryOptions({
    meta: { persist: false },
    queryKey: instructorKeys.assignmentResults(assignmentId),
    queryFn: async ({ signal }) => {
      const { data } = await supabase.rpc('get_assignment_results', { p_assignment_id: assignmentId }).abortSignal(signal).throwOnError();
      return resultsSchema.parse(data);
    },
    // Students finish over days, not seconds: half a minute old is fresh enough, and the page refetches on
    // focus after that, so an instructor returning to the tab sees the latest.
    staleTime: 30 * 1000,
  });
}
