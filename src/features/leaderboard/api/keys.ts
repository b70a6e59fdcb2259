/** Query keys of the leaderboard feature, general to specific (invalidate through these only). */
export const leaderboardKeys = {
  all: ['leaderboard'] as const,
  cohorts: () => [...leaderboardKeys.all, 'cohorts'] as const,
  boards: () => [...leaderboardKeys.all, 'board'] as const,
  board: (cohortId: string, period: LeaderboardPeriod) => [...leaderboardKeys.boards(), cohortId, period] as const,
  position: (cohortId: string, period: LeaderboardPeriod) => [...leaderboardKeys.all, 'position', cohortId, period] as const,
};

/** 'week' is the current ISO week in UTC (Monday 00:00 UTC onwards), as the rollups define it. */
export type LeaderboardPeriod = 'all' | 'week';
