import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { fetchAllRows } from '@/lib/paging';
import { instructorKeys } from './keys';

const cellSchema = z.object({
  user_id: z.string().uuid(),
  display_name: z.string(),
  organ_system: z.string(),
  answered: z.coerce.number().int(),
  correct: z.coerce.number().int(),
  accuracy: z.coerce.number(),
});

/** Every member's accuracy per organ system, over all their answers (what the student sees too). */
export function getStudentSystemAccuracyQueryOptions(cohortId: string) {
  return queryOptions({
    meta: { persist: false },
    queryKey: instructorKeys.systemAccuracy(cohortId),
    queryFn: async ({ signal }) => {
      const data = await fetchAllRows((from, to) =>
        supabase.rpc('get_student_system_accuracy', { p_cohort_id: cohortId }).range(from, to).abortSignal(signal).throwOnError(),
      );
      return z.array(cellSchema).parse(data);
    },
    // Same reasoning as item statistics: an on-demand aggregate read for trends, not for the minute.
    staleTime: 5 * 60 * 1000,
  });
}
