import { Suspense, useEffect, useMemo } from 'react';
import { QueryErrorResetBoundary, useQuery } from '@tanstack/react-query';
import { ErrorBoundary } from 'react-error-boundary';
import { FirstPaint } from '@/app/first-paint';
import { RootErrorFallback } from '@/app/root-error-fallback';
import { resolveRoute, RouteView, signedInRoutes, signedOutRoutes } from '@/app/routes';
import { SignOutButton } from '@/features/auth/components/sign-out-button';
import { SyncStatus } from '@/features/sync/components/sync-status';
import { useSession } from '@/features/auth/use-session';
import { getMyRoleQueryOptions } from '@/features/instructor/api/get-my-role';
import { InstallButton } from '@/features/pwa/components/install-button';
import { UpdateBanner } from '@/features/pwa/components/update-banner';
import { RouteBoundary } from '@/components/error-boundaries';
import { Link } from '@/components/link';
import { navigate, useLocation } from '@/lib/router';

/**
 * `firstPaint`: what the first paint waits for (main.tsx starts it before rendering; see first-paint.tsx).
 */
export function App({ firstPaint }: { firstPaint: { ready: Promise<void>; deadline: number } }) {
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => (
        // `reset` clears failed queries so "Try again" refetches instead of re-throwing the cached error.
        <ErrorBoundary FallbackComponent={RootErrorFallback} onReset={reset}>
          <Suspense fallback={null}>
            <FirstPaint ready={firstPaint.ready} deadline={firstPaint.deadline}>
              <Shell />
            </FirstPaint>
          </Suspense>
        </ErrorBoundary>
      )}
    </QueryErrorResetBoundary>
  );
}

function Shell() {
  const session = useSession();
  const location = useLocation();
  const pathname = location.split('?')[0] ?? '/';
  const routes = session ? signedInRoutes : signedOutRoutes;
  // Memoised so the page keeps its params object (and skips a re-render) while the path is unchanged.
  const match = useMemo(() => resolveRoute(routes, pathname), [routes, pathname]);

  // Signed out on a private page → sign in; signed in on /signin or /signup → home.
  useEffect(() => {
    if (session === undefined) return;
    if (!match) navigate(session ? '/' : '/signin', { replace: true });
  }, [session, match]);

  useEffect(() => {
    document.title = match ? `${match.route.title} · Rounds` : 'Rounds';
  }, [match]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        {/* The install offer arrives whenever the browser decides (often after the first paint); it sits
            next to the brand, in a row already as tall as a button, so its arrival moves nothing. */}
        <div className="site-header-start">
          <Link href="/" className="brand">
            Rounds
          </Link>
          <InstallButton />
        </div>
        {session ? (
          <nav aria-label="Main" className="row site-nav">
            <Link href="/">Home</Link>
            <Link href="/blocks/new">New block</Link>
            <Link href="/leaderboard">Leaderboard</Link>
            <InstructorLinks />
            <Link href="/settings">Settings</Link>
            <SignOutButton />
          </nav>
        ) : null}
      </header>
      {session ? (
        <div className="sync-bar">
          <SyncStatus />
        </div>
      ) : null}
      <UpdateBanner />
      <main id="main" className="page" tabIndex={-1}>
        {session === undefined || !match ? (
          <p role="status" className="muted">
            Loading…
          </p>
        ) : (
          <RouteBoundary resetKey={pathname}>
            <Suspense
              fallback={
                <p role="status" className="muted">
                  Loading…
                </p>
              }
            >
              <RouteView route={match.route} params={match.params} />
            </Suspense>
          </RouteBoundary>
        )}
      </main>
      <footer className="site-footer muted">Build {__BUILD_ID__}</footer>
    </>
  );
}

/** Instructor navigation, shown once the profile says so (the server enforces the role regardless). */
function InstructorLinks() {
  // A failed role lookup just hides the links; no error boundary needed for a nav hint.
  const role = useQuery(getMyRoleQueryOptions());
  if (role.data !== 'instructor') return null;
  return (
    <>
      <Link href="/instructor">Instructor</Link>
      <Link href="/instructor/questions">Questions</Link>
    </>
  );
}
