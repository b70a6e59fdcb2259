import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { fetchAllRows } from '@/lib/paging';
import { instructorKeys } from './keys';

const memberSchema = z.object({
  user_id: z.string().uuid(),
  display_name: z.string(),
  email: z.string(),
  joined_at: z.string(),
  answered: z.coerce.number().int(),
  correct: z.coerce.number().int(),
  last_active_at: z.string().nullable(),
});
export type RosterMember = z.infer<typeof memberSchema>;

/** The cohort's members with real names, e-mail and all-time totals (instructor only). */
export function getCohortRosterQueryOptions(cohortId: string) {
  return queryOptions({
    meta: { persist: false },
    queryKey: instructorKeys.roster(cohortId),
    queryFn: async ({ signal }) => {
      const rows = await fetchAllRows((from, to) =>
        supabase.rpc('get_cohort_roster', { p_cohort_id: cohortId }).range(from, to).abortSignal(signal).throwOnError(),
      );
      return z.array(memberSchema).parse(rows);
    },
    // Students join on their own time; a couple of minutes is fresh enough for a roster, and the page
    // refetches on focus after that.
    staleTime: 2 * 60 * 1000,
  });
}
