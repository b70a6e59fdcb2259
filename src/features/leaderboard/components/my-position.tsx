import { useQuery } from '@tanstack/react-query';
import { getMyLeaderboardPositionQueryOptions } from '@/features/leaderboard/api/get-my-leaderboard-position';
import type { LeaderboardPeriod } from '@/features/leaderboard/api/keys';
import { formatCount, formatPercent } from '@/lib/format';

/**
 * The caller's own row, pinned under the board so it is visible at any scroll depth: rank and percentile
 * from get_my_leaderboard_position (no paging to find it), or how many answers are still needed.
 */
export function MyPosition({ cohortId, period }: { cohortId: string; period: LeaderboardPeriod }) {
  const query = useQuery({
    ...getMyLeaderboardPositionQueryOptions(cohortId, period),
    // Polls with the board (see LeaderboardList): cheap, two index range counts.
    refetchInterval: 60 * 1000,
    refetchIntervalInBackground: false,
  });
  const position = query.data;

  return (
    <section className="board-me" aria-label="Your position">
      {position === undefined ? (
        <p className="muted" role="status">
          {query.isError ? 'Your position could not load.' : 'Loading your position…'}
        </p>
      ) : position.ranked && position.rank !== null ? (
        <p>
          <strong>You: rank {formatCount(position.rank)}</strong>
          {position.ranked_count !== null ? ` of ${formatCount(position.ranked_count)}` : ''}
          {position.percentile !== null ? ` · better than ${Math.round(position.percentile)}% of ranked classmates` : ''}
          {` · ${formatCount(position.correct)} of ${formatCount(position.answered)} first attempts correct (${formatPercent(position.accuracy)})`}
        </p>
      ) : (
        <p>
          <strong>
            Answer {formatCount(position.needed_answers)} more to be ranked{period === 'week' ? ' this week' : ''}.
          </strong>{' '}
          <span className="muted">First attempts so far: {formatCount(position.answered)} (retakes don't count toward rank).</span>
        </p>
      )}
    </section>
  );
}
