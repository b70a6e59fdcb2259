import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { fetchAllRows } from '@/lib/paging';

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
