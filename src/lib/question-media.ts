/**
 * Images of a question (`questions.media`, docs/decisions/025-question-images.md): the record's shape as
 * the server checks it (private.question_media_errors), and the choices every reader makes from it —
 * which encoded width to fetch for a layout width, what the offline download will cost, and under which
 * key an image is cached (its object path, never a signed URL's token, so the key survives re-signing).
 * Shared by the player, the review, the offline download and the instructor's editor and previews.
 */
import { z } from 'zod';
import { CHOICES } from '@/lib/taxonomy';

/** The widths the editor encodes (never upscaled: a smaller original keeps its own width instead). */
export const MEDIA_WIDTHS = [480, 960, 1600] as const;
export const MEDIA_BUCKET = 'question-media';
/** At most this many images per question (the server's check too). */
export const MAX_IMAGES = 10;

export const mediaVariantSchema = z.object({
  w: z.number().int().min(1).max(1600),
  path: z.string().regex(/^q\/[1-9][0-9]{0,17}\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/),
  bytes: z.number().int().min(1).max(5 * 1024 * 1024),
  type: z.enum(['image/webp', 'image/jpeg', 'image/png']),
});
export type MediaVariant = z.infer<typeof mediaVariantSchema>;

const optionalText = (label: string) => z.string().trim().min(1).max(300, `${label} must be at most 300 characters`).nullish();

export const mediaItemSchema = z
  .object({
    id: z.uuid(),
    placement: z.enum(['stem', 'explanation', 'choice']),
    choice: z.enum(CHOICES).nullish(),
    position: z.number().int().min(0).max(9),
    alt: z.string().trim().min(1, 'Alt text is required: describe the image for someone who cannot see it').max(300, 'Alt text must be at most 300 characters'),
    caption: optionalText('A caption'),
    credit: optionalText('A credit'),
    width: z.number().int().min(1).max(20000),
    height: z.number().int().min(1).max(20000),
    variants: z.array(mediaVariantSchema).min(1).max(3),
  })
  .refine((m) => (m.placement === 'choice') === Boolean(m.choice), { message: 'An image in a choice names its choice (A–E); others do not', path: ['choice'] })
  .refine((m) => m.variants.every((v, i) => v.w <= m.width && (i === 0 || v.w > (m.variants[i - 1]?.w ?? 0))), {
    message: 'Encoded widths must be increasing and at most the image’s width',
    path: ['variants'],
  });
export type MediaItem = z.infer<typeof mediaItemSchema>;
export type MediaPlacement = MediaItem['placement'];

/** A question's images as stored; rows written before images existed (offline copies) have none. */
export const questionMediaSchema = z.array(mediaItemSchema).max(MAX_IMAGES, `At most ${MAX_IMAGES} images per question`).default([]);

/** An image as it is saved: text trimmed, an empty caption or credit left out (the server refuses ""). */
export function normalizeMediaItem(item: MediaItem): MediaItem {
  const { caption, credit, choice, ...rest } = item;
  return {
    ...rest,
    alt: item.alt.trim(),
    ...(item.placement === 'choice' && choice ? { choice } : {}),
    ...(caption?.trim() ? { caption: caption.trim() } : {}),
    ...(credit?.trim() ? { credit: credit.trim() } : {}),
  };
}

/** The images shown at one place of a question (its stem, its explanation or one choice), in order. */
export function mediaAt(media: readonly MediaItem[], placement: MediaPlacement, choice?: string): MediaItem[] {
  return media.filter((m) => m.placement === placement && (placement !== 'choice' || m.choice === choice)).sort((a, b) => a.position - b.position);
}

/**
 * The variant to fetch for `targetPx` device pixels of width: the narrowest that covers it, else the
 * widest there is (the original was smaller). Variants are stored narrowest first.
 */
export function chooseVariant(item: Pick<MediaItem, 'variants'>, targetPx: number): MediaVariant | undefined {
  return item.variants.find((v) => v.w >= targetPx) ?? item.variants.at(-1);
}

/** The widest a question image is laid out, in CSS pixels (the content column of styles.css, 46rem). */
export const MAX_LAYOUT_CSS_PX = 736;

/**
 * The device pixels an image needs on this screen: the content column or the screen, whichever is
 * narrower, times the pixel ratio — capped at 2, because past it a phone cannot show the difference
 * in a figure a few centimetres wide, and the download would double.
 */
export function deviceTargetPx(screenCssPx: number, devicePixelRatio: number): number {
  return Math.round(Math.min(screenCssPx, MAX_LAYOUT_CSS_PX) * Math.min(Math.max(devicePixelRatio, 1), 2));
}

/** The one variant per image that the offline download stores for `targetPx`, with their total bytes. */
export function offlineImagePlan(questions: readonly { media: readonly MediaItem[] }[], targetPx: number): { paths: string[]; bytes: number } {
  const paths: string[] = [];
  let bytes = 0;
  for (const q of questions) {
    for (const item of q.media) {
      const v = chooseVariant(item, targetPx);
      if (!v) continue;
      paths.push(v.path);
      bytes += v.bytes;
    }
  }
  return { paths, bytes };
}

/** The `sizes` attribute for an image at `placement`: choices are shown narrower than stem and explanation. */
export function sizesFor(placement: MediaPlacement): string {
  return placement === 'choice' ? '(min-width: 48rem) 20rem, 60vw' : '(min-width: 48rem) 44rem, calc(100vw - 2rem)';
}

/** `srcset` from the variants that have a URL (all of them online; the cached ones offline). */
export function srcSetOf(item: Pick<MediaItem, 'variants'>, urls: ReadonlyMap<string, string>): { src: string; srcSet: string } | null {
  const available = item.variants.flatMap((v) => {
    const url = urls.get(v.path);
    return url ? [{ w: v.w, url }] : [];
  });
  const fallback = available.find((a) => a.w >= 960) ?? available.at(-1);
  if (!fallback) return null;
  return { src: fallback.url, srcSet: available.map((a) => `${a.url} ${a.w}w`).join(', ') };
}

/** Every object path a question's images refer to. */
export function mediaPaths(media: readonly MediaItem[]): string[] {
  return media.flatMap((m) => m.variants.map((v) => v.path));
}
