import { queryOptions } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase';
import { liveSnapshotSchema } from '../model/protocol';
import { liveKeys } from './keys';

/**
 * A live session as the server has it now (get_live_session): read when a device joins, rejoins,
 * reconnects, and every few seconds while Realtime is unavailable; Broadcast messages update it between.
 */
export function getLiveSessionQueryOptions(id: string) {
  return queryOptions({
    queryKey: liveKeys.session(id),
    queryFn: async ({ signal }) => {
      const { data } = await supabase.rpc('get_live_session', { p_session_id: id }).abortSignal(signal).throwOnError();
      return liveSnapshotSchema.parse(data);
    },
    // Live state: stale at once (the messages and the re-reads on rejoin keep it current), never worth
    // keeping after the session (not persisted for offline: a live session needs the network).
    staleTime: 0,
    gcTime: 5 * 60 * 1000,
    meta: { persist: false },
  });
}
