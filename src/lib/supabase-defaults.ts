/**
 * Where the app looks for its API when no VITE_SUPABASE_* variable is set: the local server from
 * supabase/local. Kept free of `import.meta.env` and browser globals so vite.config.ts and the Node
 * scripts can read the same values the bundle falls back to.
 */

export const DEFAULT_SUPABASE_URL = 'http://127.0.0.1:54321';

/**
 * The Supabase CLI's public demo anon key (the same value as DEMO_ANON_KEY in supabase/local/config.ts,
 * copied because that module reads files with node:fs and cannot enter the browser bundle). It only
 * works against local servers signed with the demo JWT secret, so shipping it is harmless.
 */
export const DEMO_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';

/**
 * Where auth-js keeps the session in localStorage: its own default for this URL (`sb-<first label of the
 * host>-auth-token`), set explicitly (src/lib/supabase.ts) because the entry reads it without loading
 * supabase-js (src/lib/stored-session.ts) and must not drift from a library default.
 */
export function authStorageKey(supabaseUrl: string): string {
  return `sb-${new URL(supabaseUrl).hostname.split('.')[0]}-auth-token`;
}
