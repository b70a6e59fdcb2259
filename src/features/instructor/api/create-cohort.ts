import { mutationOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { getInstructedCohortQueryOptions, INSTRUCTED_COHORT_COLUMNS, instructedCohortSchema, type InstructedCohort } from './get-instructed-cohorts';
import { instructorKeys, instructorMutationKeys } from './keys';

export const cohortNameSchema = z.string().trim().min(1, 'Enter a name for the cohort').max(120, 'Keep the name under 120 characters');

/** Creates a cohort the caller runs; the server generates its join code. */
export async function createCohort(name: string): Promise<InstructedCohort> {
  const { data } = await supabase
    .from('cohorts')
    .insert({ name: cohortNameSchema.parse(name) })
    .select(INSTRUCTED_COHORT_COLUMNS)
    .single()
    .throwOnError();
  return instructedCohortSchema.parse(data);
}

/** Creating a cohort: its page is ready at once from the answer, and the list refetches with it. */
export function createCohortMutationOptions() {
  return mutationOptions({
    mutationKey: instructorMutationKeys.createCohort,
    mutationFn: createCohort,
    meta: { errorInline: true },
    onSuccess: async (cohort, _name, _onMutateResult, { client }) => {
      client.setQueryData(getInstructedCohortQueryOptions(cohort.id).queryKey, cohort);
      await client.invalidateQueries({ queryKey: instructorKeys.cohorts(), exact: true });
    },
  });
}
