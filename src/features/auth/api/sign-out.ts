import { mutationOptions } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase';
import { authMutationKeys } from './keys';

/** Ends this device's session only: signing out on a shared library PC must not sign the phone out too. */
export async function signOut(): Promise<void> {
  const { error } = await supabase.auth.signOut({ scope: 'local' });
  if (error) throw error;
}

/**
 * Signing out. Nothing to invalidate here: auth-js's SIGNED_OUT event clears the cached rows
 * (src/features/auth/use-session.ts). A failure gets the app-level notice.
 */
export function signOutMutationOptions() {
  return mutationOptions({
    mutationKey: authMutationKeys.signOut,
    mutationFn: signOut,
    meta: { errorMessage: "Couldn't sign out." },
  });
}
