/**
 * The app's first paint waits for what this device already has: the stored session, the current page's
 * code and the persisted query cache (docs/decisions/010-first-paint.md). It then paints once, with cached
 * data, instead of a header with "Loading…", then the navigation, then the page, then its data: passes
 * that each cost a long main-thread task on a phone after something is on screen (Lighthouse's Total
 * Blocking Time counts exactly those) and push the content down as they arrive (layout shift).
 *
 * Bounded: after FIRST_PAINT_MAX_WAIT_MS (first-paint-bound.ts) the app paints whatever it has (storage that never answers
 * must not leave a blank page). Nothing here waits for the network, except auth-js refreshing an
 * expired token, which the bound covers.
 */
import { startTransition, useEffect, useState, type ReactNode } from 'react';
import { useIsRestoring } from '@tanstack/react-query';

/**
 * Renders `children` once `ready` (session and page code, see signed-in-app.tsx; it never rejects) has
 * settled and the persisted cache is restored, or at `deadline`; until then, nothing.
 *
 * It waits in state, not by suspending on `ready`: a Suspense fallback, even `null`, is "shown", and
 * React then holds the content that replaces it until 300 ms after the fallback appeared (its fallback
 * throttle). Traced: the first paint of home came ~250 ms late on every start where `ready` was still
 * pending at the first render. The app appears in a transition, which React renders in ~5 ms slices.
 */
export function FirstPaint({ ready, deadline, children }: { ready: Promise<void>; deadline: number; children: ReactNode }) {
  const restoring = useIsRestoring();
  const [settled, setSettled] = useState(false);
  const [shown, setShown] = useState(() => Date.now() >= deadline);
  useEffect(() => {
    let current = true;
    void ready.then(() => {
      if (current) setSettled(true);
    });
    return () => {
      current = false;
    };
  }, [ready]);
  useEffect(() => {
    if (shown) return;
    if (settled && !restoring) {
      startTransition(() => setShown(true));
      return;
    }
    const timer = setTimeout(() => startTransition(() => setShown(true)), Math.max(0, deadline - Date.now()));
    return () => clearTimeout(timer);
  }, [settled, restoring, shown, deadline]);
  return shown ? children : null;
}
