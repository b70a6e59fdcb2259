// First: settings that must be in place before any module builds a schema.
import '@/lib/zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '@/app/app';
import { FIRST_PAINT_MAX_WAIT_MS, settledOrDeadline } from '@/app/first-paint';
import { AppProviders } from '@/app/providers';
import { preloadRoute } from '@/app/routes';
import { readStoredSession } from '@/features/auth/use-session';
import { listenForInstallPrompt } from '@/features/pwa/install-prompt';
import { registerServiceWorker } from '@/features/pwa/register-sw';
import { createE2EHooks } from '@/app/e2e-hooks';
import '@/styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

// Before rendering: Chromium may offer installation before any component mounts, and only once.
listenForInstallPrompt();
// The service worker exists only in the build (vite-plugin-pwa); the dev server must not cache anything.
if (import.meta.env.PROD) registerServiceWorker();
// Test hooks (src/app/e2e-hooks.ts) for the e2e specs; only `npm run build:e2e` sets the flag, and every
// other build drops this line, and with it the hooks module, as dead code.
if (import.meta.env.VITE_E2E_HOOKS === '1') window.__roundsE2E = createE2EHooks(__BUILD_ID__);

// What the first paint waits for besides the cache restore (src/app/first-paint.tsx), started now so the
// session read and the page's chunk download run alongside React's start-up instead of after it.
const deadline = Date.now() + FIRST_PAINT_MAX_WAIT_MS;
const ready = settledOrDeadline(Promise.all([readStoredSession(), preloadRoute(window.location.pathname)]), deadline);

createRoot(container).render(
  <StrictMode>
    <AppProviders>
      <App firstPaint={{ ready, deadline }} />
    </AppProviders>
  </StrictMode>,
);
