/**
 * Where question images are cached on the device, shared by the page (the offline download writes
 * here) and the service worker (src/sw.ts answers from here). Kept free of imports so the worker stays
 * small. Keys are object URLs WITHOUT a signed URL's token: a token changes with every signing, the
 * object behind a path never does (the editor writes each image under a new UUID name, decision 025).
 */

/** The Cache Storage cache of question images: the app may drop it whole under storage pressure. */
export const MEDIA_CACHE = 'rounds-question-media-v1';

/** The path every signed URL of the bucket has after the API's origin (and every cache key). */
export const MEDIA_URL_PATH = '/storage/v1/object/sign/question-media/';

/** The cache key of object `path`: `<api>/storage/v1/object/sign/question-media/<path>`, no token. */
export function mediaCacheKey(apiUrl: string, path: string): string {
  return `${apiUrl.replace(/\/+$/, '')}${MEDIA_URL_PATH}${path}`;
}
