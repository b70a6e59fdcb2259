/**
 * The full app: React Query with the persisted cache and the answer outbox, supabase-js, every page.
 * Loaded by the entry when the device holds a session, or by the signed-out start once the visitor has
 * signed in (src/main.tsx).
 */
// First: settings that must be in place before any module builds a schema.
import '@/lib/zod-config';
import { StrictMode } from 'react';
import type { Root } from 'react-dom/client';
import { App } from '@/app/app';
import { settledOrDeadline } from '@/app/first-paint-bound';
import { AppProviders } from '@/app/providers';
import { preloadRoute } from '@/app/routes';
import '@/app/signed-in-routes';
import { readStoredSession } from '@/features/auth/use-session';

/**
 * Renders the full app on `root`. What the first paint waits for besides the cache restore
 * (src/app/first-paint.tsx) starts now, so the session read and the page's chunk download run alongside
 * React's work instead of after it. `landing`: the address to show, replacing the current one (after a
 * sign-in, home rather than the sign-in page the full app would redirect from).
 */
export function renderSignedInApp(root: Root, deadline: number, landing?: string): void {
  if (landing !== undefined) window.history.replaceState(null, '', landing);
  const ready = settledOrDeadline(Promise.all([readStoredSession(), preloadRoute(window.location.pathname)]), deadline);
  // Test hooks (src/app/e2e-hooks.ts) for the e2e specs; only `npm run build:e2e` sets the flag, and every
  // other build drops this line, and with it the hooks chunk, as dead code.
  if (import.meta.env.VITE_E2E_HOOKS === '1') {
    void import('@/app/e2e-hooks').then(({ createE2EHooks }) => {
      window.__roundsE2E = createE2EHooks(__BUILD_ID__);
    });
  }
  root.render(
    <StrictMode>
      <AppProviders>
        <App firstPaint={{ ready, deadline }} />
      </AppProviders>
    </StrictMode>,
  );
}
