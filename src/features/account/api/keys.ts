/** Query and mutation keys of the account feature (profile settings, cohort membership), general to specific. */
export const accountKeys = {
  all: ['account'] as const,
  profile: () => [...accountKeys.all, 'profile'] as const,
  cohorts: () => [...accountKeys.all, 'cohorts'] as const,
};

export const accountMutationKeys = {
  updateProfile: ['account', 'update-profile'] as const,
  joinCohort: ['account', 'join-cohort'] as const,
};
