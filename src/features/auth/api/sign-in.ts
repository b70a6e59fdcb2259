import { isAuthApiError, isAuthRetryableFetchError } from '@supabase/supabase-js';
import { supabase } from '@/lib/supabase';

export interface SignInInput {
  email: string;
  password: string;
}

/** Password sign-in. Rejects with the AuthError so the form can branch on its code. */
export async function signIn({ email, password }: SignInInput): Promise<void> {
  const { error } = await supabase.auth.signInWithPassword({ email, password });
  if (error) throw error;
}

/** Maps GoTrue error codes (`error.code`, API version 2024-01-01) to what the student should do next. */
export function getSignInErrorMessage(error: unknown): string {
  if (isAuthApiError(error)) {
    if (error.status === 429 || error.code === 'over_request_rate_limit') {
      return 'Too many attempts — wait a few minutes';
    }
    switch (error.code) {
      case 'invalid_credentials':
        return 'Email or password is incorrect';
      case 'email_not_confirmed':
        return 'Confirm your email address first — check your inbox';
      case 'user_banned':
        return 'This account is suspended — contact your instructor';
      case 'validation_failed':
        return 'Enter a valid email address and password';
    }
  }
  // Network failures and 502–504 from a gateway: nothing wrong with what the student typed.
  if (isAuthRetryableFetchError(error)) {
    return "Can't reach Rounds right now — check your connection and try again";
  }
  return 'Sign-in failed — try again';
}
