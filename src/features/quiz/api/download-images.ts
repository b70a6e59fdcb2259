/**
 * The images half of "Make available offline" (docs/decisions/025-question-images.md, "Offline"):
 * one variant per image, the width that fits this device, stored in Cache Storage under its object path
 * (src/lib/question-media-cache.ts), where the service worker answers it offline.
 *
 * Contract:
 * - What it will cost is known before starting: the records carry every variant's bytes
 *   (`getBankImagesQueryOptions` reads only the published questions that have images).
 * - Progress counts bytes (the record's, per image stored). Already stored images are not fetched again;
 *   stored images the plan no longer names (a question edited or unpublished, another width) are dropped.
 * - Only a whole image is stored: a body that is not a success, not an image, or not exactly the bytes
 *   its record says (imageBodyProblem) is fetched once more, then counted as failed and not stored; the
 *   result says how many failed, so the page can say so (a later download tries them again).
 * - Under storage pressure (QuotaExceededError) the images seen online (SEEN_MEDIA_CACHE) go first; if
 *   the image still does not fit, the whole downloaded image cache is dropped — images are the one thing
 *   the app gives up; the questions and the answer outbox (IndexedDB) are never touched here.
 */
import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { fetchAllRows } from '@/lib/paging';
import { MEDIA_BUCKET, offlineImagePlan, questionMediaSchema, type MediaItem } from '@/lib/question-media';
import { imageBodyProblem, MEDIA_CACHE, mediaCacheKey, SEEN_MEDIA_CACHE } from '@/lib/question-media-cache';
import { supabase, supabaseUrl } from '@/lib/supabase';
import { quizKeys } from './keys';

const imageRowsSchema = z.array(z.object({ id: z.number().int(), media: questionMediaSchema }));

/** The images of every published question that has any (for the estimate before a download). */
export function getBankImagesQueryOptions() {
  return queryOptions({
    queryKey: quizKeys.bankImages(),
    queryFn: async ({ signal }) => {
      const rows = await fetchAllRows((from, to) =>
        supabase.from('questions').select('id, media').eq('published', true).neq('media', '[]').order('id').range(from, to).abortSignal(signal).throwOnError(),
      );
      return imageRowsSchema.parse(rows);
    },
    // Only sizes an estimate; an hour is fresh enough, and the download itself uses the bank it reads.
    staleTime: 60 * 60 * 1000,
    retry: false,
  });
}

/** The images did not fit: the image cache was dropped, the questions are stored without them. */
export class ImagesDidNotFitError extends Error {
  constructor() {
    super('There was not enough space for the images: the questions are available offline without them.');
    this.name = 'ImagesDidNotFitError';
  }
}

const isQuotaError = (error: unknown) => (error instanceof DOMException || error instanceof Error) && error.name === 'QuotaExceededError';

/** How many signed URLs one request asks for. */
const SIGN_BATCH = 100;
/** Images fetched at once: enough to fill a phone's link, few enough not to starve the page. */
const PARALLEL = 4;
/** Tries per image (and per signing request): one retry. */
const TRIES = 2;

/** What a download stored: images and bytes on the device for the plan, and images that could not be stored. */
export interface StoredImages {
  images: number;
  bytes: number;
  failed: number;
}

/** The body of `url` when it is the whole image its record describes; null otherwise (after TRIES). */
async function fetchWholeImage(url: string, expectedBytes: number): Promise<Blob | null> {
  for (let attempt = 0; attempt < TRIES; attempt++) {
    try {
      const response = await fetch(url, { mode: 'cors', credentials: 'omit' });
      // The body is read whatever the status, so the connection is free for the next image.
      const body = await response.blob();
      const problem = imageBodyProblem({ status: response.status, contentType: response.headers.get('content-type'), bytes: body.size }, expectedBytes);
      if (problem === null) return body;
    } catch {
      // The network failed mid-answer (offline, reset): try again, then count it as failed.
    }
  }
  return null;
}

/** Signed URLs for `paths` (path → URL); a path the server would not sign is left out. */
async function signAll(paths: string[]): Promise<Map<string, string>> {
  for (let attempt = 0; attempt < TRIES; attempt++) {
    const { data } = await supabase.storage.from(MEDIA_BUCKET).createSignedUrls(paths, 10 * 60);
    if (data) return new Map(data.flatMap((d) => (d.path && d.signedUrl && !d.error ? [[d.path, d.signedUrl] as const] : [])));
  }
  return new Map();
}

/** Stores `body` under `key`; under quota, drops the images seen online and tries once more (then throws). */
async function put(cache: Cache, key: string, body: Blob): Promise<void> {
  const response = () => new Response(body, { headers: { 'content-type': body.type, 'content-length': String(body.size) } });
  try {
    await cache.put(key, response());
  } catch (error) {
    if (!isQuotaError(error)) throw error;
    await caches.delete(SEEN_MEDIA_CACHE);
    await cache.put(key, response());
  }
}

/**
 * Stores one variant per image of `questions` for `targetPx` device pixels; `onProgress(bytes, total)`.
 * Returns how many images and bytes are stored for them and how many could not be stored. Throws
 * ImagesDidNotFitError under quota.
 */
export async function downloadImages(
  questions: readonly { media: readonly MediaItem[] }[],
  targetPx: number,
  onProgress: (loaded: number, total: number) => void,
): Promise<StoredImages> {
  const plan = offlineImagePlan(questions, targetPx);
  const bytesOf = new Map<string, number>();
  for (const q of questions) for (const m of q.media) for (const v of m.variants) bytesOf.set(v.path, v.bytes);
  const cache = await caches.open(MEDIA_CACHE);
  // This cache holds downloads only (images seen online have their own, src/sw.ts): what the plan does
  // not name any more is dropped — copies of edited or unpublished questions' images, other widths.
  const planned = new Set(plan.paths.map((p) => mediaCacheKey(supabaseUrl, p)));
  for (const request of await cache.keys()) if (!planned.has(request.url)) await cache.delete(request);

  let loaded = 0;
  let stored = 0;
  const missing: string[] = [];
  for (const path of plan.paths) {
    if (await cache.match(mediaCacheKey(supabaseUrl, path))) {
      loaded += bytesOf.get(path) ?? 0;
      stored++;
    } else missing.push(path);
  }
  onProgress(loaded, plan.bytes);
  try {
    for (let i = 0; i < missing.length; i += SIGN_BATCH) {
      const batch = missing.slice(i, i + SIGN_BATCH);
      const signed = [...(await signAll(batch))];
      for (let j = 0; j < signed.length; j += PARALLEL) {
        await Promise.all(
          signed.slice(j, j + PARALLEL).map(async ([path, url]) => {
            const expected = bytesOf.get(path) ?? 0;
            const body = await fetchWholeImage(url, expected);
            if (!body) return;
            await put(cache, mediaCacheKey(supabaseUrl, path), body);
            loaded += expected;
            stored++;
            onProgress(loaded, plan.bytes);
          }),
        );
      }
    }
  } catch (error) {
    if (isQuotaError(error)) {
      await caches.delete(MEDIA_CACHE).catch(() => undefined);
      throw new ImagesDidNotFitError();
    }
    throw error;
  }
  return { images: stored, bytes: loaded, failed: plan.paths.length - stored };
}
