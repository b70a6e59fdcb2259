/**
 * The build's render of the signed-out pages (vite.config.ts `prerenderSignedOutPages`): the sign-in and
 * sign-up pages as HTML, so a first visit paints the form from the document itself, before any script
 * has arrived, and the entry hydrates it (src/app/signed-out-app.tsx `startSignedOut`). The same tree as
 * the browser's first render, so hydration matches: the route's title, the address (src/lib/router.ts
 * reads it while hydrating) and the page's chunk, loaded before rendering. Runs in Node at build time
 * only; nothing in the app imports it.
 */
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { preloadRoute, resolveRoute, routeTitle, signedOutRoutes } from '@/app/routes';
import { SignedOutApp } from '@/app/signed-out-app';
import type { AuthHandoff } from '@/features/auth/auth-handoff';
import { setServerLocation } from '@/lib/router';

/** The addresses that get a page of their own (netlify.toml rewrites them to it). */
export const PRERENDERED_PATHS = signedOutRoutes.map((route) => route.pattern);

/** Never called: a render in Node has no focus and no submit. */
const noHandoff: AuthHandoff = {
  warmUp: () => undefined,
  signedIn: () => Promise.reject(new Error('prerender: no sign-in at build time')),
};

/** The `#root` markup and the document title of the signed-out page at `pathname`. */
export async function renderSignedOutPage(pathname: string): Promise<{ html: string; title: string }> {
  const match = resolveRoute(signedOutRoutes, pathname);
  if (!match) throw new Error(`prerender: ${pathname} is not a signed-out page`);
  await preloadRoute(pathname);
  setServerLocation(pathname);
  const html = renderToString(
    <StrictMode>
      <SignedOutApp handoff={noHandoff} />
    </StrictMode>,
  );
  return { html, title: routeTitle(match.route) };
}
