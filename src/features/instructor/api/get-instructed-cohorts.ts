import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { instructorKeys } from './keys';

export const instructedCohortSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  join_code: z.string(),
  min_answers_to_rank: z.number().int(),
  created_at: z.string(),
});
export type InstructedCohort = z.infer<typeof instructedCohortSchema>;
export const INSTRUCTED_COHORT_COLUMNS = 'id, name, join_code, min_answers_to_rank, created_at';

/** The cohorts the caller runs (RLS would also return the ones they belong to; the filter drops those). */
export function getInstructedCohortsQueryOptions() {
  return queryOptions({
    queryKey: instructorKeys.cohorts(),
    queryFn: async ({ signal }) => {
      const { data: auth } = await supabase.auth.getSession();
      const { data } = await supabase
        .from('cohorts')
        .select(INSTRUCTED_COHORT_COLUMNS)
        .eq('instructor_id', auth.session?.user.id ?? '')
        .order('created_at', { ascending: false })
        .abortSignal(signal)
        .throwOnError();
      return z.array(instructedCohortSchema).parse(data);
    },
    // Only this instructor creates their cohorts or rotates codes, and those mutations update the cache.
    staleTime: 5 * 60 * 1000,
  });
}

/** One cohort the caller runs (null when it does not exist or is someone else's: RLS hides both alike). */
export function getInstructedCohortQueryOptions(id: string) {
  return queryOptions({
    queryKey: instructorKeys.cohort(id),
    queryFn: async ({ signal }) => {
      const { data } = await supabase.from('cohorts').select(INSTRUCTED_COHORT_COLUMNS).eq('id', id).abortSignal(signal).maybeSingle().throwOnError();
      return instructedCohortSchema.nullable().parse(data);
    },
    // As the list: only this instructor's own actions change it, and they write the result into the cache.
    staleTime: 5 * 60 * 1000,
  });
}
