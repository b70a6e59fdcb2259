import { useId, useState, type FormEvent } from 'react';
import { APP_CODE_UNREACHABLE, AUTH_CODE_UNREACHABLE, useAuthHandoff, useWarmUp } from '@/features/auth/auth-handoff';
import { useHydrated } from '@/lib/hydration';
import { MIN_PASSWORD_LENGTH } from '@/features/auth/password-rules';
import { Link } from '@/components/link';

// supabase-js comes with this module: loaded when the visitor starts on the form, not with the page.
const loadSignUp = () => import('@/features/auth/api/sign-up');

type SignUpState =
  | { status: 'idle' | 'pending' | 'needs-confirmation' }
  | { status: 'error'; failure: { message: string; signInInstead?: boolean } };

export function SignUpForm() {
  const errorId = useId();
  const passwordHintId = useId();
  const handoff = useAuthHandoff();
  const hydrated = useHydrated();
  const { formRef, warmUp } = useWarmUp(loadSignUp);
  const [state, setState] = useState<SignUpState>({ status: 'idle' });

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const displayName = form.get('displayName');
    const email = form.get('email');
    const password = form.get('password');
    if (typeof displayName !== 'string' || typeof email !== 'string' || typeof password !== 'string') return;
    if (state.status === 'pending') return;
    setState({ status: 'pending' });
    let api: Awaited<ReturnType<typeof loadSignUp>> | undefined;
    try {
      api = await loadSignUp();
      const { needsConfirmation } = await api.signUp({ displayName: displayName.trim(), email: email.trim(), password });
      if (needsConfirmation) {
        setState({ status: 'needs-confirmation' });
        return;
      }
    } catch (error) {
      setState({ status: 'error', failure: api ? api.getSignUpError(error) : { message: AUTH_CODE_UNREACHABLE } });
      return;
    }
    // Signed in at once: inside the full app auth-js's SIGNED_IN event takes over; from the signed-out
    // start, this does.
    await handoff?.signedIn().catch(() => setState({ status: 'error', failure: { message: APP_CODE_UNREACHABLE } }));
  }

  const failure = state.status === 'error' ? state.failure : undefined;
  const describedBy = (hint?: string) => [hint, failure ? errorId : undefined].filter(Boolean).join(' ') || undefined;

  if (state.status === 'needs-confirmation') {
    return (
      <section className="card stack" aria-labelledby="sign-up-heading">
        <h1 id="sign-up-heading">Check your email</h1>
        <p role="status">We sent you a link to confirm your address. Open it, then sign in.</p>
        <Link href="/signin" className="button">
          Go to sign in
        </Link>
      </section>
    );
  }

  return (
    <form ref={formRef} className="card stack" onSubmit={(e) => void handleSubmit(e)} onFocus={warmUp} aria-labelledby="sign-up-heading">
      <h1 id="sign-up-heading">Create your account</h1>
      <div className="field">
        <label htmlFor="sign-up-name">Display name</label>
        <input id="sign-up-name" name="displayName" type="text" autoComplete="name" required maxLength={80} />
      </div>
      <div className="field">
        <label htmlFor="sign-up-email">Email</label>
        <input
          id="sign-up-email"
          name="email"
          type="email"
          autoComplete="email"
          required
          aria-invalid={failure ? true : undefined}
          aria-describedby={describedBy()}
        />
      </div>
      <div className="field">
        <label htmlFor="sign-up-password">Password</label>
        <input
          id="sign-up-password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          aria-describedby={describedBy(passwordHintId)}
        />
        <p id={passwordHintId} className="muted">
          At least {MIN_PASSWORD_LENGTH} characters.
        </p>
      </div>
      {/* role="alert" so screen readers announce the failure without moving focus off the form. */}
      <div id={errorId} role="alert" className="form-error">
        {failure ? (
          <p>
            {failure.message}
            {failure.signInInstead ? (
              <>
                {' '}
                <Link href="/signin">Go to sign in</Link>
              </>
            ) : null}
          </p>
        ) : null}
      </div>
      <button type="submit" className="button button-primary" disabled={!hydrated || state.status === 'pending'}>
        {state.status === 'pending' ? 'Creating your account…' : 'Create account'}
      </button>
    </form>
  );
}
