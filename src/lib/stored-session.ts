/**
 * Whether this device holds a session, read synchronously and without supabase-js: the entry uses it to
 * choose between the signed-out start (the sign-in page, no supabase-js, React Query or app code) and the
 * full app (src/main.tsx, docs/decisions/011-signed-out-start.md). A stored session may still turn out to
 * be expired or revoked; the full app handles that (auth-js refreshes it or reports no session).
 */
import { authStorageKey, DEFAULT_SUPABASE_URL } from '@/lib/supabase-defaults';

export function hasStoredSession(): boolean {
  try {
    return window.localStorage.getItem(authStorageKey(import.meta.env.VITE_SUPABASE_URL ?? DEFAULT_SUPABASE_URL)) !== null;
  } catch {
    // Storage blocked or a malformed URL: let the full app decide (src/lib/supabase.ts reports a bad URL).
    return true;
  }
}
