import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Session } from '@supabase/supabase-js';
import { supabase } from '@/lib/supabase';
import { expiredStoredSession, sessionAfter } from '@/lib/stored-session';
import { writeFailureNotice } from '@/lib/query-client';

/** The latest session known outside React: a (re)mounted `useSession` starts from it. */
let stored: Session | null | undefined;

/**
 * Reads the session the client keeps in storage (auth-js restores it, refreshing an expired token once).
 * The app's first paint waits for it (src/app/first-paint.tsx), so it never paints signed-out chrome or a
 * "Loading…" that the session replaces a moment later. Never rejects.
 */
export async function readStoredSession(): Promise<void> {
  // An expired token: auth-js would hold the first paint while it refreshes — offline for ~30 s, then
  // report no session and send the student to sign-in, on the train, the morning after. Start with the
  // stored one; auth-js refreshes it in the background when it can (docs/offline-outbox.md).
  const expired = expiredStoredSession();
  if (expired) {
    stored = expired;
    return;
  }
  try {
    const { data } = await supabase.auth.getSession();
    stored = data.session;
  } catch {
    // onAuthStateChange (useSession) reports the outcome instead.
  }
}

/** Same user with the same token: nothing a consumer could render differently. */
function sameSession(a: Session | null | undefined, b: Session | null): boolean {
  if (a === undefined) return false;
  if (a === null || b === null) return a === b;
  return a.access_token === b.access_token && a.user.id === b.user.id;
}

/**
 * The current session as reported by `onAuthStateChange`: `undefined` until the client has read its
 * storage (the INITIAL_SESSION event, or `readStoredSession` before the first render), then a Session or
 * `null`.
 */
export function useSession(): Session | null | undefined {
  const queryClient = useQueryClient();
  const [session, setSession] = useState<Session | null | undefined>(() => stored);

  useEffect(() => {
    const { data } = supabase.auth.onAuthStateChange((event, next) => {
      // Only synchronous work here: auth-js holds a lock while it runs callbacks, and awaiting another
      // supabase call inside one deadlocks.
      // INITIAL_SESSION repeats what readStoredSession found; re-rendering the app for it would only
      // redo the first render's work (a long task on a phone).
      // No session but still one in storage (offline, expired): the student is still signed in.
      const effective = sessionAfter(event, next);
      stored = effective;
      setSession((current) => (sameSession(current, effective) ? current : effective));
      // Cached rows were fetched under the previous user's RLS; the next user must not see them. The
      // mutation cache is kept: it holds answers still waiting to sync, which wait for their own user to
      // sign in again (the outbox never sends them under anyone else's session). A failed write's notice
      // was about the previous user's data too.
      if (event === 'SIGNED_OUT') {
        queryClient.getQueryCache().clear();
        writeFailureNotice.set(null);
      }
    });
    return () => data.subscription.unsubscribe();
  }, [queryClient]);

  return session;
}
