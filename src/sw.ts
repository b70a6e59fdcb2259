/**
 * The service worker. Contract:
 * - Precaches the whole build (shell, every route chunk, CSS, icons, manifest; the list is injected at
 *   build time by vite-plugin-pwa) and serves it cache-first, so the app opens and every route loads
 *   offline from the first visit on.
 * - Answers same-origin page navigations with the precached index.html (the SPA fallback), except for
 *   API-looking paths and anything that names a file: those always go to the network.
 * - Question images (signed URLs of the question-media bucket, decision 025) are answered from Cache
 *   Storage, keyed by object path without the token, so a stored copy answers any later signing of it
 *   and the token-less URL the page uses offline: first the offline download's cache (MEDIA_CACHE,
 *   written by the page only), then the images seen online (SEEN_MEDIA_CACHE, written here: at most
 *   SEEN_MEDIA_MAX_ENTRIES, least recently used out, via workbox-expiration's timestamps in IndexedDB;
 *   dropped whole under quota). A miss goes to the network (CORS, no credentials) and is kept in the
 *   seen cache when an <img> asked for it with a token and it is an image (the download's own fetches
 *   are not kept twice).
 * - Touches nothing else. API requests (another origin: REST, auth) are never intercepted or cached;
 *   they are user-specific, and offline data is React Query's persisted cache, not this worker's.
 * - A new version waits until the page sends SKIP_WAITING (the user accepted "Update available"), so a
 *   deploy never swaps code under a running block. See src/features/pwa/register-sw.ts.
 */
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheExpiration } from 'workbox-expiration';
import { isImageType, MEDIA_CACHE, MEDIA_URL_PATH, SEEN_MEDIA_CACHE, SEEN_MEDIA_MAX_ENTRIES } from '@/lib/question-media-cache';

declare let self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> };

// Registered first so a precached URL (index.html at "/", hashed assets) is always answered from the
// precache before any other route is consulted.
precacheAndRoute(self.__WB_MANIFEST);

// Drops precaches written by older Workbox versions' cache formats; revisions of this precache are
// already replaced on activation.
cleanupOutdatedCaches();

registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    denylist: [
      // Supabase-style API paths, in case the API is ever proxied under the app's origin: an auth
      // callback or REST URL answered with the app shell would look like success and break sign-in.
      /^\/(?:rest|auth|storage|functions|realtime)\//,
      // A missing chunk must 404, never be answered with HTML (vite-plugin-pwa#775).
      /^\/assets\//,
      // Anything that names a file (/robots.txt, /sw.js, /build-info.json) is that file or a 404.
      /\/[^/?]+\.[^/?]+$/,
    ],
  }),
);

// Question images: cache-first by path, downloaded copies first, then images seen online, then the
// network. Objects are never overwritten (each image has a new UUID name), so a cached copy is never
// stale. Hand-written rather than workbox-strategies' CacheFirst: that needs a cacheKeyWillBeUsed plugin
// to drop the token, reads one cache only, and is a dependency the app does not otherwise have.
// Only answers that carried a token are kept: a token-less request only ever comes from the page
// offline, and its network answer (an error) is not an image.
const seenExpiration = new CacheExpiration(SEEN_MEDIA_CACHE, { maxEntries: SEEN_MEDIA_MAX_ENTRIES });

/** Keeps an image seen online, least recently used out past the cap; under quota, drops all of them. */
async function keepSeen(key: string, response: Response): Promise<void> {
  try {
    await (await caches.open(SEEN_MEDIA_CACHE)).put(key, response);
    await seenExpiration.updateTimestamp(key);
    await seenExpiration.expireEntries();
  } catch (error) {
    // The first thing given up under storage pressure; downloaded images and the answer outbox stay.
    if ((error instanceof DOMException || error instanceof Error) && error.name === 'QuotaExceededError') await caches.delete(SEEN_MEDIA_CACHE).catch(() => undefined);
  }
}

registerRoute(
  ({ url, request }) => request.method === 'GET' && url.pathname.includes(MEDIA_URL_PATH),
  async ({ url, request, event }) => {
    const key = `${url.origin}${url.pathname}`;
    const downloaded = await (await caches.open(MEDIA_CACHE)).match(key);
    if (downloaded) return downloaded;
    const seen = await (await caches.open(SEEN_MEDIA_CACHE)).match(key);
    if (seen) {
      // Recently used: the last to expire.
      event.waitUntil(seenExpiration.updateTimestamp(key).catch(() => undefined));
      return seen;
    }
    const response = await fetch(url.href, { mode: 'cors', credentials: 'omit' });
    // Kept only for an image the page shows (<img>): the offline download fetches from script
    // (destination '') and stores its own copy, which must not be stored twice.
    if (response.ok && request.destination === 'image' && url.searchParams.has('token') && isImageType(response.headers.get('content-type'))) {
      event.waitUntil(keepSeen(key, response.clone()));
    }
    return response;
  },
);

// Handled here, not inside `install`: a worker that is already installed and waiting never re-runs
// install-time listeners, so a handler added there would ignore the page's message (GoogleChrome/
// workbox#2525). workbox-window's messageSkipWaiting() posts { type: 'SKIP_WAITING' }.
self.addEventListener('message', (event) => {
  const data: unknown = event.data;
  if (typeof data === 'object' && data !== null && 'type' in data && data.type === 'SKIP_WAITING') {
    void self.skipWaiting();
  }
});

// Claim on every activation. First install: nothing controls the page yet, and without claiming, the
// route chunks it lazy-loads for the rest of that first visit would bypass the precache, so a student
// who goes offline before reloading could not open a new page. Updates: activation only happens after
// the user accepted (SKIP_WAITING), and that tab reloads on `controlling`; other open tabs are switched
// to the new worker by the browser anyway, and register-sw.ts asks them to reload once no block runs.
clientsClaim();
