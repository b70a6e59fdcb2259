import { infiniteQueryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { nextPageCursor } from '@/lib/paging';
import { leaderboardKeys, type LeaderboardPeriod } from './keys';

/** The opaque keyset cursor get_leaderboard returns with every row; sent back as p_after. */
const cursorSchema = z.record(z.string(), z.json());

/** What a board row shows. No user ids: classmates' ids never reach the client; is_me marks the caller. */
const rowSchema = z.object({
  // bigint and numeric columns may arrive as JSON numbers or strings depending on the server.
  rank: z.coerce.number().int(),
  name: z.string(),
  is_me: z.boolean(),
  answered: z.coerce.number().int(),
  correct: z.coerce.number().int(),
  accuracy: z.coerce.number(),
  cursor: cursorSchema,
});
type Cursor = z.infer<typeof cursorSchema>;

/** Rows per keyset page: a screenful many times over, and well under get_leaderboard's cap of 200. */
const LEADERBOARD_PAGE_SIZE = 100;

/**
 * One cohort board, as an infinite query of keyset pages: each page starts after the cursor of the last
 * row of the one before, so page 100 costs the server the same index range scan as page 1 (decision 005).
 */
export function getLeaderboardInfiniteQueryOptions(cohortId: string, period: LeaderboardPeriod) {
  return infiniteQueryOptions({
    meta: { persist: false },
    queryKey: leaderboardKeys.board(cohortId, period),
    queryFn: async ({ pageParam, signal }) => {
      const { data } = await supabase
        .rpc('get_leaderboard', { p_cohort_id: cohortId, p_period: period, p_after: pageParam, p_limit: LEADERBOARD_PAGE_SIZE })
        .abortSignal(signal)
        .throwOnError();
      return z.array(rowSchema).parse(data);
    },
    initialPageParam: null as Cursor | null,
    getNextPageParam: (lastPage) => nextPageCursor(lastPage, LEADERBOARD_PAGE_SIZE),
    // Ranks are kept live by triggers, but a board that reshuffles every second is noise, not
    // information; students compare themselves over days (precedent: TrueLearn's dashboards lag up to
    // 15 min, docs/prior-art.md#leaderboard-freshness). A minute keeps tab switches and remounts from refetching every page.
    staleTime: 60 * 1000,
    // A deep board is thousands of rows: drop it soon after the page is left rather than keeping (and
    // persisting) it for the app's 7-day default.
    gcTime: 5 * 60 * 1000,
  });
}
