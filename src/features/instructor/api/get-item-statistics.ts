import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { CHOICES } from '@/lib/taxonomy';
import { fetchAllRows } from '@/lib/paging';
import { instructorKeys } from './keys';

export const ITEM_FLAGS = ['too_hard', 'too_easy', 'low_discrimination'] as const;
const itemSchema = z.object({
  question_id: z.coerce.number().int(),
  organ_system: z.string(),
  discipline: z.string(),
  correct_choice: z.enum(CHOICES),
  n: z.coerce.number().int(),
  correct: z.coerce.number().int(),
  facility: z.coerce.number(),
  discrimination: z.coerce.number().nullable(),
  a: z.coerce.number().int(),
  b: z.coerce.number().int(),
  c: z.coerce.number().int(),
  d: z.coerce.number().int(),
  e: z.coerce.number().int(),
  mean_time_ms: z.coerce.number().nullable(),
  flags: z.array(z.enum(ITEM_FLAGS)),
});
export type ItemStatistic = z.infer<typeof itemSchema>;

/** Per-question statistics over the cohort's first attempts (decision 007). */
export function getItemStatisticsQueryOptions(cohortId: string) {
  return queryOptions({
    meta: { persist: false },
    queryKey: instructorKeys.itemStatistics(cohortId),
    queryFn: async ({ signal }) => {
      const data = await fetchAllRows((from, to) =>
        supabase.rpc('get_item_statistics', { p_cohort_id: cohortId }).range(from, to).abortSignal(signal).throwOnError(),
      );
      return z.array(itemSchema).parse(data);
    },
    // Computed on demand over the whole cohort's answers; item quality is judged over weeks, so a few
    // minutes old is fine and saves recomputing on every visit.
    staleTime: 5 * 60 * 1000,
  });
}
