import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Session } from '@supabase/supabase-js';
import { supabase } from '@/lib/supabase';

/**
 * The current session as reported by `onAuthStateChange`: `undefined` until the client has read its
 * storage (the INITIAL_SESSION event), then a Session or `null`.
 */
export function useSession(): Session | null | undefined {
  const queryClient = useQueryClient();
  const [session, setSession] = useState<Session | null | undefined>(undefined);

  useEffect(() => {
    const { data } = supabase.auth.onAuthStateChange((event, next) => {
      // Only synchronous work here: auth-js holds a lock while it runs callbacks, and awaiting another
      // supabase call inside one deadlocks.
      setSession(next);
      // Cached rows were fetched under the previous user's RLS; the next user must not see them. The
      // mutation cache is kept: it holds answers still waiting to sync, which wait for their own user to
      // sign in again (the outbox never sends them under anyone else's session).
      if (event === 'SIGNED_OUT') queryClient.getQueryCache().clear();
    });
    return () => data.subscription.unsubscribe();
  }, [queryClient]);

  return session;
}
