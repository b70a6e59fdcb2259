import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { leaderboardKeys, type LeaderboardPeriod } from './keys';

const positionSchema = z.object({
  rank: z.coerce.number().int().nullable(),
  answered: z.coerce.number().int(),
  correct: z.coerce.number().int(),
  accuracy: z.coerce.number(),
  percentile: z.coerce.number().nullable(),
  ranked: z.boolean(),
  needed_answers: z.coerce.number().int(),
  ranked_count: z.coerce.number().int().nullable(),
});

/**
 * The caller's own place on a board, wherever it is, without paging to it (members only: the server
 * refuses instructors, who are not on their cohorts' boards).
 */
export function getMyLeaderboardPositionQueryOptions(cohortId: string, period: LeaderboardPeriod) {
  return queryOptions({
    meta: { persist: false },
    queryKey: leaderboardKeys.position(cohortId, period),
    queryFn: async ({ signal }) => {
      const { data } = await supabase
        .rpc('get_my_leaderboard_position', { p_cohort_id: cohortId, p_period: period })
        .abortSignal(signal)
        .throwOnError();
      const row = z.array(positionSchema).parse(data)[0];
      if (!row) throw new Error('get_my_leaderboard_position returned no row');
      return row;
    },
    // Same freshness as the board it is pinned to (see getLeaderboardInfiniteQueryOptions).
    staleTime: 60 * 1000,
  });
}
