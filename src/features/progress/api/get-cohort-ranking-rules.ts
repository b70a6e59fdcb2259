import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { progressKeys } from './keys';

const ruleSchema = z.object({ id: z.string().uuid(), min_answers_to_rank: z.number().int() });
const rollupSchema = z.object({ cohort_id: z.string().uuid(), answered: z.number().int() });
const rowSchema = ruleSchema.extend({ counted: z.number().int() });

/**
 * How many more answers each of the caller's cohorts needs before the student is ranked, so an unranked
 * student can be told how far they have to go ("Answer 4 more to be ranked"). Ranking counts only the
 * first answer to each question (docs/decisions/017), so the count so far is the caller's own all-time
 * rollup row, not the answer total of get_my_stats (which includes retakes).
 */
export function getCohortRankingRulesQueryOptions() {
  return queryOptions({
    queryKey: progressKeys.rankingRules(),
    queryFn: async ({ signal }) => {
      const { data: auth } = await supabase.auth.getSession();
      const me = auth.session?.user.id ?? '';
      const [{ data: rules }, { data: mine }] = await Promise.all([
        supabase.from('cohorts').select('id, min_answers_to_rank').abortSignal(signal).throwOnError(),
        supabase.from('leaderboard_all_time').select('cohort_id, answered').eq('user_id', me).abortSignal(signal).throwOnError(),
      ]);
      const counted = new Map(z.array(rollupSchema).parse(mine).map((r) => [r.cohort_id, r.answered]));
      // Plain rows in the cache (it is persisted as JSON); the Map is built by `select`.
      return z.array(ruleSchema).parse(rules).map((r) => rowSchema.parse({ ...r, counted: counted.get(r.id) ?? 0 }));
    },
    select: (rows) => new Map(rows.map((r) => [r.id, Math.max(0, r.min_answers_to_rank - r.counted)])),
    // Same freshness as the stats it completes (get_my_stats): a student's count moves only when they answer.
    staleTime: 10 * 60 * 1000,
  });
}
