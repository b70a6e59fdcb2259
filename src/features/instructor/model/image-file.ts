/**
 * Turning an author's image file into the widths the app serves (docs/decisions/025-question-images.md):
 * refused before any work if it is not an image, is a GIF or an SVG (the types decision 025 leaves out:
 * a re-encode would keep only a GIF's first frame) or is larger than 20 MB, decoded once (createImageBitmap),
 * drawn at 480, 960 and 1600 px wide — never upscaled: a narrower original keeps its own width as its
 * widest variant — and encoded as WebP, or JPEG where the browser cannot encode WebP (canvas.toBlob
 * quietly returns PNG for a type it does not support).
 */
import { MEDIA_WIDTHS } from '@/lib/question-media';

/** The largest file the editor accepts to encode (the stored widths are far smaller). */
export const MAX_SOURCE_BYTES = 20 * 1024 * 1024;

/** A file the browser cannot turn into widths, with the author's wording as its message. */
export class ImageFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageFileError';
  }
}

/** Why `file` cannot be added, in words for the author, or null when it can. */
export function imageFileProblem(file: { name: string; type: string; size: number }): string | null {
  if (file.type === 'image/gif') {
    return `${file.name} is a GIF, which Rounds does not take (an animation would keep only its first frame). Save it as PNG, JPEG or WebP and try again.`;
  }
  if (!file.type.startsWith('image/') || file.type === 'image/svg+xml') {
    return `${file.name} is not an image Rounds can use. Choose a JPEG, PNG or WebP file.`;
  }
  if (file.size > MAX_SOURCE_BYTES) {
    return `${file.name} is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is 20 MB. Export it smaller and try again.`;
  }
  return null;
}

/** The widths to encode an image `width` px wide: the standard widths below it, then its own (≤ 1600). */
export function plannedWidths(width: number): number[] {
  const below = MEDIA_WIDTHS.filter((w) => w < width);
  return width <= 1600 ? [...below, width] : [...MEDIA_WIDTHS];
}

export interface EncodedWidth {
  w: number;
  blob: Blob;
  type: 'image/webp' | 'image/jpeg';
  ext: 'webp' | 'jpg';
}

export interface EncodedImage {
  width: number;
  height: number;
  widths: EncodedWidth[];
}

function toBlob(canvas: HTMLCanvasElement, type: string, quality: number): Promise<Blob | null> {
  return new Promise((resolve) => canvas.toBlob(resolve, type, quality));
}

/**
 * Decodes `file` and encodes every planned width; `onProgress(done, total)` after each. Throws an
 * ImageFileError with an author-facing message when the browser cannot decode or encode the file.
 */
export async function encodeImage(file: Blob, onProgress?: (done: number, total: number) => void): Promise<EncodedImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new ImageFileError('This file could not be read as an image: it may be damaged, or in a format this browser cannot open. Choose a JPEG, PNG or WebP file.');
  }
  try {
    const { width, height } = bitmap;
    const widths = plannedWidths(width);
    const out: EncodedWidth[] = [];
    onProgress?.(0, widths.length);
    for (const w of widths) {
      const canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = Math.max(1, Math.round((height * w) / width));
      const context = canvas.getContext('2d');
      if (!context) throw new ImageFileError('This browser cannot prepare images. Try another browser.');
      context.imageSmoothingQuality = 'high';
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      const webp = await toBlob(canvas, 'image/webp', 0.82);
      if (webp && webp.type === 'image/webp') out.push({ w, blob: webp, type: 'image/webp', ext: 'webp' });
      else {
        const jpeg = await toBlob(canvas, 'image/jpeg', 0.85);
        if (!jpeg) throw new ImageFileError('This browser cannot prepare images. Try another browser.');
        out.push({ w, blob: jpeg, type: 'image/jpeg', ext: 'jpg' });
      }
      onProgress?.(out.length, widths.length);
    }
    return { width, height, widths: out };
  } finally {
    bitmap.close();
  }
}
