/** Query keys of the progress feature (home dashboard), general to specific (invalidate through these only). */
export const progressKeys = {
  all: ['progress'] as const,
  stats: () => [...progressKeys.all, 'stats'] as const,
  rankingRules: () => [...progressKeys.all, 'ranking-rules'] as const,
};
