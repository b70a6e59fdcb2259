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

export const signedInRoutes: RouteDef[] = [
  { pattern: '/', title: 'Home', load: () => import('@/app/pages/home-page') },
  { pattern: '/blocks/new', title: 'Create a block', load: () => import('@/app/pages/new-block-page') },
  { pattern: '/blocks/:id', title: 'Block', load: () => import('@/app/pages/player-page') },
  { pattern: '/blocks/:id/review', title: 'Review', load: () => import('@/app/pages/review-page') },
  { pattern: '/review', title: 'Spaced review', load: () => import('@/app/pages/new-review-page') },
  { pattern: '/settings', title: 'Settings', load: () => import('@/app/pages/settings-page') },
  { pattern: '/leaderboard', title: 'Leaderboard', load: () => import('@/app/pages/leaderboard-page') },
  { pattern: '/instructor', title: 'Instructor', load: () => import('@/app/pages/instructor-page') },
  { pattern: '/instructor/cohorts/:id', title: 'Cohort', load: () => import('@/app/pages/instructor-cohort-page') },
  { pattern: '/instructor/cohorts/:id/items', title: 'Item statistics', load: () => import('@/app/pages/instructor-items-page') },
  { pattern: '/instructor/questions', title: 'Questions', load: () => import('@/app/pages/instructor-questions-page') },
  { pattern: '/instructor/questions/:id', title: 'Question editor', load: () => import('@/app/pages/instructor-question-page') },
  { pattern: '/instructor/import', title: 'Import questions', load: () => import('@/app/pages/instructor-import-page') },
];

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
  if (resolveRoute(signedIn ? signedOutRoutes : signedInRoutes, pathname)) return { redirect: signedIn ? '/' : '/signin' };
  return { route: notFoundRoute, params: { back: signedIn ? '/' : '/signin' } };
}

/** The first route of `routes` matching `pathname`, with its params. */
export function resolveRoute(routes: RouteDef[], pathname: string): { route: RouteDef; params: Record<string, string> } | null {
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
