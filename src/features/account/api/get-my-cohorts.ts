import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { accountKeys } from './keys';

const cohortSchema = z.object({ id: z.string().uuid(), name: z.string() });

/**
 * The cohorts the caller can see, which RLS limits to the ones they belong to (or, for an instructor,
 * run). Join codes are not selected: a student has no use for them once joined.
 */
export function getMyCohortsQueryOptions() {
  return queryOptions({
    queryKey: accountKeys.cohorts(),
    queryFn: async ({ signal }) => {
      const { data } = await supabase.from('cohorts').select('id, name').order('name').abortSignal(signal).throwOnError();
      return z.array(cohortSchema).parse(data);
    },
    // Changes when the student joins (which invalidates it) or an instructor removes them (rare).
    staleTime: 10 * 60 * 1000,
  });
}
