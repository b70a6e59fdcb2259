import { isAuthApiError, isAuthRetryableFetchError } from '@supabase/supabase-js';
import { supabase } from '@/lib/supabase';
import { MIN_PASSWORD_LENGTH } from '@/features/auth/password-rules';

export interface SignUpInput {
  displayName: string;
  email: string;
  password: string;
}

/**
 * Creates a student account. With email confirmation off (autoconfirm) the response carries a session
 * and auth-js emits SIGNED_IN, which moves the app to home; `needsConfirmation` covers a server that
 * confirms by email instead. Rejects with the AuthError so the form can branch on its code.
 */
export async function signUp({ displayName, email, password }: SignUpInput): Promise<{ needsConfirmation: boolean }> {
  const { data, error } = await supabase.auth.signUp({
    email,
    password,
    // The profile trigger (private.handle_new_user) reads display_name from the user metadata.
    options: { data: { display_name: displayName } },
  });
  if (error) throw error;
  return { needsConfirmation: data.session === null };
}

/** What went wrong, by GoTrue error code, and what to do about it. `signInInstead` asks the form for a sign-in link. */
export function getSignUpError(error: unknown): { message: string; signInInstead?: boolean } {
  if (isAuthApiError(error)) {
    if (error.status === 429 || error.code === 'over_request_rate_limit') {
      return { message: 'Too many sign-up attempts from this network — wait a few minutes and try again' };
    }
    switch (error.code) {
      case 'user_already_exists':
      case 'email_exists':
        return { message: 'An account with this email already exists — sign in instead', signInInstead: true };
      case 'weak_password':
        return { message: `That password is too weak — use at least ${MIN_PASSWORD_LENGTH} characters` };
      case 'email_address_invalid':
      case 'validation_failed':
        return { message: 'Enter a valid email address, like name@school.edu' };
      case 'signup_disabled':
        return { message: 'New accounts are not open right now — ask your instructor' };
    }
  }
  if (isAuthRetryableFetchError(error)) {
    return { message: "Can't reach Rounds right now — check your connection and try again" };
  }
  return { message: 'Your account could not be created — try again' };
}
