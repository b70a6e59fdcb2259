import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { assignmentPlanSchema } from '@/lib/assignment-plan';
import { instructorKeys } from './keys';

export const assignmentSchema = assignmentPlanSchema.extend({ created_at: z.string() });
export type Assignment = z.infer<typeof assignmentSchema>;
export const ASSIGNMENT_COLUMNS =
  'id, cohort_id, title, question_ids, mode, time_limit_seconds, section_size, section_seconds, break_seconds, opens_at, due_at, explanations_after_due, max_attempts, created_at';

/** A cohort's assignments, latest due first (RLS: the cohort's instructor and members read them). */
export function getCohortAssignmentsQueryOptions(cohortId: string) {
  return queryOptions({
    queryKey: instructorKeys.cohortAssignments(cohortId),
    queryFn: async ({ signal }) => {
      const { data } = await supabase
        .from('assignments')
        .select(ASSIGNMENT_COLUMNS)
        .eq('cohort_id', cohortId)
        .order('due_at', { ascending: false })
        .order('id')
        .abortSignal(signal)
        .throwOnError();
      return z.array(assignmentSchema).parse(data);
    },
    // Only the cohort's instructor sets or removes its assignments, and those writes update this list.
    staleTime: 5 * 60 * 1000,
  });
}

/** One assignment (null when it does not exist or is not of the caller's cohorts: RLS hides both alike). */
export function getAssignmentQueryOptions(id: string) {
  return queryOptions({
    queryKey: instructorKeys.assignment(id),
    queryFn: async ({ signal }) => {
      const { data } = await supabase.from('assignments').select(ASSIGNMENT_COLUMNS).eq('id', id).abortSignal(signal).maybeSingle().throwOnError();
      return assignmentSchema.nullable().parse(data);
    },
    // As the list: only the instructor's own writes change it.
    staleTime: 5 * 60 * 1000,
  });
}
