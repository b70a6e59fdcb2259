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
import { startTransition, use, useDeferredValue, useEffect, useState, type ReactNode } from 'react';
import { useIsRestoring } from '@tanstack/react-query';

/**
 * Renders `children` once `ready` (session and page code, see signed-in-app.tsx) has settled and the persisted
 * cache is restored, or at `deadline`. Place it under `<Suspense fallback={null}>`: while it waits
 * nothing is painted.
 */
export function FirstPaint({ ready, deadline, children }: { ready: Promise<void>; deadline: number; children: ReactNode }) {
  // Both ways the app appears are non-blocking renders, which React splits into ~5 ms slices: the
  // retry after `ready` suspended, and the deferred render below. The end of the restore comes as an
  // urgent update of the persist provider; rendering the whole app inside it would be one long task.
  use(ready);
  const restoring = useDeferredValue(useIsRestoring(), true);
  const [gaveUp, setGaveUp] = useState(() => Date.now() >= deadline);
  useEffect(() => {
    if (!restoring || gaveUp) return;
    const timer = setTimeout(() => startTransition(() => setGaveUp(true)), Math.max(0, deadline - Date.now()));
    return () => clearTimeout(timer);
  }, [restoring, gaveUp, deadline]);
  return restoring && !gaveUp ? null : children;
}
