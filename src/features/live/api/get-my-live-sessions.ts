import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { myLiveSessionSchema } from '../model/protocol';
import { liveKeys } from './keys';

/** Live sessions running now in the student's own cohorts (what "Live session — Join" offers). */
export function getMyLiveSessionsQueryOptions() {
  return queryOptions({
    queryKey: liveKeys.mine(),
    queryFn: async ({ signal }) => {
      const { data } = await supabase.rpc('get_my_live_sessions').abortSignal(signal).throwOnError();
      return z.array(myLiveSessionSchema).parse(data);
    },
    // The cohort topics' 'live' messages refresh it within a second; without Realtime a minute-old list
    // is fine (the instructor also says it out loud in class). Not kept offline: live needs the network.
    staleTime: 60 * 1000,
    meta: { persist: false },
  });
}
