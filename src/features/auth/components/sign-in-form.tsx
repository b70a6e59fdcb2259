import { useId, useState, type FormEvent } from 'react';
import { APP_CODE_UNREACHABLE, AUTH_CODE_UNREACHABLE, useAuthHandoff, useWarmUp, type AuthFormState } from '@/features/auth/auth-handoff';
import { useHydrated } from '@/lib/hydration';

// supabase-js comes with this module: loaded when the visitor starts on the form, not with the page.
const loadSignIn = () => import('@/features/auth/api/sign-in');

export function SignInForm() {
  const errorId = useId();
  const handoff = useAuthHandoff();
  const hydrated = useHydrated();
  const { formRef, warmUp } = useWarmUp(loadSignIn);
  const [state, setState] = useState<AuthFormState>({ status: 'idle' });

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = form.get('email');
    const password = form.get('password');
    if (typeof email !== 'string' || typeof password !== 'string' || state.status === 'pending') return;
    setState({ status: 'pending' });
    let api: Awaited<ReturnType<typeof loadSignIn>> | undefined;
    try {
      api = await loadSignIn();
      await api.signIn({ email: email.trim(), password });
    } catch (error) {
      setState({ status: 'error', message: api ? api.getSignInErrorMessage(error) : AUTH_CODE_UNREACHABLE });
      return;
    }
    // Inside the full app auth-js's SIGNED_IN event takes over; from the signed-out start, this does.
    await handoff?.signedIn().catch(() => setState({ status: 'error', message: APP_CODE_UNREACHABLE }));
  }

  const errorMessage = state.status === 'error' ? state.message : undefined;

  return (
    <form ref={formRef} className="card stack" onSubmit={(e) => void handleSubmit(e)} onFocus={warmUp} aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading">Sign in</h1>
      <div className="field">
        <label htmlFor="sign-in-email">Email</label>
        <input
          id="sign-in-email"
          name="email"
          type="email"
          autoComplete="username"
          required
          aria-invalid={errorMessage ? true : undefined}
          aria-describedby={errorMessage ? errorId : undefined}
        />
      </div>
      <div className="field">
        <label htmlFor="sign-in-password">Password</label>
        <input
          id="sign-in-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={errorMessage ? true : undefined}
          aria-describedby={errorMessage ? errorId : undefined}
        />
      </div>
      {/* role="alert" so screen readers announce the failure without moving focus off the form. */}
      <p id={errorId} className="form-error" role="alert">
        {errorMessage}
      </p>
      <button type="submit" className="button button-primary" disabled={!hydrated || state.status === 'pending'}>
        {state.status === 'pending' ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
