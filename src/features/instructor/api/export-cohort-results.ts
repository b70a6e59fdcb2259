import { mutationOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { fetchAllRows } from '@/lib/paging';
import { instructorMutationKeys } from './keys';

const resultSchema = z.object({
  user_id: z.string().uuid(),
  display_name: z.string(),
  email: z.string(),
  joined_at: z.string(),
  answered: z.coerce.number().int(),
  correct: z.coerce.number().int(),
  accuracy: z.coerce.number().nullable(),
  by_system: z.record(
    z.string(),
    z.object({ answered: z.coerce.number().int(), correct: z.coerce.number().int(), accuracy: z.coerce.number() }),
  ),
});
export type CohortResult = z.infer<typeof resultSchema>;

/** One row per member with totals and accuracy per organ system (instructor only). */
export async function exportCohortResults(cohortId: string): Promise<CohortResult[]> {
  const rows = await fetchAllRows((from, to) => supabase.rpc('export_cohort_results', { p_cohort_id: cohortId }).range(from, to).throwOnError());
  return z.array(resultSchema).parse(rows);
}

/**
 * Exporting a cohort's results as CSV text (the caller offers it as a download). Not a change on the
 * server, but an action the user starts and may see fail, so it is shown as writes are. The CSV writer
 * (papaparse) is loaded here, on use, so it never weighs on a student's bundle.
 */
export function exportCohortResultsMutationOptions() {
  return mutationOptions({
    mutationKey: instructorMutationKeys.exportCohortResults,
    mutationFn: async (cohortId: string) => {
      const [rows, { toResultsCsv }] = await Promise.all([exportCohortResults(cohortId), import('@/features/instructor/model/results-csv')]);
      return toResultsCsv(rows);
    },
    meta: { errorMessage: 'The results could not be exported.' },
  });
}
