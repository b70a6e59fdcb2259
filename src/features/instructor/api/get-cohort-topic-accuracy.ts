import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { instructorKeys } from './keys';

const counts = z.object({ answered: z.number().int(), correct: z.number().int() });
const topicAccuracySchema = z.object({
  /** First answers a topic needs before it can be ranked among the weakest. */
  min_answers: z.number().int(),
  by_system: z.array(counts.extend({ organ_system: z.string() })),
  by_discipline: z.array(counts.extend({ discipline: z.string() })),
  weakest_topics: z.array(
    counts.extend({
      organ_system: z.string(),
      discipline: z.string(),
      /** The last 8 ISO weeks, oldest first; a week without answers has answered = 0. */
      weeks: z.array(counts.extend({ week_start: z.string() })),
    }),
  ),
});
export type CohortTopicAccuracy = z.infer<typeof topicAccuracySchema>;

/** The cohort's first-attempt accuracy by organ system, discipline and its 10 weakest topics (instructor only). */
export function getCohortTopicAccuracyQueryOptions(cohortId: string) {
  return queryOptions({
    meta: { persist: false },
    queryKey: instructorKeys.topicAccuracy(cohortId),
    queryFn: async ({ signal }) => {
      const { data } = await supabase.rpc('get_cohort_topic_accuracy', { p_cohort_id: cohortId }).abortSignal(signal).throwOnError();
      return topicAccuracySchema.parse(data);
    },
    // A class's accuracy moves over days, not minutes: an on-demand read for trends, like item statistics.
    staleTime: 5 * 60 * 1000,
  });
}
