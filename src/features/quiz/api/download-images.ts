/**
 * The images half of "Make available offline" (docs/decisions/025-question-images.md, "Offline"):
 * one variant per image, the width that fits this device, stored in Cache Storage under its object path
 * (src/lib/question-media-cache.ts), where the service worker answers it offline.
 *
 * Contract:
 * - What it will cost is known before starting: the records carry every variant's bytes
 *   (`getBankImagesQueryOptions` reads only the published questions that have images).
 * - Progress counts bytes (the record's, per image stored). Already stored images are not fetched again;
 *   stored images no question refers to any more are dropped.
 * - Under storage pressure (QuotaExceededError) the whole image cache is dropped — images are the one
 *   thing the app gives up; the questions and the answer outbox (IndexedDB) are never touched here.
 */
import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { fetchAllRows } from '@/lib/paging';
import { MEDIA_BUCKET, mediaPaths, offlineImagePlan, questionMediaSchema, type MediaItem } from '@/lib/question-media';
import { MEDIA_CACHE, mediaCacheKey } from '@/lib/question-media-cache';
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

/**
 * Stores one variant per image of `questions` for `targetPx` device pixels; `onProgress(bytes, total)`.
 * Returns how many images and bytes are stored for them. Throws ImagesDidNotFitError under quota.
 */
export async function downloadImages(
  questions: readonly { media: readonly MediaItem[] }[],
  targetPx: number,
  onProgress: (loaded: number, total: number) => void,
): Promise<{ images: number; bytes: number }> {
  const plan = offlineImagePlan(questions, targetPx);
  const bytesOf = new Map<string, number>();
  for (const q of questions) for (const m of q.media) for (const v of m.variants) bytesOf.set(v.path, v.bytes);
  const cache = await caches.open(MEDIA_CACHE);
  // Copies of images no published question has any more (edited, unpublished) are dropped; other
  // widths of current images (kept by the service worker when seen online) stay.
  const known = new Set(questions.flatMap((q) => mediaPaths(q.media)).map((p) => mediaCacheKey(supabaseUrl, p)));
  for (const request of await cache.keys()) if (!known.has(request.url)) await cache.delete(request);

  let loaded = 0;
  const missing: string[] = [];
  for (const path of plan.paths) {
    if (await cache.match(mediaCacheKey(supabaseUrl, path))) loaded += bytesOf.get(path) ?? 0;
    else missing.push(path);
  }
  onProgress(loaded, plan.bytes);
  try {
    for (let i = 0; i < missing.length; i += SIGN_BATCH) {
      const batch = missing.slice(i, i + SIGN_BATCH);
      const { data } = await supabase.storage.from(MEDIA_BUCKET).createSignedUrls(batch, 10 * 60);
      const signed = (data ?? []).flatMap((d) => (d.path && d.signedUrl ? [{ path: d.path, url: d.signedUrl }] : []));
      for (let j = 0; j < signed.length; j += PARALLEL) {
        await Promise.all(
          signed.slice(j, j + PARALLEL).map(async ({ path, url }) => {
            const response = await fetch(url, { mode: 'cors', credentials: 'omit' });
            if (!response.ok) return;
            await cache.put(mediaCacheKey(supabaseUrl, path), response);
            loaded += bytesOf.get(path) ?? 0;
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
  return { images: plan.paths.length, bytes: plan.bytes };
}
