import { useId, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { getSignInErrorMessage, signIn } from '@/features/auth/api/sign-in';

export function SignInForm() {
  const errorId = useId();
  const mutation = useMutation({ mutationFn: signIn });

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = form.get('email');
    const password = form.get('password');
    if (typeof email !== 'string' || typeof password !== 'string') return;
    mutation.mutate({ email: email.trim(), password });
  }

  const errorMessage = mutation.isError ? getSignInErrorMessage(mutation.error) : undefined;

  return (
    <form className="card stack" onSubmit={handleSubmit} aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading">Sign in</h1>
      <div className="field">
        <label htmlFor="sign-in-email">Email</label>
        <input
          id="sign-in-email"
          name="email"
          type="email"
          autoComplete="username"
          required
          aria-invalid={mutation.isError || undefined}
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
          aria-invalid={mutation.isError || undefined}
          aria-describedby={errorMessage ? errorId : undefined}
        />
      </div>
      {/* role="alert" so screen readers announce the failure without moving focus off the form. */}
      <p id={errorId} className="form-error" role="alert">
        {errorMessage}
      </p>
      <button type="submit" className="button button-primary" disabled={mutation.isPending}>
        {mutation.isPending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
