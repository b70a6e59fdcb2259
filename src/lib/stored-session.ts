/**
 * Whether this device holds a session, read synchronously and without supabase-js: the entry uses it to
 * choose between the signed-out start (the sign-in page, no supabase-js, React Query or app code) and the
 * full app (src/main.tsx, docs/decisions/011-signed-out-start.md). A stored session may still turn out to
 * be expired or revoked; the full app handles that (auth-js refreshes it or reports no session).
 */
import type { Session } from '@supabase/supabase-js';
import { authStorageKey, DEFAULT_SUPABASE_URL } from '@/lib/supabase-defaults';

/** The session as auth-js stored it (a JSON string), or null. */
function storedSessionJson(): string | null {
  return window.localStorage.getItem(authStorageKey(import.meta.env.VITE_SUPABASE_URL ?? DEFAULT_SUPABASE_URL));
}

export function hasStoredSession(): boolean {
  try {
    return storedSessionJson() !== null;
  } catch {
    // Storage blocked or a malformed URL: let the full app decide (src/lib/supabase.ts reports a bad URL).
    return true;
  }
}

/**
 * The user id of the stored session, or null (none, unreadable, or not auth-js's shape). The persisted
 * query cache is stamped with it (src/lib/persist.ts): rows read under one user's RLS are never
 * restored for another.
 */
export function storedUserId(): string | null {
  try {
    const raw = storedSessionJson();
    const session: unknown = raw === null ? null : JSON.parse(raw);
    if (typeof session !== 'object' || session === null || !('user' in session)) return null;
    const { user } = session;
    return typeof user === 'object' && user !== null && 'id' in user && typeof user.id === 'string' ? user.id : null;
  } catch {
    return null;
  }
}

/**
 * The stored session itself when its access token has expired, else null. auth-js refreshes such a
 * session before reporting it, which needs the network: offline it retries for about 30 s and then reports
 * no session at all (while keeping it in storage, because the failure was the network's). The student has
 * not signed out, so the app carries on with this one (src/features/auth/use-session.ts): offline it is
 * enough to know who they are, requests wait for a fresh token (src/answer-sync/outbox.ts), and auth-js
 * replaces it once it can refresh (or reports SIGNED_OUT if the refresh token was revoked).
 */
export function expiredStoredSession(): Session | null {
  try {
    const raw = storedSessionJson();
    const session: unknown = raw === null ? null : JSON.parse(raw);
    if (typeof session !== 'object' || session === null) return null;
    if (!('access_token' in session) || typeof session.access_token !== 'string') return null;
    if (!('expires_at' in session) || typeof session.expires_at !== 'number') return null;
    if (storedUserId() === null || session.expires_at * 1000 > Date.now()) return null;
    return session as Session;
  } catch {
    return null;
  }
}

/**
 * The session to go by after an auth event: auth-js's, or — when it reports none without saying
 * SIGNED_OUT (it could not refresh for want of a network; a refused refresh removes the session and says
 * SIGNED_OUT) — the expired stored one, whose student is still signed in.
 */
export function sessionAfter(event: string, session: Session | null): Session | null {
  return session ?? (event === 'SIGNED_OUT' ? null : expiredStoredSession());
}
