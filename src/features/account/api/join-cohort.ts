import { mutationOptions, type QueryKey } from '@tanstack/react-query';
import { z } from 'zod';
import { normaliseJoinCode } from '@/features/account/model/join-code';
import { supabase } from '@/lib/supabase';
import { accountKeys, accountMutationKeys } from './keys';

const joinedSchema = z.object({ id: z.string().uuid(), name: z.string() });
export type JoinedCohort = z.infer<typeof joinedSchema>;

/** Joins by code; idempotent on the server, so joining twice just answers with the cohort again. */
export async function joinCohort(code: string): Promise<JoinedCohort> {
  const { data } = await supabase.rpc('join_cohort', { code: normaliseJoinCode(code) }).throwOnError();
  return joinedSchema.parse(data);
}

/**
 * Joining a cohort. Membership changes the caller's cohorts, and what other features derive from it
 * (stats, percentiles): the app names those reads in `alsoInvalidates`, through their key factories,
 * since this feature does not know them. The form shows failures itself: join_cohort words its refusals
 * for students ("No cohort has the join code …").
 */
export function joinCohortMutationOptions(alsoInvalidates: readonly QueryKey[] = []) {
  return mutationOptions({
    mutationKey: accountMutationKeys.joinCohort,
    mutationFn: joinCohort,
    meta: { errorInline: true, serverWording: true },
    onSuccess: (_cohort, _code, _onMutateResult, { client }) =>
      Promise.all([accountKeys.cohorts(), ...alsoInvalidates].map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}
