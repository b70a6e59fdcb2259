/**
 * The entry: React, the page chrome and the signed-out start; everything else loads on demand
 * (docs/decisions/011-signed-out-start.md). A device with a stored session loads the full app at once; a
 * visitor without one gets the sign-in page from this chunk and the sign-in page's own, and the full app
 * once signed in.
 */
import { createRoot, type Root } from 'react-dom/client';
import { FIRST_PAINT_MAX_WAIT_MS } from '@/app/first-paint-bound';
import { RootErrorFallback } from '@/app/root-error-fallback';
import { startSignedOut } from '@/app/signed-out-app';
import { listenForInstallPrompt } from '@/features/pwa/install-prompt';
import { registerServiceWorker } from '@/features/pwa/register-sw';
import { nextTask } from '@/lib/next-task';
import { hasStoredSession } from '@/lib/stored-session';
import '@/styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

// Before rendering: Chromium may offer installation before any component mounts, and only once.
listenForInstallPrompt();
// The service worker exists only in the build (vite-plugin-pwa); the dev server must not cache anything.
if (import.meta.env.PROD) registerServiceWorker();

let signedInApp: Promise<typeof import('@/app/signed-in-app')> | undefined;
/**
 * The full app, evaluated in stages. One import of the whole graph makes the browser evaluate every
 * module in it in a single task — 150–250 ms on a mid-range phone, during which a keystroke in the sign-in
 * form or a tap waits. The libraries are separate graphs, so importing them first (in parallel: each is
 * evaluated in its own task as it arrives), then the app's supabase client, then the app, splits that
 * into tasks of a few tens of ms. Their downloads still start together: the app's remaining chunks are
 * small.
 */
function loadSignedInApp() {
  signedInApp ??= Promise.all([import('@/lib/zod-config'), import('@supabase/supabase-js'), import('@tanstack/react-query')])
    .then(nextTask)
    .then(() => import('@/lib/supabase'))
    .then(nextTask)
    .then(() => import('@/app/signed-in-app'));
  return signedInApp;
}

const deadline = Date.now() + FIRST_PAINT_MAX_WAIT_MS;
if (hasStoredSession()) {
  // A page prerendered for visitors (signin.html) is no use to a student with a session.
  container.replaceChildren();
  const root = createRoot(container);
  loadSignedInApp().then(
    (app) => app.renderSignedInApp(root, deadline),
    // Its code could not be loaded (offline before the service worker had it, a deploy removed it): a
    // calm message with a way to try again instead of a blank page.
    (error: unknown) => root.render(<RootErrorFallback error={error} resetErrorBoundary={() => window.location.reload()} />),
  );
} else {
  const root: Root = startSignedOut(container, deadline, {
    warmUp: () => void loadSignedInApp().catch(() => undefined),
    // After a sign-in: the full app on the same root, landing on home. A failed load rejects to the form,
    // which says so and keeps the visitor's input.
    signedIn: async () => (await loadSignedInApp()).renderSignedInApp(root, Date.now() + FIRST_PAINT_MAX_WAIT_MS, '/'),
  });
}
