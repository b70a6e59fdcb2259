/**
 * URLs for question images in the private bucket (docs/decisions/025-question-images.md, "URLs").
 * Online: one createSignedUrls call for every variant of a block's (or a question's) images, so the
 * browser can pick a width from `srcset`. Offline, or when signing fails: the token-less cache keys of
 * the variants this device holds in Cache Storage (downloaded or seen online: both caches of
 * question-media-cache.ts), which the service worker answers (src/sw.ts); a
 * variant it does not hold gets no URL, and the figure says the image is not available offline.
 */
import { queryOptions } from '@tanstack/react-query';
import { MEDIA_BUCKET } from '@/lib/question-media';
import { MEDIA_CACHES, mediaCacheKey } from '@/lib/question-media-cache';
import { supabase, supabaseUrl } from '@/lib/supabase';

/** Signed URLs live an hour; the query is refreshed before they run out. */
const SIGNED_URL_SECONDS = 60 * 60;

/** object path → URL, for the paths that have one. */
export type MediaUrls = Readonly<Record<string, string>>;

/** The token-less URLs of the `paths` this device holds: downloaded (MEDIA_CACHE) or seen online (SEEN_MEDIA_CACHE). */
async function cachedUrls(paths: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (typeof caches === 'undefined') return out;
  try {
    // Either cache answers: the service worker looks in both, downloaded first (src/sw.ts).
    const held = await Promise.all(MEDIA_CACHES.map((name) => caches.open(name)));
    await Promise.all(
      paths.map(async (path) => {
        const key = mediaCacheKey(supabaseUrl, path);
        for (const cache of held) {
          if (await cache.match(key)) {
            out[path] = key;
            return;
          }
        }
      }),
    );
  } catch {
    // No Cache Storage (private mode, insecure context): nothing offline, figures say so.
  }
  return out;
}

/** Signs every path in one request; falls back to what this device holds when that fails. */
export async function resolveMediaUrls(paths: readonly string[]): Promise<MediaUrls> {
  if (paths.length === 0) return {};
  const signed = await supabase.storage
    .from(MEDIA_BUCKET)
    .createSignedUrls([...paths], SIGNED_URL_SECONDS)
    .catch(() => null);
  const data = signed?.data;
  if (!data) return cachedUrls(paths);
  const out: Record<string, string> = {};
  const unsigned: string[] = [];
  for (const entry of data) {
    if (entry.path && entry.signedUrl && !entry.error) out[entry.path] = entry.signedUrl;
    else if (entry.path) unsigned.push(entry.path);
  }
  return unsigned.length > 0 ? { ...(await cachedUrls(unsigned)), ...out } : out;
}

/** The URLs of `paths` (sorted into the key, so the same set is one query wherever it is asked for). */
export function getMediaUrlsQueryOptions(paths: readonly string[]) {
  const sorted = [...new Set(paths)].sort();
  return queryOptions({
    queryKey: ['question-media-urls', sorted] as const,
    queryFn: () => resolveMediaUrls(sorted),
    enabled: sorted.length > 0,
    // Refreshed well before the signatures expire; an offline answer (cache keys) is retried on the
    // next mount or reconnect, so a block opened offline gets signed URLs once the network is back.
    staleTime: 45 * 60 * 1000,
    gcTime: 50 * 60 * 1000,
    // Signed URLs expire: never stored with the cache. Offline the fallback answers without a network.
    meta: { persist: false },
    networkMode: 'always',
    retry: false,
  });
}
