/**
 * The signed-out start: what a visitor with no stored session gets (src/main.tsx decides). It renders the
 * sign-in and sign-up pages in the same chrome as the full app, with React and this code only: no
 * supabase-js, React Query, Zod or app code, which the page does not need until the visitor submits
 * (docs/decisions/011-signed-out-start.md). Starting on the form loads them (`warmUp`); once a session is
 * stored, the full app replaces this tree on the same root (`signedIn`); main.tsx provides both.
 */
import { StrictMode, Suspense, useEffect, useMemo } from 'react';
import type { Root } from 'react-dom/client';
import { ErrorBoundary } from 'react-error-boundary';
import { settledOrDeadline } from '@/app/first-paint-bound';
import { RootErrorFallback } from '@/app/root-error-fallback';
import { PageLoading, SiteChrome } from '@/app/site-chrome';
import { preloadRoute, resolveRoute, RouteView, signedOutRoutes, useRouteTitle } from '@/app/routes';
import { AuthHandoffContext, type AuthHandoff } from '@/features/auth/auth-handoff';
import { navigate, useLocation } from '@/lib/router';

const SIGN_IN_PATH = '/signin';

function SignedOutApp({ handoff }: { handoff: AuthHandoff }) {
  const location = useLocation();
  const pathname = location.split('?')[0] ?? '/';
  const match = useMemo(() => resolveRoute(signedOutRoutes, pathname), [pathname]);

  // Any other page needs a session: sign in first.
  useEffect(() => {
    if (!match) navigate(SIGN_IN_PATH, { replace: true });
  }, [match]);
  useRouteTitle(match?.route);

  return (
    <AuthHandoffContext value={handoff}>
      <ErrorBoundary FallbackComponent={RootErrorFallback}>
        <SiteChrome>
          {match ? (
            <Suspense fallback={<PageLoading />}>
              <RouteView route={match.route} params={match.params} />
            </Suspense>
          ) : (
            <PageLoading />
          )}
        </SiteChrome>
      </ErrorBoundary>
    </AuthHandoffContext>
  );
}

/**
 * Renders the signed-out start on `root` once the page's code is there (or at `deadline`), so the first
 * paint is the form rather than "Loading…". `handoff` loads and renders the full app (src/main.tsx).
 */
export function startSignedOut(root: Root, deadline: number, handoff: AuthHandoff): void {
  // A private page's address: go to sign-in before the first render rather than after it.
  if (!resolveRoute(signedOutRoutes, window.location.pathname)) window.history.replaceState(null, '', SIGN_IN_PATH);
  void settledOrDeadline(preloadRoute(window.location.pathname), deadline).then(() => {
    root.render(
      <StrictMode>
        <SignedOutApp handoff={handoff} />
      </StrictMode>,
    );
  });
}
