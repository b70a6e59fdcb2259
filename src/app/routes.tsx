/**
 * The route table. Every page is its own chunk (a dynamic import), so the first route ships only what it
 * needs; review, leaderboard and instructor code load when used.
 *
 * A page's chunk is loaded once and its promise kept: `preloadRoute` starts the first route's download
 * at start-up, in parallel with the session and the cache restore, and `RouteView` renders a page whose
 * chunk is there without suspending, so the first paint can already show the page.
 */
import { use, useEffect, type ComponentType } from 'react';
import { matchPath } from '@/lib/router';

type PageModule = { default: ComponentType<{ params: Record<string, string> }> };

export interface RouteDef {
  pattern: string;
  /** Title for document.title and the route's landmark. */
  title: string;
  load: () => Promise<PageModule>;
}

/**
 * The signed-in pages' addresses. Their table, with each page's code, is src/app/signed-in-routes.tsx,
 * which comes with the signed-in app: the first route (the signed-out start) then carries no reference to
 * the signed-in pages' chunks — every lazy chunk named in the entry lengthened its preload map, the
 * first route's bytes. The signed-out start needs only the addresses, to send a private one to sign-in.
 */
export const SIGNED_IN_PATTERNS = [
  '/',
  '/blocks/new',
  '/blocks/:id',
  '/blocks/:id/review',
  '/review',
  '/assignments/:id',
  '/settings',
  '/leaderboard',
  '/instructor',
  '/instructor/cohorts/:id',
  '/instructor/cohorts/:id/items',
  '/instructor/cohorts/:id/analytics',
  '/instructor/questions',
  '/instructor/questions/:id',
  '/instructor/import',
  '/instructor/cohorts/:id/assignments/new',
  '/instructor/assignments/:id',
  '/instructor/cohorts/:id/live/new',
  '/live/:id/host',
  '/live/:id',
] as const;

let signedInRoutes: readonly RouteDef[] = [];

/** Called once by src/app/signed-in-routes.tsx as the signed-in app loads. */
export function setSignedInRoutes(routes: readonly RouteDef[]): void {
  signedInRoutes = routes;
}


export const signedOutRoutes: RouteDef[] = [
  { pattern: '/signup', title: 'Create your account', load: () => import('@/app/pages/sign-up-page') },
  { pattern: '/signin', title: 'Sign in', load: () => import('@/app/pages/sign-in-page') },
];

/** Any address no table knows: a page that says so, with the way back in `params.back`. */
export const notFoundRoute: RouteDef = { pattern: '*', title: 'Page not found', load: () => import('@/app/pages/not-found-page') };

export type RouteMatch = { route: RouteDef; params: Record<string, string> };

/**
 * What `pathname` shows, signed in or out: its page; a redirect when the page is the other state's
 * (sign-in while signed in → home, a private page while signed out → sign-in); otherwise "Page not found".
 */
export function pageFor(pathname: string, signedIn: boolean): RouteMatch | { redirect: string } {
  const own = resolveRoute(signedIn ? signedInRoutes : signedOutRoutes, pathname);
  if (own) return own;
  const other = signedIn ? resolveRoute(signedOutRoutes, pathname) !== null : SIGNED_IN_PATTERNS.some((p) => matchPath(p, pathname) !== null);
  if (other) return { redirect: signedIn ? '/' : '/signin' };
  return { route: notFoundRoute, params: { back: signedIn ? '/' : '/signin' } };
}

/** The first route of `routes` matching `pathname`, with its params. */
export function resolveRoute(routes: readonly RouteDef[], pathname: string): { route: RouteDef; params: Record<string, string> } | null {
  for (const route of routes) {
    const params = matchPath(route.pattern, pathname);
    if (params) return { route, params };
  }
  return null;
}

/** A page's chunk download, with its outcome once known (read synchronously by RouteView). */
interface PageLoad {
  promise: Promise<PageModule>;
  outcome?: { ok: true; page: PageModule } | { ok: false; error: unknown };
}

const pages = new Map<RouteDef, PageLoad>();

/** The page's chunk, loaded once per route (like React.lazy, a failed load stays failed until a reload). */
function loadPage(route: RouteDef): PageLoad {
  const known = pages.get(route);
  if (known) return known;
  const load: PageLoad = { promise: route.load() };
  load.promise.then(
    (page) => {
      load.outcome = { ok: true, page };
    },
    (error: unknown) => {
      load.outcome = { ok: false, error };
    },
  );
  pages.set(route, load);
  return load;
}

/**
 * Starts loading the page `pathname` will show, before React renders: signed in or out is not known
 * yet, but the two tables do not share a pattern. Resolves when the chunk is there (or failed: the route
 * boundary shows the failure when the page renders).
 */
export function preloadRoute(pathname: string): Promise<void> {
  const match = resolveRoute(signedInRoutes, pathname) ?? resolveRoute(signedOutRoutes, pathname) ?? { route: notFoundRoute };
  return loadPage(match.route).promise.then(
    () => undefined,
    () => undefined,
  );
}

/**
 * Renders a route's page. A page whose chunk is already there renders at once, in any render (no
 * suspending, so no "Loading…" flash); one still loading suspends to the route's boundary.
 */
export function RouteView({ route, params }: { route: RouteDef; params: Record<string, string> }) {
  const load = loadPage(route);
  if (load.outcome?.ok === false) throw load.outcome.error;
  const Page = load.outcome?.ok ? load.outcome.page.default : use(load.promise).default;
  return <Page params={params} />;
}

/** The tab's title for a route ("Sign in · Rounds"). */
export function routeTitle(route: RouteDef | undefined): string {
  return route ? `${route.title} · Rounds` : 'Rounds';
}

/** The tab's title follows the route. */
export function useRouteTitle(route: RouteDef | undefined): void {
  useEffect(() => {
    document.title = routeTitle(route);
  }, [route]);
}
