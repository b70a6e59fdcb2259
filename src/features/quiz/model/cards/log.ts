/**
 * The spaced-review cards' input: the student's answer log (docs/decisions/021-spaced-review.md).
 *
 * The answer log IS the review log. A card's state is never stored; every module here derives it from
 * these answers, so two devices holding the same set of answers compute the same cards whatever order
 * the answers reached them in. The same answer can be in the log twice (the server's copy and this
 * device's unsynced copy): answers are deduplicated by `id`, the first seen wins.
 */

import type { Confidence } from '@/answer-sync/shapes';

export interface LoggedAnswer {
  /** The answer's uuid: the idempotency key the log is deduplicated by. */
  id: string;
  question_id: number;
  is_correct: boolean;
  /** ISO 8601 with a zone: the device's clock when the student answered. */
  answered_at: string;
  time_spent_ms: number;
  /** Not given (answers from before the confidence control): treated as 'sure'. */
  confidence: Confidence | null;
}

/** The FSRS grades Rounds gives; never Easy (see rating.ts). */
export type ReviewRating = 'again' | 'hard' | 'good';

/** A question's kind (its organ system in the bank); undefined puts it in the one shared UNKNOWN_KIND. */
export type KindOf = (questionId: number) => string | undefined;

export const UNKNOWN_KIND = 'unknown';

export interface DeckOptions {
  /** The question's kind, for the "much slower than usual" rule (per kind medians). */
  kindOf: KindOf;
  /** Desired retention, clamped to 0.70–0.97; default 0.90 (the student's setting). */
  retention?: number;
}

export const MIN_RETENTION = 0.7;
export const MAX_RETENTION = 0.97;
export const DEFAULT_RETENTION = 0.9;

/** The student's desired retention, clamped to 0.70–0.97; missing or not a number gives 0.90. */
export function clampRetention(retention: number | undefined): number {
  if (retention === undefined || !Number.isFinite(retention)) return DEFAULT_RETENTION;
  return Math.min(MAX_RETENTION, Math.max(MIN_RETENTION, retention));
}

/** `answered_at` as ms since the epoch (NaN when it is not a date). The zone makes it one instant. */
export function answeredAtMs(answer: Pick<LoggedAnswer, 'answered_at'>): number {
  return Date.parse(answer.answered_at);
}

/** Whether `answered_at` is a date: an answer without one has no place in the replay order and is left out. */
export function isDated(answer: Pick<LoggedAnswer, 'answered_at'>): boolean {
  return !Number.isNaN(answeredAtMs(answer));
}

/**
 * The log without repeats: the first answer seen with an id wins (the copies are the same answer). Only
 * the id is read: this runs over the whole log, and parsing 20,000 dates would be most of its cost (an
 * answer whose `answered_at` is not a date is left out by the replay). The memoising deck (deck.ts) applies
 * the same rule to the answers appended since its last update; its property test holds the two equal.
 */
export function dedupeAnswers(log: Iterable<LoggedAnswer>): LoggedAnswer[] {
  const seen = new Set<string>();
  const out: LoggedAnswer[] = [];
  for (const answer of log) {
    if (seen.has(answer.id)) continue;
    seen.add(answer.id);
    out.push(answer);
  }
  return out;
}
