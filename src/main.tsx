/**
 * The entry: React, the page chrome and the signed-out start; everything else loads on demand
 * (docs/decisions/011-signed-out-start.md). A device with a stored session loads the full app at once; a
 * visitor without one gets the sign-in page from this chunk and the sign-in page's own, and the full app
 * once signed in.
 */
import { createRoot } from 'react-dom/client';
import { FIRST_PAINT_MAX_WAIT_MS } from '@/app/first-paint-bound';
import { RootErrorFallback } from '@/app/root-error-fallback';
import { startSignedOut } from '@/app/signed-out-app';
import { listenForInstallPrompt } from '@/features/pwa/install-prompt';
import { registerServiceWorker } from '@/features/pwa/register-sw';
import { hasStoredSession } from '@/lib/stored-session';
import '@/styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

// Before rendering: Chromium may offer installation before any component mounts, and only once.
listenForInstallPrompt();
// The service worker exists only in the build (vite-plugin-pwa); the dev server must not cache anything.
if (import.meta.env.PROD) registerServiceWorker();
const root = createRoot(container);

const loadSignedInApp = () => import('@/app/signed-in-app');

const deadline = Date.now() + FIRST_PAINT_MAX_WAIT_MS;
if (hasStoredSession()) {
  loadSignedInApp().then(
    (app) => app.renderSignedInApp(root, deadline),
    // Its code could not be loaded (offline before the service worker had it, a deploy removed it): a
    // calm message with a way to try again instead of a blank page.
    (error: unknown) => root.render(<RootErrorFallback error={error} resetErrorBoundary={() => window.location.reload()} />),
  );
} else {
  startSignedOut(root, deadline, {
    warmUp: () => void loadSignedInApp().catch(() => undefined),
    // After a sign-in: the full app on the same root, landing on home. A failed load rejects to the form,
    // which says so and keeps the visitor's input.
    signedIn: async () => (await loadSignedInApp()).renderSignedInApp(root, Date.now() + FIRST_PAINT_MAX_WAIT_MS, '/'),
  });
}
