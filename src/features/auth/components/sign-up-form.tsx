import { useId, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { getSignUpError, MIN_PASSWORD_LENGTH, signUp } from '@/features/auth/api/sign-up';
import { Link } from '@/components/link';

export function SignUpForm() {
  const errorId = useId();
  const passwordHintId = useId();
  const mutation = useMutation({ mutationFn: signUp });

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const displayName = form.get('displayName');
    const email = form.get('email');
    const password = form.get('password');
    if (typeof displayName !== 'string' || typeof email !== 'string' || typeof password !== 'string') return;
    mutation.mutate({ displayName: displayName.trim(), email: email.trim(), password });
  }

  const failure = mutation.isError ? getSignUpError(mutation.error) : undefined;
  const describedBy = (hint?: string) => [hint, failure ? errorId : undefined].filter(Boolean).join(' ') || undefined;

  if (mutation.data?.needsConfirmation) {
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
    <form className="card stack" onSubmit={handleSubmit} aria-labelledby="sign-up-heading">
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
      <button type="submit" className="button button-primary" disabled={mutation.isPending}>
        {mutation.isPending ? 'Creating your account…' : 'Create account'}
      </button>
    </form>
  );
}
