import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { INSTRUCTED_COHORT_COLUMNS, instructedCohortSchema, type InstructedCohort } from './get-instructed-cohorts';

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
