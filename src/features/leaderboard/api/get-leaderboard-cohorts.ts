import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { leaderboardKeys } from './keys';

const cohortSchema = z.object({ id: z.string().uuid(), name: z.string(), instructor_id: z.string().uuid() });

export interface LeaderboardCohort {
  id: string;
  name: string;
  /** The caller runs this cohort: they watch its board (real names, everyone) rather than being on it. */
  isInstructor: boolean;
}

/**
 * The cohorts whose boards the caller may open: RLS on cohorts returns exactly the ones they belong to or
 * run. `instructor_id` tells the board whether the caller is on it (students) or watching it (instructor).
 */
export function getLeaderboardCohortsQueryOptions() {
  return queryOptions({
    queryKey: leaderboardKeys.cohorts(),
    queryFn: async ({ signal }) => {
      const [{ data }, { data: auth }] = await Promise.all([
        supabase.from('cohorts').select('id, name, instructor_id').order('name').abortSignal(signal).throwOnError(),
        supabase.auth.getSession(),
      ]);
      const me = auth.session?.user.id;
      return z
        .array(cohortSchema)
        .parse(data)
        .map((c): LeaderboardCohort => ({ id: c.id, name: c.name, isInstructor: c.instructor_id === me }));
    },
    // Membership changes rarely (joining a cohort happens on another page, which remounts this one).
    staleTime: 10 * 60 * 1000,
  });
}
