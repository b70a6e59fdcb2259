import { supabase } from '@/lib/supabase';

/** Removes a student from a cohort (RLS: the cohort's instructor may delete its memberships). */
export async function removeCohortMember({ cohortId, userId }: { cohortId: string; userId: string }): Promise<void> {
  await supabase.from('cohort_members').delete().eq('cohort_id', cohortId).eq('user_id', userId).throwOnError();
}
