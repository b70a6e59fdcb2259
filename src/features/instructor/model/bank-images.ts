/**
 * A bank file's images → what the import attaches to the created question (and what it cannot), and a
 * question's stored images → the bank media the exporters write (docs/decisions/026-lms-bank-formats.md,
 * "Images"). Pure: the uploads (attachQuestionImages) and the downloads (export-questions.ts) are the
 * api's.
 *
 * Alt text is required on every Rounds image (decision 025). A bank image without one gets a generated
 * description that says where it came from — "Image 1 of question 3 (from histology.png)" — and is
 * flagged, so the preview and the result can tell the author which ones to describe in the editor.
 */
import { MAX_IMAGES, type MediaItem, type MediaPlacement } from '@/lib/question-media';
import { CHOICES, type Choice } from '@/lib/taxonomy';
import type { BankQuestion, QuestionMedia } from '@/features/instructor/model/bank-question';

/** One image a created question will get: the file's bytes and where and how it is shown. */
export interface BankImage {
  name: string;
  mimeType: string;
  bytes: Uint8Array;
  placement: MediaPlacement;
  choice?: Choice;
  alt: string;
  /** The file had no alt text: `alt` was written by Rounds and should be replaced by the author. */
  altGenerated: boolean;
}

export interface BankImagePlan {
  images: BankImage[];
  /** Images of the file the question cannot take, with the reason (more than MAX_IMAGES). */
  leftOut: { name: string; reason: string }[];
}

const MAX_ALT = 300;

/** "question 3 (g3f1c2/g3f1c2.xml)" → "question 3": the short name used in generated alt text. */
const shortWhere = (where: string) => /^question \d+/.exec(where)?.[0] ?? where;

/** The images a bank question will be created with, in the file's order (stem, choices, explanation). */
export function bankImagePlan(q: Pick<BankQuestion, 'where' | 'media'>): BankImagePlan {
  const plan: BankImagePlan = { images: [], leftOut: [] };
  q.media.forEach((m, i) => {
    if (i >= MAX_IMAGES) {
      plan.leftOut.push({ name: m.name, reason: `A Rounds question holds at most ${MAX_IMAGES} images; this is image ${i + 1}.` });
      return;
    }
    const given = m.alt?.replace(/\s+/g, ' ').trim() ?? '';
    const alt = given || `Image ${i + 1} of ${shortWhere(q.where)} (from ${m.name})`;
    const place = m.part === 'stem' || m.part === 'explanation' ? { placement: m.part } : { placement: 'choice' as const, choice: m.part };
    plan.images.push({
      name: m.name,
      mimeType: m.mimeType,
      bytes: m.bytes,
      ...place,
      alt: alt.length > MAX_ALT ? `${alt.slice(0, MAX_ALT - 1)}…` : alt,
      altGenerated: given === '',
    });
  });
  return plan;
}

const EXTENSION: Record<string, string> = { 'image/webp': 'webp', 'image/jpeg': 'jpg', 'image/png': 'png' };

/**
 * The variant an export embeds: the widest (the one closest to the author's original; decision 025
 * keeps no original).
 */
export function exportVariant(item: Pick<MediaItem, 'variants'>): MediaItem['variants'][number] | undefined {
  return item.variants.at(-1);
}

/**
 * A stored question's images as bank media, in the order the question shows them (stem, choices A–E,
 * explanation; by position within each), each with the bytes of its widest variant from `bytesOf`.
 * Names are "<place>-<n>.<ext>" ("stem-1.webp", "choice-c-1.webp"): readable in the LMS and unique in
 * the question. Caption and credit have no place in Moodle XML or QTI's <img> and are not exported.
 */
export function exportMedia(media: readonly MediaItem[], bytesOf: (path: string) => Uint8Array): QuestionMedia[] {
  const order = (m: MediaItem) => (m.placement === 'stem' ? 0 : m.placement === 'explanation' ? 6 : 1 + CHOICES.indexOf(m.choice ?? 'A'));
  const sorted = [...media].sort((a, b) => order(a) - order(b) || a.position - b.position);
  const counts = new Map<string, number>();
  return sorted.flatMap((m) => {
    const v = exportVariant(m);
    if (!v) return [];
    const place = m.placement === 'choice' ? `choice-${(m.choice ?? 'A').toLowerCase()}` : m.placement;
    const n = (counts.get(place) ?? 0) + 1;
    counts.set(place, n);
    return [
      {
        name: `${place}-${n}.${EXTENSION[v.type] ?? 'img'}`,
        mimeType: v.type,
        bytes: bytesOf(v.path),
        alt: m.alt,
        part: m.placement === 'choice' ? (m.choice ?? 'A') : m.placement,
      },
    ];
  });
}
