/**
 * The createClient options that route supabase-js through the network layer. Wire in src/lib/supabase.ts:
 *
 *   createClient(env.url, env.anonKey, { ...supabaseClientOptions, auth: { … } })
 *
 * (If that file ever sets `global` or `db` itself, merge the objects instead of spreading over them.)
 */
import type { SupabaseClientOptions } from '@supabase/supabase-js';
import { networkFetch } from '@/lib/network/network-fetch';

export const supabaseClientOptions = {
  /** REST and auth both send through networkFetch (throttle, timeout, breaker). */
  global: { fetch: networkFetch },
  db: {
    /**
     * postgrest-js ≥ 2.102 retries GET/HEAD itself on 503/520 and network errors (up to 3 times),
     * which would stack under React Query's retries and feed the breaker 4 failures per attempt.
     * supabase-js passes `db.retry` to `new PostgrestClient(..., { retry: settings.db.retry })`, and each
     * builder runs `fetchWithRetry(..., this.retryEnabled)` with `retryEnabled = builder.retry ?? true`.
     * No `db.timeout` either: networkFetch owns the timeout.
     */
    retry: false,
  },
} satisfies SupabaseClientOptions<'public'>;
