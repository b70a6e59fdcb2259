import { mutationOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import type { AssignmentInsert } from '@/features/instructor/model/assignment-draft';
import { ASSIGNMENT_COLUMNS, assignmentSchema, getAssignmentQueryOptions, type Assignment } from './get-assignments';
import { instructorKeys, instructorMutationKeys } from './keys';

const duplicateKey = z.object({ code: z.literal('23505') });

/**
 * Inserts the assignment with the id the form made (RLS: the cohort's instructor; the server checks the
 * questions are published and distinct, and rate-limits creation). Idempotent: when an earlier send of
 * the same id got through but its answer was lost, the retry's 409 reads the stored row instead.
 */
export async function createAssignment(row: AssignmentInsert): Promise<Assignment> {
  try {
    const { data } = await supabase.from('assignments').insert(row).select(ASSIGNMENT_COLUMNS).single().throwOnError();
    return assignmentSchema.parse(data);
  } catch (error) {
    if (!duplicateKey.safeParse(error).success) throw error;
    const { data } = await supabase.from('assignments').select(ASSIGNMENT_COLUMNS).eq('id', row.id).maybeSingle().throwOnError();
    if (data === null) throw error;
    return assignmentSchema.parse(data);
  }
}

/**
 * Setting an assignment: the form shows a refusal in place, in the server's words (its checks name the
 * problem: "Unknown or unpublished questions: 12"); the results page is ready at once and the cohort's
 * list refetches.
 */
export function createAssignmentMutationOptions() {
  return mutationOptions({
    mutationKey: instructorMutationKeys.createAssignment,
    mutationFn: createAssignment,
    meta: { errorInline: true, serverWording: true },
    onSuccess: async (assignment, _row, _onMutateResult, { client }) => {
      client.setQueryData(getAssignmentQueryOptions(assignment.id).queryKey, assignment);
      await client.invalidateQueries({ queryKey: instructorKeys.cohortAssignments(assignment.cohort_id), exact: true });
    },
  });
}
