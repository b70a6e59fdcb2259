import { PostgrestError } from '@supabase/supabase-js';

/**
 * Turns any thrown value into a sentence a student can act on. Details stay in the console/devtools;
 * the UI never shows stack traces or raw SQL messages.
 */
export function getErrorMessage(error: unknown): string {
  // fetch() rejects with a TypeError when the request never got an answer (offline, DNS, CORS, server down).
  if (error instanceof TypeError && /fetch|network|load failed/i.test(error.message)) {
    return "Can't reach Rounds right now — check your connection and try again.";
  }
  if (error instanceof PostgrestError) {
    if (error.code === 'PGRST301' || error.code === 'PGRST303') {
      return 'Your session has expired — sign in again.';
    }
    return 'The server could not load this — try again in a moment.';
  }
  return 'Something went wrong — try again.';
}
