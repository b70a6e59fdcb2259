/**
 * Where question images are cached on the device, shared by the page (the offline download writes
 * here) and the service worker (src/sw.ts answers from here). Kept free of imports so the worker stays
 * small. Keys are object URLs WITHOUT a signed URL's token: a token changes with every signing, the
 * object behind a path never does (the editor writes each image under a new UUID name, decision 025).
 *
 * Two caches (docs/decisions/025-question-images.md, "Offline"):
 * - MEDIA_CACHE holds what "Make available offline" stored: one variant per image, uncapped, pruned by
 *   the next download to what it plans.
 * - SEEN_MEDIA_CACHE holds images the worker saw online, at most SEEN_MEDIA_MAX_ENTRIES, least recently
 *   used first out. Under storage pressure it is the first thing dropped.
 */

/** The Cache Storage cache of downloaded question images (the name it always had, so downloads stay). */
export const MEDIA_CACHE = 'rounds-question-media-v1';

/** The Cache Storage cache of question images seen online: capped, the first thing the app gives up. */
export const SEEN_MEDIA_CACHE = 'rounds-question-media-seen-v1';

/** How many images seen online are kept (about 50 MB at the 960 px width of a 0.26 MB film). */
export const SEEN_MEDIA_MAX_ENTRIES = 200;

/** Where the page looks for an image offline, in order: what was downloaded, then what was seen. */
export const MEDIA_CACHES = [MEDIA_CACHE, SEEN_MEDIA_CACHE] as const;

/** The path every signed URL of the bucket has after the API's origin (and every cache key). */
export const MEDIA_URL_PATH = '/storage/v1/object/sign/question-media/';

/** The cache key of object `path`: `<api>/storage/v1/object/sign/question-media/<path>`, no token. */
export function mediaCacheKey(apiUrl: string, path: string): string {
  return `${apiUrl.replace(/\/+$/, '')}${MEDIA_URL_PATH}${path}`;
}

/** Whether a Content-Type names an image (the bucket takes JPEG, PNG and WebP only). */
export function isImageType(contentType: string | null): boolean {
  return /^image\//i.test(contentType?.trim() ?? '');
}

/**
 * Why a fetched body must not be stored as the image its record describes, or null when it may: the
 * answer was not a success, not an image, or not exactly the `bytes` the record says (a short body
 * would otherwise be kept, and shown broken, for as long as the download stands).
 */
export function imageBodyProblem(got: { status: number; contentType: string | null; bytes: number }, expectedBytes: number): string | null {
  if (got.status < 200 || got.status > 299) return `HTTP ${got.status}`;
  if (!isImageType(got.contentType)) return `not an image (${got.contentType ?? 'no content type'})`;
  if (got.bytes !== expectedBytes) return `${got.bytes} bytes, the record says ${expectedBytes}`;
  return null;
}
