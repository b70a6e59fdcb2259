/**
 * Putting images into a question (docs/decisions/025-question-images.md). The one path for the editor
 * and the LMS importers alike:
 *   1. `uploadQuestionImage` — check the file, encode its widths in the browser, upload each to
 *      `q/<question id>/<uuid>-<w>.<ext>` (a new name every time: objects are never overwritten, so a
 *      cached copy keyed by path is never stale). Returns the media record, nothing saved yet.
 *   2. save the question's `media` through update_question with the version check
 *      (`saveQuestion` in save-question.ts; `attachQuestionImages` below does 1 and 2 for importers).
 *   3. `removeQuestionObjects` (save-question.ts) — best-effort removal of objects no saved version refers to any more
 *      (a replaced or removed image, an upload whose save failed).
 */
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { classifyError } from '@/lib/network/classify-error';
import { kindFromStatus } from '@/lib/network/network-error';
import { MEDIA_BUCKET, mediaPaths, type MediaItem, type MediaPlacement } from '@/lib/question-media';
import { getErrorMessage } from '@/lib/errors';
import type { Choice } from '@/lib/taxonomy';
import { encodeImage, ImageFileError, imageFileProblem } from '@/features/instructor/model/image-file';
import type { QuestionRow } from '@/features/instructor/model/question';
import { removeQuestionObjects, saveQuestion } from './save-question';

/** An upload or encoding failure worded for the author (Storage's 4xx included). */
export class ImageUploadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageUploadError';
  }
}

const storageStatus = z.object({ statusCode: z.union([z.string(), z.number()]).optional(), status: z.number().optional(), message: z.string().optional() });

/**
 * The failure behind a storage-js error: a rejected fetch reaches us as StorageUnknownError wrapping
 * what the network layer threw (a NetworkError: offline, timeout, circuit open).
 */
const causeOf = (error: unknown): unknown => (typeof error === 'object' && error !== null && 'originalError' in error ? error.originalError : error);

/**
 * Storage's refusal or the network's failure in words for the author. Hosted Storage answers HTTP 400
 * with the real status in the body (`statusCode`, storage-js's `error.statusCode`); a proxy's own 413 has
 * only the HTTP status. Never the server's raw message ("new row violates row-level security policy").
 */
function uploadFailure(error: unknown): ImageUploadError {
  const parsed = storageStatus.safeParse(error);
  const body = parsed.success ? parsed.data : {};
  const status = /^\d{3}$/.test(String(body.statusCode ?? '')) ? Number(body.statusCode) : body.status;
  // Hosted Storage words an expired session as a 403 ("jwt expired"): signing in again is the fix.
  if (/\bjwt\b/i.test(body.message ?? '')) return new ImageUploadError('Your session has expired. Sign in again, then add the image again.');
  switch (status) {
    case 413:
      return new ImageUploadError('This image is still too large after resizing (the limit is 5 MB per width). Try a smaller or simpler image.');
    case 415:
      return new ImageUploadError('Storage accepts only JPEG, PNG and WebP images.');
    case 403:
      return new ImageUploadError('You can no longer add images to this question: only its author and editors can. Reload the page.');
    case 404:
      return new ImageUploadError('This question no longer exists, so its images cannot be stored.');
  }
  switch (status === undefined ? classifyError(causeOf(error)) : kindFromStatus(status)) {
    case 'offline':
    case 'timeout':
    case 'circuit_open':
      return new ImageUploadError('The image could not be uploaded: Rounds could not be reached. Check the connection, then add the image again.');
    case 'server':
      return new ImageUploadError('The image could not be uploaded: the server had a problem. Try again in a moment.');
    case 'unauthorised':
      return new ImageUploadError('Your session has expired. Sign in again, then add the image again.');
    case 'rate_limited':
      return new ImageUploadError('The image could not be uploaded: too many uploads at once. Wait a moment and add it again.');
    case 'client':
      return new ImageUploadError('The image could not be uploaded: Storage did not accept it. Reload the page and try again.');
    case 'unknown':
      return new ImageUploadError('The image could not be uploaded. Try again.');
  }
}

/** Where an image goes in the question, and the words that come with it. */
export interface ImagePlace {
  placement: MediaPlacement;
  /** Only for placement 'choice'. */
  choice?: Choice | undefined;
  position: number;
  alt: string;
  caption?: string | null | undefined;
  credit?: string | null | undefined;
}

/** What an upload reports: encoding widths, then uploading them. */
export type UploadProgress = { stage: 'encoding' | 'uploading'; done: number; total: number };

/**
 * Checks, encodes and uploads one image for question `questionId` (which must exist: its id names the
 * folder the bucket's policies check). Returns the record to save into `media`; nothing is saved.
 * Throws ImageUploadError with the author's wording. Objects of a failed upload are removed.
 */
export async function uploadQuestionImage(
  questionId: number,
  file: File,
  place: ImagePlace,
  onProgress?: (progress: UploadProgress) => void,
): Promise<MediaItem> {
  const problem = imageFileProblem(file);
  if (problem) throw new ImageUploadError(problem);
  let encoded;
  try {
    encoded = await encodeImage(file, (done, total) => onProgress?.({ stage: 'encoding', done, total }));
  } catch (error) {
    // encodeImage words its own failures; anything else (a canvas out of memory…) is worded here.
    throw new ImageUploadError(error instanceof ImageFileError ? error.message : 'This image could not be prepared in this browser. Try a smaller image.');
  }
  const id = crypto.randomUUID();
  const uploaded: string[] = [];
  const variants: MediaItem['variants'] = [];
  try {
    for (const v of encoded.widths) {
      const path = `q/${questionId}/${id}-${v.w}.${v.ext}`;
      onProgress?.({ stage: 'uploading', done: variants.length, total: encoded.widths.length });
      const { error } = await supabase.storage.from(MEDIA_BUCKET).upload(path, v.blob, { contentType: v.type, cacheControl: '31536000', upsert: false });
      if (error) throw uploadFailure(error);
      uploaded.push(path);
      variants.push({ w: v.w, path, bytes: v.blob.size, type: v.type });
    }
  } catch (error) {
    await removeQuestionObjects(uploaded);
    throw error instanceof ImageUploadError ? error : uploadFailure(error);
  }
  onProgress?.({ stage: 'uploading', done: variants.length, total: variants.length });
  return {
    id,
    placement: place.placement,
    ...(place.placement === 'choice' ? { choice: place.choice } : {}),
    position: place.position,
    alt: place.alt.trim(),
    ...(place.caption?.trim() ? { caption: place.caption.trim() } : {}),
    ...(place.credit?.trim() ? { credit: place.credit.trim() } : {}),
    width: encoded.width,
    height: encoded.height,
    variants,
  };
}

/** An image `attachQuestionImages` could not attach (by its index in the list given), and why. */
export interface ImageNotAttached {
  index: number;
  message: string;
}

/**
 * Attaches image files to an existing question in one save, through the same path as the editor:
 * each file is checked, encoded and uploaded (`uploadQuestionImage`), then the question's media — its
 * current `row.media` plus the images that uploaded, placed after those already at the same place — is
 * saved through update_question as an edit of `row.version`.
 *
 * An image that cannot be checked, encoded or uploaded is left out and reported in `notAttached` with
 * the author's wording; the others are still saved (`saved` is null when none uploaded, and nothing is
 * saved). If the save fails (409 → VersionConflictError, offline…), the objects uploaded here are
 * removed and the error is rethrown: nothing is attached.
 * For importers (Moodle XML, GIFT, QTI): create the question first (its id names the images' folder).
 */
export async function attachQuestionImages(
  row: Pick<QuestionRow, 'id' | 'version' | 'media'>,
  images: readonly ({ file: File } & Omit<ImagePlace, 'position'>)[],
  onProgress?: (image: number, progress: UploadProgress) => void,
): Promise<{ saved: QuestionRow | null; notAttached: ImageNotAttached[] }> {
  const added: MediaItem[] = [];
  const notAttached: ImageNotAttached[] = [];
  for (const [i, image] of images.entries()) {
    const taken = [...row.media, ...added].filter((m) => m.placement === image.placement && (image.placement !== 'choice' || m.choice === image.choice));
    const position = taken.reduce((max, m) => Math.max(max, m.position + 1), 0);
    try {
      added.push(await uploadQuestionImage(row.id, image.file, { ...image, position }, (p) => onProgress?.(i, p)));
    } catch (error) {
      notAttached.push({ index: i, message: error instanceof ImageUploadError ? error.message : getErrorMessage(error) });
    }
  }
  if (added.length === 0) return { saved: null, notAttached };
  try {
    return { saved: await saveQuestion({ id: row.id, expectedVersion: row.version, changes: {}, media: [...row.media, ...added] }), notAttached };
  } catch (error) {
    await removeQuestionObjects(mediaPaths(added));
    throw error;
  }
}
