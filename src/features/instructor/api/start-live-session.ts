import { mutationOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import type { LiveSessionInsert } from '@/features/instructor/model/live-draft';
import { getOpenLiveSessionQueryOptions, openLiveSessionSchema, type OpenLiveSession } from './get-open-live-session';
import { instructorMutationKeys } from './keys';

const duplicateKey = z.object({ code: z.literal('23505') });

/**
 * Starts a live session: inserts it with the id the form made (RLS: the cohort's instructor; the server
 * checks the questions, one open session per cohort — "This cohort already has a live session running."
 * — and rate-limits). Idempotent as createAssignment: a retry whose first send got through reads it back.
 */
export async function startLiveSession(row: LiveSessionInsert): Promise<OpenLiveSession> {
  try {
    const { data } = await supabase.from('live_sessions').insert(row).select('id, title, created_at').single().throwOnError();
    return openLiveSessionSchema.parse(data);
  } catch (error) {
    if (!duplicateKey.safeParse(error).success) throw error;
    const { data } = await supabase.from('live_sessions').select('id, title, created_at').eq('id', row.id).maybeSingle().throwOnError();
    if (data === null) throw error;
    return openLiveSessionSchema.parse(data);
  }
}

/**
 * The start form shows a refusal in place, in the server's words, and re-reads the cohort's running
 * session (another tab may have started one: the form then offers its host screen). On success the form
 * opens the host screen; the cohort page re-reads the running session when it shows again.
 */
export function startLiveSessionMutationOptions() {
  return mutationOptions({
    mutationKey: instructorMutationKeys.startLiveSession,
    mutationFn: startLiveSession,
    networkMode: 'online',
    retry: false,
    meta: { errorMessage: 'The session did not start.', errorInline: true, serverWording: true },
    onError: async (_error, row, _onMutateResult, { client }) => {
      await client.invalidateQueries({ queryKey: getOpenLiveSessionQueryOptions(row.cohort_id).queryKey, exact: true });
    },
  });
}
