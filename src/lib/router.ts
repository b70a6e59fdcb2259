/**
 * A deliberately small client-side router: the History API, a path-pattern matcher and a hook. The app
 * has a handful of flat routes; a routing library would cost more bytes on the first route than it saves.
 */
import { useSyncExternalStore, type MouseEvent } from 'react';
import { createSignal } from '@/lib/store';

/** The address lives in window.location; this only tells readers it changed. */
const locationChanged = createSignal();
if (typeof window !== 'undefined') window.addEventListener('popstate', locationChanged.notify);

function getLocation(): string {
  return window.location.pathname + window.location.search;
}

let serverLocation = '/';
/** The address a render outside a browser shows: the build's prerender of the signed-out pages sets it. */
export function setServerLocation(location: string): void {
  serverLocation = location;
}
/**
 * What React reads while hydrating a prerendered page (src/app/prerender.tsx): the page was rendered for
 * the address the browser is at, so the browser's own location matches it.
 */
function getServerLocation(): string {
  return typeof window === 'undefined' ? serverLocation : getLocation();
}

/** The current path + query, re-rendering on navigation. */
export function useLocation(): string {
  return useSyncExternalStore(locationChanged.subscribe, getLocation, getServerLocation);
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === getLocation()) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.scrollTo(0, 0);
  locationChanged.notify();
}

/** Matches `/blocks/:id/review` style patterns; returns the params or null. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = pathname.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i] ?? '';
    const seg = s[i] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(seg);
    else if (part !== seg) return null;
  }
  return params;
}

/** onClick for <a href> links: client-side navigation unless the user asked for a new tab. */
export function onLinkClick(e: MouseEvent<HTMLAnchorElement>): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const href = e.currentTarget.getAttribute('href');
  if (!href || !href.startsWith('/')) return;
  e.preventDefault();
  navigate(href);
}
