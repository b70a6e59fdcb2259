/**
 * The signed-in user's id, known synchronously. Offline mutations are stamped with it when they are
 * created, so they are only ever sent under that user's session (see src/answer-sync/outbox.ts).
 */
import { supabase } from '@/lib/supabase';
import { expiredStoredSession, sessionAfter } from '@/lib/stored-session';

let currentUserId: string | null = expiredStoredSession()?.user.id ?? null;

supabase.auth.onAuthStateChange((event, session) => {
  // Synchronous only: auth-js holds a lock while callbacks run. An expired session auth-js could not
  // refresh offline is still this student's (src/lib/stored-session.ts): what they answer now is theirs.
  currentUserId = sessionAfter(event, session)?.user.id ?? null;
});

export function getCurrentUserId(): string | null {
  return currentUserId;
}

/**
 * The signed-in user's id for a read that means "mine". RLS also returns a cohort's rows to its
 * instructor, so such reads filter `user_id = me` themselves; this is the `me`. Reads run only while
 * signed in; the session is read from storage if the auth event has not arrived yet.
 */
export async function requireCurrentUserId(): Promise<string> {
  const id = currentUserId ?? expiredStoredSession()?.user.id ?? (await supabase.auth.getSession()).data.session?.user.id;
  if (!id) throw new Error('Sign in to see your own blocks and answers.');
  return id;
}
