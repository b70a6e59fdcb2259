/**
 * The one module that imports ts-fsrs (eslint.config.js forbids it anywhere else), so the scheduler's
 * parameters are set in one place and a ts-fsrs upgrade touches one file. Parameters and why: see
 * docs/decisions/021-spaced-review.md.
 *
 * Importing ts-fsrs also adds four deprecated helpers to Date.prototype (scheduler, diff, format,
 * dueFormat); nothing in Rounds calls them.
 */
import { createEmptyCard, fsrs, generatorParameters, Rating, type Card, type FSRS, type Grade } from 'ts-fsrs';
import type { ReviewRating } from './log';

/** The longest interval FSRS may give, in days: a board-prep horizon (decision 021). */
export const MAXIMUM_INTERVAL_DAYS = 365;

const GRADES: Record<ReviewRating, Grade> = { again: Rating.Again, hard: Rating.Hard, good: Rating.Good };

// One scheduler per retention; a student changing the setting back and forth makes only a handful.
const schedulers = new Map<number, FSRS>();

function schedulerFor(retention: number): FSRS {
  let scheduler = schedulers.get(retention);
  if (!scheduler) {
    if (schedulers.size >= 8) schedulers.clear();
    scheduler = fsrs(
      generatorParameters({
        request_retention: retention,
        // No (re)learning steps of minutes: Again schedules a day or more (decision 021).
        enable_short_term: false,
        // Deterministic: the same answers give the same due date on every device, and explanations are exact.
        enable_fuzz: false,
        maximum_interval: MAXIMUM_INTERVAL_DAYS,
      }),
    );
    schedulers.set(retention, scheduler);
  }
  return scheduler;
}

export interface Review {
  /** When the student answered, ms since the epoch. */
  at: number;
  rating: ReviewRating;
}

/** The card's FSRS state after a review. */
export interface Scheduled {
  /** ms since the epoch. */
  due: number;
  stability: number;
  difficulty: number;
  reps: number;
  lapses: number;
}

/**
 * Runs the reviews, in the order given (oldest first), through FSRS from a new card created at the first
 * review's time; returns the state after each review. The caller orders and rates them (card.ts).
 */
export function scheduleReviews(reviews: readonly Review[], retention: number): Scheduled[] {
  const scheduler = schedulerFor(retention);
  const out: Scheduled[] = [];
  let card: Card | undefined;
  for (const review of reviews) {
    const at = new Date(review.at);
    card = scheduler.next(card ?? createEmptyCard(at), at, GRADES[review.rating]).card;
    out.push({ due: card.due.getTime(), stability: card.stability, difficulty: card.difficulty, reps: card.reps, lapses: card.lapses });
  }
  return out;
}
