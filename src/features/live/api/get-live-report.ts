import { queryOptions } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase';
import { liveReportSchema } from '../model/protocol';
import { liveKeys } from './keys';

/** The instructor's report of a session: every shown question's results and every participant's answers. */
export function getLiveReportQueryOptions(id: string) {
  return queryOptions({
    queryKey: liveKeys.report(id),
    queryFn: async ({ signal }) => {
      const { data } = await supabase.rpc('get_live_report', { p_session_id: id }).abortSignal(signal).throwOnError();
      return liveReportSchema.parse(data);
    },
    // Final once the session ended; while it runs the host screen re-reads it at the end.
    staleTime: 30 * 1000,
  });
}
