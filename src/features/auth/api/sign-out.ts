import { supabase } from '@/lib/supabase';

/** Ends this device's session only: signing out on a shared library PC must not sign the phone out too. */
export async function signOut(): Promise<void> {
  const { error } = await supabase.auth.signOut({ scope: 'local' });
  if (error) throw error;
}
