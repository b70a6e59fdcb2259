import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { attemptSchema } from '@/answer-sync/shapes';
import { ASSIGNMENT_STATUSES, assignmentPlanSchema } from '@/lib/assignment-plan';
import { supabase } from '@/lib/supabase';
import { requireCurrentUserId } from '@/lib/current-user';
import { quizKeys } from './keys';

/** An assignment of one of the student's cohorts, with the student's standing as the server judges it. */
export const myAssignmentSchema = assignmentPlanSchema.extend({
  cohort_name: z.string(),
  /** late: done, with answers that reached the server too late to count as on time (docs/decisions/023-assignments.md). */
  status: z.enum(ASSIGNMENT_STATUSES),
  answered: z.number().int(),
  correct: z.number().int(),
  late: z.number().int(),
  sittings_used: z.number().int(),
  result_sitting_id: z.uuid().nullable(),
});
export type MyAssignment = z.infer<typeof myAssignmentSchema>;

/** The assignments of the student's cohorts (due soonest first), each with the student's own result. */
export function getMyAssignmentsQueryOptions() {
  return queryOptions({
    queryKey: quizKeys.assignments(),
    queryFn: async ({ signal }) => {
      const { data } = await supabase.rpc('get_my_assignments').abortSignal(signal).throwOnError();
      return z.array(myAssignmentSchema).parse(data);
    },
    // New work appears when an instructor sets it; a minute late is fine, and a block ending invalidates
    // it (its status changes). Persisted with the cache: an assignment seen online can be taken offline.
    staleTime: 60 * 1000,
  });
}

/** The student's own blocks of one assignment, every sitting (another device's included). */
export function getAssignmentAttemptsQueryOptions(assignmentId: string) {
  return queryOptions({
    queryKey: quizKeys.assignmentAttempts(assignmentId),
    queryFn: async ({ signal }) => {
      const { data } = await supabase
        .from('attempts')
        .select('id, mode, kind, question_ids, time_limit_seconds, marked_question_ids, filters, started_at, completed_at, assignment_id, sitting_id, section')
        .eq('assignment_id', assignmentId)
        .eq('user_id', await requireCurrentUserId())
        .order('started_at')
        .limit(100)
        .abortSignal(signal)
        .throwOnError();
      return z.array(attemptSchema).parse(data);
    },
    // This device's own blocks are read from its ledgers (fresher); the server adds other devices'.
    staleTime: 30 * 1000,
  });
}
