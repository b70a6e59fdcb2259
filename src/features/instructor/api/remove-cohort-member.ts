import { mutationOptions } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase';
import { getCohortRosterQueryOptions } from './get-cohort-roster';
import { instructorKeys, instructorMutationKeys } from './keys';

/** Removes a student from a cohort (RLS: the cohort's instructor may delete its memberships). */
export async function removeCohortMember({ cohortId, userId }: { cohortId: string; userId: string }): Promise<void> {
  await supabase.from('cohort_members').delete().eq('cohort_id', cohortId).eq('user_id', userId).throwOnError();
}

/** Removing a member: gone from the roster at once; the cohort's statistics are over current members, so they refetch. */
export function removeCohortMemberMutationOptions() {
  return mutationOptions({
    mutationKey: instructorMutationKeys.removeCohortMember,
    mutationFn: removeCohortMember,
    meta: { errorMessage: 'The student could not be removed.' },
    onSuccess: async (_data, { cohortId, userId }, _onMutateResult, { client }) => {
      client.setQueryData(getCohortRosterQueryOptions(cohortId).queryKey, (old) => old?.filter((m) => m.user_id !== userId));
      await client.invalidateQueries({ queryKey: instructorKeys.cohort(cohortId) });
    },
  });
}
