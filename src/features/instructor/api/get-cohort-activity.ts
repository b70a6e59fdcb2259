import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { instructorKeys } from './keys';

const activitySchema = z.object({
  members: z.number().int(),
  /** The last 8 ISO weeks, oldest first. answers counts every answer (review and retakes included). */
  weeks: z.array(z.object({ week_start: z.string(), students_active: z.number().int(), answers: z.number().int() })),
});

/** Students active and answers given per week over the last 8 weeks (instructor only). */
export function getCohortActivityQueryOptions(cohortId: string) {
  return queryOptions({
    meta: { persist: false },
    queryKey: instructorKeys.activity(cohortId),
    queryFn: async ({ signal }) => {
      const { data } = await supabase.rpc('get_cohort_activity', { p_cohort_id: cohortId }).abortSignal(signal).throwOnError();
      return activitySchema.parse(data);
    },
    // Weekly figures: a few minutes old is as good as live.
    staleTime: 5 * 60 * 1000,
  });
}
