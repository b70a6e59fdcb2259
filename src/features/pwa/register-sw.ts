/**
 * Registers the service worker (src/sw.ts, built to /sw.js) and runs the update flow. Contract:
 * - Production builds only (main.tsx); the dev server has no service worker.
 * - A new deploy never activates by itself while this tab is open: its worker waits, the status becomes
 *   `available`, and the banner asks. Reload posts SKIP_WAITING (handled in sw.ts) and the tab reloads
 *   once the new worker controls it. While a block is running the banner is held back
 *   (update-prompt.ts); the status is kept, so it appears when the block ends.
 * - If another tab applies the update, this tab is switched to the new worker by the browser but still
 *   runs the old code; it says so (same banner, same deferral) instead of reloading by itself.
 * - Checks for a new deploy hourly, skipped while offline or while a worker is already installing
 *   (vite-pwa docs, periodic-sw-updates). Browsers also check on every navigation.
 */
import { Workbox } from 'workbox-window';
import type { UpdateStatus } from '@/features/pwa/update-prompt';
import { createStore, useStore } from '@/lib/store';

const SW_URL = '/sw.js';
const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;
// messageSkipWaiting() can go unanswered (several tabs, a worker that went redundant: vite-plugin-pwa
// #583/#352). After this long without a controller change the tab reloads anyway; the new version then
// takes over once the other tabs close.
const APPLY_FALLBACK_MS = 5000;

const status = createStore<UpdateStatus>('current');
let workbox: Workbox | undefined;

/** This tab's update status; re-renders when it changes. */
export function useUpdateStatus(): UpdateStatus {
  return useStore(status, 'current');
}

/**
 * Activates the waiting worker and reloads into the new version. Call only from the banner, i.e. when
 * no block is running. In the `applied-elsewhere` case the new worker already controls the tab, so a
 * reload is all that is left.
 */
export function applyUpdate(): void {
  if (status.get() === 'applied-elsewhere' || !workbox) {
    window.location.reload();
    return;
  }
  status.set('applying');
  workbox.messageSkipWaiting();
  window.setTimeout(() => window.location.reload(), APPLY_FALLBACK_MS);
}

async function checkForUpdate(registration: ServiceWorkerRegistration): Promise<void> {
  if (registration.installing || !navigator.onLine) return;
  try {
    // Probe first: registration.update() rejects when the server is unreachable, which would surface as
    // an unhandled error; a failed probe just means "try again next hour".
    const response = await fetch(SW_URL, { cache: 'no-store' });
    if (response.status === 200) await registration.update();
  } catch {
    // Offline or the server is down: the next check (or the next navigation) will find the update.
  }
}

/** Registers /sw.js and wires the update flow. Safe to call once at start-up. */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || workbox) return;
  const wb = new Workbox(SW_URL);
  workbox = wb;
  // Whether a worker controlled this tab before the latest controller change. Workbox's own `isUpdate`
  // is fixed at registration time, so it is wrong for a tab that was first claimed by a fresh install
  // (sw.ts claims clients) and later sees an update.
  let controlled = navigator.serviceWorker.controller !== null;

  wb.addEventListener('waiting', () => {
    if (status.get() === 'current') status.set('available');
  });
  wb.addEventListener('controlling', () => {
    const wasControlled = controlled;
    controlled = true;
    if (status.get() === 'applying') window.location.reload();
    // The first install claiming this tab is not an update; only a replaced controller is.
    else if (wasControlled) status.set('applied-elsewhere');
  });

  wb.register().then(
    (registration) => {
      if (!registration) return;
      window.setInterval(() => void checkForUpdate(registration), UPDATE_CHECK_INTERVAL_MS);
    },
    // The app works without a service worker (online only); an unhandled rejection would be noise.
    (error: unknown) => console.warn('Service worker registration failed; Rounds will not work offline.', error),
  );
}
