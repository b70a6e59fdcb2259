/**
 * The signed-in user's id, known synchronously. Offline mutations are stamped with it when they are
 * created, so they are only ever sent under that user's session (see lib/outbox/outbox.ts).
 */
import { supabase } from '@/lib/supabase';

let currentUserId: string | null = null;

supabase.auth.onAuthStateChange((_event, session) => {
  // Synchronous only: auth-js holds a lock while callbacks run.
  currentUserId = session?.user.id ?? null;
});

export function getCurrentUserId(): string | null {
  return currentUserId;
}
