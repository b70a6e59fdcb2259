import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { requireCurrentUserId } from '@/lib/current-user';
import { supabase } from '@/lib/supabase';
import { liveKeys } from './keys';

/**
 * The cohorts the caller belongs to as a member (`user_id = me`: RLS also shows an instructor their
 * students' rows), whose `cohort:` topics say when a live session starts there.
 */
export function getMyCohortIdsQueryOptions() {
  return queryOptions({
    queryKey: liveKeys.memberships(),
    queryFn: async ({ signal }) => {
      const { data } = await supabase
        .from('cohort_members')
        .select('cohort_id')
        .eq('user_id', await requireCurrentUserId())
        .abortSignal(signal)
        .throwOnError();
      return z.array(z.object({ cohort_id: z.uuid() })).parse(data).map((r) => r.cohort_id);
    },
    // Memberships change when the student joins a cohort (rare); ten minutes late only delays the banner
    // of a cohort joined in the meantime until the next page load.
    staleTime: 10 * 60 * 1000,
    meta: { persist: false },
  });
}
