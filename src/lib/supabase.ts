/**
 * The one Supabase client of the app. Configuration is read at build time (Vite inlines
 * `import.meta.env`), so a bundle talks to exactly the API it was built for.
 */
import { createClient } from '@supabase/supabase-js';
import { z } from 'zod';
import { authStorageKey, DEFAULT_SUPABASE_URL, DEMO_ANON_KEY } from '@/lib/supabase-defaults';
import { supabaseClientOptions } from '@/lib/network/supabase-client-options';
import type { Database } from '@/lib/database.types';

const envSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: 'VITE_SUPABASE_URL must be an http(s) URL' }),
  anonKey: z.string().min(1, 'VITE_SUPABASE_ANON_KEY must not be empty'),
});

// Fails at start-up with a readable message rather than with opaque network errors on the first request.
const env = envSchema.parse({
  url: import.meta.env.VITE_SUPABASE_URL ?? DEFAULT_SUPABASE_URL,
  anonKey: import.meta.env.VITE_SUPABASE_ANON_KEY ?? DEMO_ANON_KEY,
});

// Every request (REST and auth) goes through the one network layer: throttle, timeout, circuit breaker.
// Retries happen only in React Query (postgrest-js's own are switched off there).
// Typed by the generated schema (npm run gen): a renamed column or RPC argument is a compile error.
export const supabase = createClient<Database>(env.url, env.anonKey, {
  ...supabaseClientOptions,
  auth: {
    persistSession: true,
    // The entry checks this key before loading supabase-js (src/lib/stored-session.ts).
    storageKey: authStorageKey(env.url),
    autoRefreshToken: true,
    // Password sign-in only: no OAuth or magic-link redirects land on this app yet.
    detectSessionInUrl: false,
  },
});

/** The API's base URL, for keys that must not depend on a signed URL's token (question-media-cache.ts). */
export const supabaseUrl = env.url;
