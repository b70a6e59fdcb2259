import { lazy, Suspense, useEffect, useMemo } from 'react';
import { QueryErrorResetBoundary, useQuery } from '@tanstack/react-query';
import { ErrorBoundary } from 'react-error-boundary';
import { FirstPaint } from '@/app/first-paint';
import { RootErrorFallback } from '@/app/root-error-fallback';
import { PageLoading, SiteChrome } from '@/app/site-chrome';
import { pageFor, RouteView, useRouteTitle } from '@/app/routes';
import { SignOutButton } from '@/features/auth/components/sign-out-button';
import { SyncStatus } from '@/features/sync/components/sync-status';
import { useSession } from '@/features/auth/use-session';
import { getMyRoleQueryOptions } from '@/features/instructor/api/get-my-role';
import { RouteBoundary } from '@/components/error-boundaries';
import { WriteFailureNotice } from '@/components/write-failure';
import { Link } from '@/components/link';
import { navigate, useLocation } from '@/lib/router';
import { useAfterIdle } from '@/lib/live-updates';

/**
 * `firstPaint`: what the first paint waits for (signed-in-app.tsx starts it before rendering; see first-paint.tsx).
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
  const signedIn = Boolean(session);
  // Memoised so the page keeps its params object (and skips a re-render) while the path is unchanged.
  const page = useMemo(() => pageFor(pathname, signedIn), [pathname, signedIn]);
  const match = 'redirect' in page ? null : page;

  // Signed out on a private page → sign in; signed in on /signin or /signup → home.
  useEffect(() => {
    if (session === undefined) return;
    if ('redirect' in page) navigate(page.redirect, { replace: true });
  }, [session, page]);

  useRouteTitle(match?.route);

  return (
    <SiteChrome
      nav={
        session ? (
          <nav aria-label="Main" className="row site-nav">
            <Link href="/">Home</Link>
            <Link href="/blocks/new">New block</Link>
            <Link href="/review">Review</Link>
            <Link href="/leaderboard">Leaderboard</Link>
            <InstructorLinks />
            <Link href="/settings">Settings</Link>
            <SignOutButton />
          </nav>
        ) : null
      }
      statusBar={
        session ? (
          <>
            <div className="sync-bar">
              <SyncStatus />
            </div>
            {/* Failed online writes; offline ones are the sync bar's (src/lib/query-client.ts). */}
            <WriteFailureNotice />
            {/* "Live session — Join" for cohort members; not on the live screens themselves. */}
            <DeferredLiveBanner hidden={pathname.startsWith('/live/')} />
          </>
        ) : null
      }
    >
      {session === undefined || !match ? (
        <PageLoading />
      ) : (
        <RouteBoundary resetKey={pathname}>
          <Suspense fallback={<PageLoading />}>
            <RouteView route={match.route} params={match.params} />
          </Suspense>
        </RouteBoundary>
      )}
    </SiteChrome>
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

/**
 * The live feature's code (its message shapes, Realtime) loads after the page has settled, never with
 * the first paint: the banner then reads the user's cohorts and joins their topics (live-banner.tsx).
 */
const LiveBanner = lazy(() => import('@/features/live/components/live-banner').then((m) => ({ default: m.LiveBanner })));

function DeferredLiveBanner({ hidden }: { hidden: boolean }) {
  const settled = useAfterIdle();
  if (!settled) return null;
  // A banner that cannot load (its chunk, its reads) is left out; it never takes the page down with it.
  return (
    <ErrorBoundary fallback={null}>
      <Suspense fallback={null}>
        <LiveBanner hidden={hidden} />
      </Suspense>
    </ErrorBoundary>
  );
}
