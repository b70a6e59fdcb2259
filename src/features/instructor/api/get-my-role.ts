import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { instructorKeys } from './keys';

const roleSchema = z.object({ role: z.enum(['student', 'instructor']) });
export type Role = z.infer<typeof roleSchema>['role'];

/**
 * The signed-in user's role, for showing instructor navigation. Only a hint for the UI: every instructor
 * operation is checked again by RLS and the RPCs' instructor checks.
 */
export function getMyRoleQueryOptions() {
  return queryOptions({
    queryKey: instructorKeys.role(),
    queryFn: async ({ signal }) => {
      const { data: auth } = await supabase.auth.getSession();
      const id = auth.session?.user.id;
      if (!id) return 'student' satisfies Role;
      const { data } = await supabase.from('profiles').select('role').eq('id', id).abortSignal(signal).single().throwOnError();
      return roleSchema.parse(data).role;
    },
    // Only an administrator changes a role (the column is not writable through the API); a session
    // change (sign-out) clears the cache.
    staleTime: Infinity,
  });
}
