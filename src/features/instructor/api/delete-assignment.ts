import { mutationOptions } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase';
import { getCohortAssignmentsQueryOptions } from './get-assignments';
import { instructorKeys, instructorMutationKeys } from './keys';

/**
 * Removes an assignment (RLS: its cohort's instructor). Students' answers to it stay theirs: their blocks
 * lose the link (attempts.assignment_id is set null), not the answers.
 */
export async function deleteAssignment({ id }: { id: string; cohortId: string }): Promise<void> {
  await supabase.from('assignments').delete().eq('id', id).throwOnError();
}

/** Deleting an assignment: gone from the cohort's list at once, then the list refetches. */
export function deleteAssignmentMutationOptions() {
  return mutationOptions({
    mutationKey: instructorMutationKeys.deleteAssignment,
    mutationFn: deleteAssignment,
    meta: { errorMessage: 'The assignment was not deleted.' },
    onSuccess: async (_data, { id, cohortId }, _onMutateResult, { client }) => {
      client.setQueryData(getCohortAssignmentsQueryOptions(cohortId).queryKey, (old) => old?.filter((a) => a.id !== id));
      client.removeQueries({ queryKey: instructorKeys.assignment(id) });
      await client.invalidateQueries({ queryKey: instructorKeys.cohortAssignments(cohortId), exact: true });
    },
  });
}
