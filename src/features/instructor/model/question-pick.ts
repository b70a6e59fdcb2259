/**
 * Choosing an assignment's questions from the bank the instructor can read (the question list's rows):
 * by filters (organ systems × disciplines, a number, a shuffle that the preview shows exactly), or by
 * hand (a search over the list). Only published questions can be set: the server refuses the rest.
 */
import { taxonomyLabel } from '@/lib/taxonomy';

/** What picking needs of a question row (model/question.ts QuestionRow has it). */
export interface PickableQuestion {
  id: number;
  stem: string;
  organ_system: string;
  discipline: string;
  published: boolean;
}

export interface PickFilters {
  systems: ReadonlySet<string>;
  disciplines: ReadonlySet<string>;
}

/** Published questions in one of the chosen systems and one of the chosen disciplines, in list order. */
export function matchingQuestions<Q extends PickableQuestion>(questions: readonly Q[], filters: PickFilters): Q[] {
  return questions.filter((q) => q.published && filters.systems.has(q.organ_system) && filters.disciplines.has(q.discipline));
}

/**
 * A deterministic random sequence in [0, 1) from a 32-bit seed (mulberry32): the same seed gives the same
 * pick, so the preview is exactly what is set, and "Reshuffle" is a new seed.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` of the matching questions (all of them when fewer match) in a random order fixed by `seed`. */
export function pickByFilters<Q extends PickableQuestion>(questions: readonly Q[], filters: PickFilters, count: number, seed: number): Q[] {
  const pool = matchingQuestions(questions, filters);
  const random = seededRandom(seed);
  // Fisher–Yates, only as far as the picks go.
  const n = Math.min(Math.max(0, Math.floor(count)), pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    const a = pool[i];
    const b = pool[j];
    if (a === undefined || b === undefined) continue;
    pool[i] = b;
    pool[j] = a;
  }
  return pool.slice(0, n);
}

/**
 * Published questions that every word of `text` finds (case-insensitive): "Q12" finds question 12 only;
 * a number finds that question or a stem containing it ("54"); other words search the stem and the
 * organ system and discipline names. An empty search matches all.
 */
export function searchQuestions<Q extends PickableQuestion>(questions: readonly Q[], text: string): Q[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  return questions.filter((q) => {
    if (!q.published) return false;
    const haystack = `${q.stem} ${taxonomyLabel(q.organ_system)} ${taxonomyLabel(q.discipline)}`.toLowerCase();
    return words.every((w) => {
      const id = /^q(\d+)$/.exec(w);
      if (id) return q.id === Number(id[1]);
      return (/^\d+$/.test(w) && q.id === Number(w)) || haystack.includes(w);
    });
  });
}

/** A stem shortened for a list: whitespace collapsed, cut at a word near `max` characters, with "…". */
export function truncateStem(stem: string, max = 110): string {
  const flat = stem.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * An assignment's questions for a block of at most `max` (a live session: 40): its published questions
 * in its order, the first `max`. `left_out` counts the rest: beyond `max`, or no longer published (the
 * server refuses drafts).
 */
export function pickFromAssignment<Q extends PickableQuestion>(
  questions: readonly Q[],
  questionIds: readonly number[],
  max: number,
): { picked: Q[]; leftOut: number } {
  const byId = new Map(questions.filter((q) => q.published).map((q) => [q.id, q]));
  const available = questionIds.flatMap((id) => byId.get(id) ?? []);
  const picked = available.slice(0, Math.max(0, max));
  return { picked, leftOut: questionIds.length - picked.length };
}
