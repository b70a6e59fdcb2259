import { QueryErrorResetBoundary } from '@tanstack/react-query';
import { ErrorBoundary } from 'react-error-boundary';
import { RootErrorFallback } from '@/app/root-error-fallback';
import { SignInForm } from '@/features/auth/components/sign-in-form';
import { SignOutButton } from '@/features/auth/components/sign-out-button';
import { useSession } from '@/features/auth/use-session';
import { QuestionList } from '@/features/bank/components/question-list';

export function App() {
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => (
        // `reset` clears failed queries so "Try again" refetches instead of re-throwing the cached error.
        <ErrorBoundary FallbackComponent={RootErrorFallback} onReset={reset}>
          <Shell />
        </ErrorBoundary>
      )}
    </QueryErrorResetBoundary>
  );
}

function Shell() {
  const session = useSession();

  return (
    <>
      <header className="site-header">
        <span className="brand">Rounds</span>
        {session ? (
          <div className="row">
            <span className="muted">{session.user.email}</span>
            <SignOutButton />
          </div>
        ) : null}
      </header>
      <main className="page">
        {session === undefined ? (
          <p role="status" className="muted">
            Loading…
          </p>
        ) : session === null ? (
          <SignInForm />
        ) : (
          <section className="stack" aria-labelledby="bank-heading">
            <h1 id="bank-heading">Question bank</h1>
            <QuestionList limit={20} />
          </section>
        )}
      </main>
      <footer className="site-footer muted">Build {__BUILD_ID__}</footer>
    </>
  );
}
