/**
 * The browser's install offer (Chromium's `beforeinstallprompt`), stashed so the app can show its own
 * "Install app" button instead of the browser's mini-infobar. Installing matters more than usual here:
 * iOS and Safari evict a site's storage after 7 days without a visit unless it is installed
 * (docs/offline-outbox.md#storage-eviction-and-installing). Safari never fires the event; there the button
 * simply never appears.
 */
import { createStore, useStore } from '@/lib/store';

/** Not in TypeScript's DOM lib (Chromium-only, https://wicg.github.io/manifest-incubations/). */
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed'; platform: string }>;
}

declare global {
  interface WindowEventMap {
    beforeinstallprompt: BeforeInstallPromptEvent;
  }
}

/** The browser's pending offer; null when there is none, it was used, or the app got installed. */
const offer = createStore<BeforeInstallPromptEvent | null>(null);

/** Whether the browser offered installation and the app is not installed yet. */
export function useCanInstall(): boolean {
  return useStore(offer, null) !== null;
}

/** Shows the browser's install dialog. The offer is single-use, so it is dropped whatever the answer. */
export async function promptInstall(): Promise<void> {
  const event = offer.get();
  if (!event) return;
  offer.set(null);
  await event.prompt();
}

/**
 * Starts listening. Call at start-up, before React renders: the event can fire before any component
 * mounts, and it is not repeated.
 */
export function listenForInstallPrompt(): void {
  window.addEventListener('beforeinstallprompt', (event) => {
    // Keeps Chromium's own infobar away; our button offers the same thing at a calmer moment.
    event.preventDefault();
    offer.set(event);
  });
  window.addEventListener('appinstalled', () => offer.set(null));
}
