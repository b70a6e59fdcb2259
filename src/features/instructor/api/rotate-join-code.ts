import { mutationOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { getInstructedCohortQueryOptions, type InstructedCohort } from './get-instructed-cohorts';
import { instructorKeys, instructorMutationKeys } from './keys';

/** Replaces the cohort's join code; the old one stops working at once, members stay. */
export async function rotateJoinCode(cohortId: string): Promise<string> {
  const { data } = await supabase.rpc('rotate_join_code', { p_cohort_id: cohortId }).throwOnError();
  return z.string().parse(data);
}

/** Rotating a cohort's code (the variables are the cohort as shown): its cached row gets the new code. */
export function rotateJoinCodeMutationOptions() {
  return mutationOptions({
    mutationKey: instructorMutationKeys.rotateJoinCode,
    mutationFn: (cohort: InstructedCohort) => rotateJoinCode(cohort.id),
    meta: { errorMessage: 'The join code was not changed.' },
    onSuccess: async (code, cohort, _onMutateResult, { client }) => {
      const rotated: InstructedCohort = { ...cohort, join_code: code };
      client.setQueryData(getInstructedCohortQueryOptions(cohort.id).queryKey, rotated);
      await client.invalidateQueries({ queryKey: instructorKeys.cohorts(), exact: true });
    },
  });
}
