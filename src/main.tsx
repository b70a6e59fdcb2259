import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '@/app/app';
import { AppProviders } from '@/app/providers';
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

createRoot(container).render(
  <StrictMode>
    <AppProviders>
      <App />
    </AppProviders>
  </StrictMode>,
);
