/** Query and mutation keys of the live feature, general to specific (invalidate through these only). */
export const liveKeys = {
  all: ['live'] as const,
  mine: () => [...liveKeys.all, 'mine'] as const,
  /** The cohorts the caller is a member of (whose `cohort:` topics announce sessions). */
  memberships: () => [...liveKeys.all, 'memberships'] as const,
  session: (id: string) => [...liveKeys.all, 'session', id] as const,
  report: (id: string) => [...liveKeys.session(id), 'report'] as const,
  questions: (id: string) => [...liveKeys.session(id), 'questions'] as const,
};

export const liveMutationKeys = {
  run: [...liveKeys.all, 'run'] as const,
};
