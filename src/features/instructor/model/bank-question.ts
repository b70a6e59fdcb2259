/**
 * What the LMS bank parsers (moodle-xml.ts, gift.ts, qti.ts) produce and the exporters take: a question
 * in Rounds' shape plus its images, and the questions of the file that Rounds cannot take, each with the
 * reason. The media model is deliberately small so the image slice of issue #20 can plug in:
 *
 *   QuestionMedia = { name, mimeType, bytes, alt?, part }   part: 'stem' | 'explanation' | 'A'…'E'
 *
 * `name` is unique within its question; `bytes` are the file as it was in the bank (nothing is
 * re-encoded). Where an image sat inside the text is not kept: Rounds shows a part's images with that
 * part, and the text keeps no placeholder.
 */
import { CHOICES, disciplineLabel, organSystemLabel, type Choice } from '@/lib/taxonomy';
import { DISCIPLINES, ORGAN_SYSTEMS } from '@/features/instructor/model/question';
import { decodeHtmlEntities, htmlToText, type HtmlImage } from '@/features/instructor/model/html-text';

/** Where an image belongs: the stem, the explanation, or one of the choices (by letter). */
export type MediaPart = 'stem' | 'explanation' | Choice;

export interface QuestionMedia {
  name: string;
  mimeType: string;
  bytes: Uint8Array;
  /** The bank's alt text, when it had one (Rounds will require it before the image is shown). */
  alt?: string;
  part: MediaPart;
}

/** A question the file gave that Rounds can take, in import_questions' field names. */
export interface BankQuestion {
  /** "question 3", for messages (position among the file's questions, categories not counted). */
  where: string;
  /** The bank's name for the question, if any. */
  title: string | null;
  stem: string;
  choices: string[];
  correct_choice: Choice;
  /** Absent when the bank had none: the import's default applies. */
  explanation?: string;
  organ_system?: string;
  discipline?: string;
  tags: string[];
  media: QuestionMedia[];
  /** What was left out of this question and why (per-choice feedback, an image not in the file…). */
  notes: string[];
}

export interface BankSkip {
  where: string;
  title: string | null;
  reason: string;
}

export type BankFormat = 'moodle' | 'gift' | 'qti';

export interface BankParse {
  questions: BankQuestion[];
  skipped: BankSkip[];
}

/** The file as a whole cannot be read (not XML, not a QTI 2 package, too big…): nothing is imported. */
export class BankFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BankFileError';
  }
}

/** Largest bank file accepted, checked before anything is parsed. */
export const MAX_BANK_FILE_BYTES = 25 * 1024 * 1024;
const MAX_TAGS = 20;
const MAX_TAG_LENGTH = 50;

// The types the question-media bucket takes (docs/decisions/025-question-images.md): no GIF, no SVG.
const MIME_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

/** The image type of a file name, or null when it is not an image Rounds takes. */
export function imageMimeType(name: string): string | null {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  return MIME_BY_EXTENSION[ext] ?? null;
}

const normalise = (s: string) =>
  s
    .toLowerCase()
    .replace(/&/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const taxonomyIndex = (keys: readonly string[], label: (k: string) => string) => {
  const index = new Map<string, string>();
  for (const k of keys) {
    index.set(normalise(k), k);
    index.set(normalise(label(k)), k);
  }
  return index;
};

const ORGAN_INDEX = taxonomyIndex(ORGAN_SYSTEMS, organSystemLabel);
const DISCIPLINE_INDEX = taxonomyIndex(DISCIPLINES, disciplineLabel);

export interface Classified {
  organ_system?: string;
  discipline?: string;
  tags: string[];
  notes: string[];
}

/**
 * Category names and keywords → Rounds' taxonomy and tags, as the CSV import takes them: a name that is
 * an organ system or a discipline (its key or its label, any case) sets that field (the first one wins);
 * every other name is kept as a tag (at most 20, each at most 50 characters; the rest are noted).
 */
export function classifyNames(names: string[]): Classified {
  const out: Classified = { tags: [], notes: [] };
  for (const raw of names) {
    const name = raw.replace(/\s+/g, ' ').trim();
    if (name === '') continue;
    const organ = ORGAN_INDEX.get(normalise(name));
    const discipline = DISCIPLINE_INDEX.get(normalise(name));
    if (organ && !out.organ_system) out.organ_system = organ;
    else if (discipline && !out.discipline) out.discipline = discipline;
    else if (out.tags.includes(name)) continue;
    else if (name.length > MAX_TAG_LENGTH) out.notes.push(`Tag "${name.slice(0, 30)}…" is longer than ${MAX_TAG_LENGTH} characters; left out.`);
    else if (out.tags.length >= MAX_TAGS) out.notes.push(`Tag "${name}" left out: at most ${MAX_TAGS} tags.`);
    else out.tags.push(name);
  }
  return out;
}

/** A part of a question being read: its text and the images found in it (resolved to bytes or not). */
export interface PartDraft {
  text: string;
  media: Omit<QuestionMedia, 'part'>[];
}

/** What a parser gathered for one question before the checks every format shares. */
export interface QuestionDraft {
  where: string;
  title: string | null;
  stem: PartDraft;
  choices: PartDraft[];
  /** Index into `choices`. */
  correct: number;
  explanation: PartDraft | null;
  /** Category path segments, keywords and tags, in the order the file gives them. */
  names: string[];
  notes: string[];
}

/** The shared checks (five choices, a stem) and the taxonomy; a question or the reason it is skipped. */
export function finishQuestion(d: QuestionDraft): BankQuestion | BankSkip {
  const skip = (reason: string): BankSkip => ({ where: d.where, title: d.title, reason });
  if (d.choices.length !== CHOICES.length) return skip(`It has ${d.choices.length} choices; Rounds questions have exactly ${CHOICES.length} (A to E).`);
  const correct = CHOICES[d.correct];
  if (!correct) return skip('It has no correct choice.');
  if (d.stem.text.trim() === '' && d.stem.media.length === 0) return skip('It has no question text.');
  const emptyChoice = d.choices.findIndex((c) => c.text.trim() === '');
  if (emptyChoice >= 0) return skip(`Choice ${CHOICES[emptyChoice] ?? '?'} has no text${d.choices[emptyChoice]?.media.length ? ' (only an image; Rounds choices need text)' : ''}.`);
  const { organ_system, discipline, tags, notes } = classifyNames(d.names);
  const media: QuestionMedia[] = [];
  const used = new Set<string>();
  const add = (items: Omit<QuestionMedia, 'part'>[], part: MediaPart) => {
    for (const m of items) {
      let name = m.name;
      for (let n = 2; used.has(name); n++) name = m.name.replace(/(\.[^.]*)?$/, (ext) => `-${n}${ext}`);
      used.add(name);
      media.push({ ...m, name, part });
    }
  };
  add(d.stem.media, 'stem');
  d.choices.forEach((c, i) => add(c.media, CHOICES[i] ?? 'A'));
  if (d.explanation) add(d.explanation.media, 'explanation');
  const explanation = d.explanation?.text.trim();
  return {
    where: d.where,
    title: d.title,
    stem: d.stem.text.trim(),
    choices: d.choices.map((c) => c.text.trim()),
    correct_choice: correct,
    ...(explanation ? { explanation } : {}),
    ...(organ_system ? { organ_system } : {}),
    ...(discipline ? { discipline } : {}),
    tags,
    media,
    notes: [...d.notes, ...notes],
  };
}

/** "$course$/top/Cardio//Renal/Week 1" → ["Cardio/Renal", "Week 1"]: Moodle's own segments dropped. */
export function categorySegments(path: string): string[] {
  return path
    .trim()
    .split(/(?<!\/)\/(?!\/)/)
    .map((s) => s.replace(/\/\//g, '/').trim())
    .filter((s) => s !== '' && !/^\$[a-z]+\$$/i.test(s) && s.toLowerCase() !== 'top' && !/^default for /i.test(s));
}

export const isSkip = (r: BankQuestion | BankSkip): r is BankSkip => 'reason' in r;

/** base64 → bytes (atob exists in browsers and Node ≥ 16); null when it is not base64. */
export function fromBase64(s: string): Uint8Array | null {
  try {
    const bin = atob(s.replace(/\s+/g, ''));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** `data:image/png;base64,…` → media (or null when it is not a base64 image data URL). */
export function fromDataUrl(src: string, fallbackName: string): Omit<QuestionMedia, 'part' | 'alt'> | null {
  const m = /^data:(image\/[a-z0-9.+-]+);base64,(.*)$/is.exec(src.trim());
  const known = Object.values(MIME_BY_EXTENSION).includes((m?.[1] ?? '').toLowerCase());
  if (!m || !known) return null;
  const bytes = fromBase64(m[2] ?? '');
  const mimeType = (m[1] ?? '').toLowerCase();
  const ext = Object.entries(MIME_BY_EXTENSION).find(([, t]) => t === mimeType)?.[0] ?? 'img';
  return bytes ? { name: `${fallbackName}.${ext}`, mimeType, bytes } : null;
}

/** Why an image a part names was not found: on another site, a type Rounds does not take, or missing. */
function whyLeftOut(src: string): string {
  if (/^https?:/i.test(src)) return 'is on another site (only images inside the file are imported)';
  if (/^data:/i.test(src)) return 'is not a PNG, JPEG or WebP image';
  const ext = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(decodeHtmlEntities(src))?.[1]?.toLowerCase();
  if (ext && !(ext in MIME_BY_EXTENSION)) return `is ${/^[aeio]/.test(ext) ? 'an' : 'a'} ${ext.toUpperCase()} file, which Rounds does not take (PNG, JPEG, WebP)`;
  return 'is not in the file';
}

/**
 * HTML of one part → its text and media. `resolve` finds an image's bytes by its src (a file of the
 * package, a Moodle @@PLUGINFILE@@ file…); images it cannot find, and SVGs, are noted and left out.
 */
export function htmlPart(
  html: string,
  resolve: (src: string) => Omit<QuestionMedia, 'part' | 'alt'> | null,
  notes: string[],
  label: string,
): PartDraft & { images: HtmlImage[] } {
  const { text, images } = htmlToText(html);
  const media: Omit<QuestionMedia, 'part'>[] = [];
  images.forEach((img, i) => {
    const found = fromDataUrl(img.src, `${label.toLowerCase().replace(/\s+/g, '-')}-image-${i + 1}`) ?? resolve(img.src);
    const shown = img.src.startsWith('data:') ? 'an embedded image' : decodeHtmlEntities(img.src).slice(0, 80);
    if (!found) notes.push(`${label}: image ${shown} ${whyLeftOut(img.src)}; left out.`);
    else media.push(img.alt ? { ...found, alt: img.alt } : found);
  });
  return { text, media, images };
}
