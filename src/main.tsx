import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '@/app/app';
import { AppProviders } from '@/app/providers';
import { listenForInstallPrompt } from '@/features/pwa/install-prompt';
import { registerServiceWorker } from '@/features/pwa/register-sw';
import { setActiveBlock } from '@/lib/active-block';
import '@/styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

// Before rendering: Chromium may offer installation before any component mounts, and only once.
listenForInstallPrompt();
// The service worker exists only in the build (vite-plugin-pwa); the dev server must not cache anything.
if (import.meta.env.PROD) registerServiceWorker();
// e2e/pwa.spec.ts drives the "no update prompt during a block" rule through this; only `npm run
// build:e2e` sets the flag, and every other build drops this line as dead code.
if (import.meta.env.VITE_E2E_HOOKS === '1') window.__roundsE2E = { setActiveBlock };

createRoot(container).render(
  <StrictMode>
    <AppProviders>
      <App />
    </AppProviders>
  </StrictMode>,
);
