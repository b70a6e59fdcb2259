import { QueryClient } from '@tanstack/react-query';
import { PostgrestError } from '@supabase/supabase-js';

/** Hours → milliseconds, for readable cache lifetimes. */
const hours = (n: number): number => n * 60 * 60 * 1000;

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Default for data without its own reason: most of what a student reads (bank, own history)
      // changes only through their own actions or an instructor publishing, so a minute avoids refetch
      // storms on focus/remount while still feeling live. Each queryOptions overrides with its reason.
      staleTime: 60 * 1000,
      // Kept a day so a cache restored by the (upcoming) persister survives; must be ≥ the persister's maxAge.
      gcTime: hours(24),
      // Run the fetch even when the browser claims to be offline: the service worker may answer from its
      // cache, and navigator.onLine is unreliable (see docs/field-notes.md §0.7).
      networkMode: 'offlineFirst',
      retry: (failureCount, error) => {
        // A PostgrestError is the server's definite answer (RLS, bad filter, …); retrying cannot change it.
        // postgrest-js already retries 503/520 itself. Network failures get two more tries.
        if (error instanceof PostgrestError) return false;
        return failureCount < 2;
      },
    },
  },
});
