import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { instructorKeys } from './keys';

const reason = z.enum(['inactive', 'never_active', 'low_accuracy']);
export type AtRiskReason = z.infer<typeof reason>;
const atRiskSchema = z.object({
  total: z.number().int(),
  inactive: z.number().int(),
  low_accuracy: z.number().int(),
  /** Members with at least 50 first answers: the decile rule applies once 10 qualify. */
  qualified: z.number().int(),
  accuracy_threshold: z.coerce.number().nullable(),
  students: z.array(
    z.object({
      user_id: z.string().uuid(),
      display_name: z.string(),
      joined_at: z.string(),
      last_active_at: z.string().nullable(),
      answered: z.number().int(),
      correct: z.number().int(),
      reasons: z.array(reason),
    }),
  ),
});

/** The first `limit` students at risk (decision 022), most urgent first (instructor only). */
export function getCohortStudentsAtRiskQueryOptions(cohortId: string, limit: number) {
  return queryOptions({
    meta: { persist: false },
    queryKey: instructorKeys.studentsAtRisk(cohortId, limit),
    queryFn: async ({ signal }) => {
      const { data } = await supabase
        .rpc('get_cohort_students_at_risk', { p_cohort_id: cohortId, p_limit: limit, p_offset: 0 })
        .abortSignal(signal)
        .throwOnError();
      return atRiskSchema.parse(data);
    },
    // "Inactive for 7 days" moves by the day; a few minutes is fresh enough.
    staleTime: 5 * 60 * 1000,
  });
}
