import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { progressKeys } from './get-my-stats';

const ruleSchema = z.object({ id: z.string().uuid(), min_answers_to_rank: z.number().int() });

/**
 * How many answers each of the caller's cohorts requires before a student is ranked, so an unranked
 * student can be told how far they have to go ("Answer 4 more to be ranked").
 */
export function getCohortRankingRulesQueryOptions() {
  return queryOptions({
    queryKey: progressKeys.rankingRules(),
    queryFn: async ({ signal }) => {
      const { data } = await supabase.from('cohorts').select('id, min_answers_to_rank').abortSignal(signal).throwOnError();
      // Plain rows in the cache (it is persisted as JSON); the Map is built by `select`.
      return z.array(ruleSchema).parse(data);
    },
    select: (rules) => new Map(rules.map((r) => [r.id, r.min_answers_to_rank])),
    // Instructors change the threshold rarely; joining a cohort invalidates progressKeys.all.
    staleTime: 30 * 60 * 1000,
  });
}
