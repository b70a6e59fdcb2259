/**
 * The signed-out start: what a visitor with no stored session gets (src/main.tsx decides). It renders the
 * sign-in and sign-up pages in the same chrome as the full app, with React and this code only: no
 * supabase-js, React Query, Zod or app code, which the page does not need until the visitor submits
 * (docs/decisions/011-signed-out-start.md). Starting on the form loads them (`warmUp`); once a session is
 * stored, the full app replaces this tree on the same root (`signedIn`); main.tsx provides both.
 */
import { StrictMode, Suspense, useEffect, useMemo } from 'react';
import { createRoot, hydrateRoot, type Root } from 'react-dom/client';
import { ErrorBoundary } from 'react-error-boundary';
import { settledOrDeadline } from '@/app/first-paint-bound';
import { RootErrorFallback } from '@/app/root-error-fallback';
import { PageLoading, SiteChrome } from '@/app/site-chrome';
import { pageFor, preloadRoute, RouteView, useRouteTitle } from '@/app/routes';
import { AuthHandoffContext, type AuthHandoff } from '@/features/auth/auth-handoff';
import { navigate, useLocation } from '@/lib/router';

const SIGN_IN_PATH = '/signin';

export function SignedOutApp({ handoff }: { handoff: AuthHandoff }) {
  const location = useLocation();
  const pathname = location.split('?')[0] ?? '/';
  const page = useMemo(() => pageFor(pathname, false), [pathname]);
  const match = 'redirect' in page ? null : page;

  // A private page needs a session: sign in first. Addresses no page has say so (routes.tsx pageFor).
  useEffect(() => {
    if ('redirect' in page) navigate(page.redirect, { replace: true });
  }, [page]);
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
 * Starts the signed-out start on `container` and returns its root (the full app takes it over after a
 * sign-in). A page the build prerendered for this address (src/app/prerender.tsx: /signin, /signup) is
 * hydrated at once: it is already on screen, and a page whose chunk is still loading stays as it was
 * rendered until it is there. Otherwise the page renders once its code is there (or at `deadline`), so
 * the first paint is the form rather than "Loading…".
 */
export function startSignedOut(container: HTMLElement, deadline: number, handoff: AuthHandoff): Root {
  const app = (
    <StrictMode>
      <SignedOutApp handoff={handoff} />
    </StrictMode>
  );
  if (container.dataset.prerendered === window.location.pathname) return hydrateRoot(container, app);
  // Prerendered for another address (signin.html opened by its file name): rendered afresh below.
  container.replaceChildren();
  const root = createRoot(container);
  // A private page's address: go to sign-in before the first render rather than after it.
  if ('redirect' in pageFor(window.location.pathname, false)) window.history.replaceState(null, '', SIGN_IN_PATH);
  void settledOrDeadline(preloadRoute(window.location.pathname), deadline).then(() => root.render(app));
  return root;
}
