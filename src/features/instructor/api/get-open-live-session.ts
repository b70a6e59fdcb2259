import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { instructorKeys } from './keys';

export const openLiveSessionSchema = z.object({ id: z.uuid(), title: z.string(), created_at: z.string() });
export type OpenLiveSession = z.infer<typeof openLiveSessionSchema>;

/** The cohort's running live session, or null (one at a time per cohort; RLS: its instructor and members). */
export function getOpenLiveSessionQueryOptions(cohortId: string) {
  return queryOptions({
    queryKey: instructorKeys.openLiveSession(cohortId),
    queryFn: async ({ signal }) => {
      const { data } = await supabase
        .from('live_sessions')
        .select('id, title, created_at')
        .eq('cohort_id', cohortId)
        .eq('status', 'open')
        .abortSignal(signal)
        .maybeSingle()
        .throwOnError();
      return openLiveSessionSchema.nullable().parse(data);
    },
    // A session ends on the host screen (the live feature's cache), so this is re-read whenever the
    // cohort page shows it. Not kept offline: a live session needs the network.
    staleTime: 0,
    meta: { persist: false },
  });
}
