/** Mutation keys of the auth feature. Sign-in and sign-up have none: they are not mutations (see auth-handoff.ts). */
export const authMutationKeys = {
  signOut: ['auth', 'sign-out'] as const,
};
