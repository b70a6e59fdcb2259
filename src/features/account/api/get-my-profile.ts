import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { accountKeys } from './keys';

export const profileSchema = z.object({
  id: z.string().uuid(),
  display_name: z.string(),
  leaderboard_alias: z.string().nullable(),
  leaderboard_opt_out: z.boolean(),
  /** What spaced review aims for: the chance the student still knows a card when it comes back. */
  desired_retention: z.number().min(0.7).max(0.97),
});
export type Profile = z.infer<typeof profileSchema>;

export const PROFILE_COLUMNS = 'id, display_name, leaderboard_alias, leaderboard_opt_out, desired_retention';

/** The signed-in user's id from the stored session (no request unless the token needs a refresh). */
export async function getMyUserId(): Promise<string> {
  const { data, error } = await supabase.auth.getSession();
  if (error) throw error;
  if (!data.session) throw new Error('No session: the settings page is only reachable signed in');
  return data.session.user.id;
}

/** The caller's own profile. Filtered by id: instructors can also read their students' rows under RLS. */
export function getMyProfileQueryOptions() {
  return queryOptions({
    queryKey: accountKeys.profile(),
    queryFn: async ({ signal }) => {
      const id = await getMyUserId();
      const { data } = await supabase.from('profiles').select(PROFILE_COLUMNS).eq('id', id).abortSignal(signal).single().throwOnError();
      return profileSchema.parse(data);
    },
    // Only this user edits it, and a save writes the returned row into the cache.
    staleTime: Infinity,
  });
}
