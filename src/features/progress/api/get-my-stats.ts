import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { progressKeys } from './keys';

/** answered/correct count every answer; review_* the part given in spaced-review blocks. */
const statRow = z.object({
  key: z.string(),
  answered: z.number().int(),
  correct: z.number().int(),
  review_answered: z.number().int(),
  review_correct: z.number().int(),
});
export type StatRow = z.infer<typeof statRow>;
export const myStatsSchema = z.object({
  answered: z.number().int(),
  correct: z.number().int(),
  review_answered: z.number().int(),
  review_correct: z.number().int(),
  by_system: z.array(statRow),
  by_discipline: z.array(statRow),
  cohorts: z.array(z.object({ id: z.string().uuid(), name: z.string(), percentile: z.number().nullable() })),
});
export type MyStats = z.infer<typeof myStatsSchema>;

export function getMyStatsQueryOptions() {
  return queryOptions({
    queryKey: progressKeys.stats(),
    queryFn: async ({ signal }) => {
      const { data } = await supabase.rpc('get_my_stats').abortSignal(signal).throwOnError();
      return myStatsSchema.parse(data);
    },
    // Refreshed after each block ends (invalidated then); otherwise a student's stats do not move.
    staleTime: 10 * 60 * 1000,
  });
}
