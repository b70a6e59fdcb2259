/**
 * How an answer rates as a review (issue #17; docs/decisions/021-spaced-review.md):
 *   incorrect                                    → again
 *   correct, "I guessed"                         → again  (a lucky guess is not recall)
 *   correct, "unsure"                            → hard
 *   correct, much slower than the student's usual → hard
 *   otherwise (correct and sure, or no answer)   → good
 * Never Easy: nothing in an MCQ answer says the question was easy rather than known.
 *
 * "Much slower": time_spent_ms > 2 × the median time_spent_ms of the student's correct answers of that
 * question's kind (organ system), the median taken over the whole deduplicated log, and only when the
 * kind has at least 5 correct answers (fewer say nothing about the student's pace).
 */
import { dedupeAnswers, UNKNOWN_KIND, type KindOf, type LoggedAnswer, type ReviewRating } from './log';

/** Correct answers a kind needs before its median counts. */
export const MIN_CORRECT_FOR_PACE = 5;
/** "Much slower" is slower than this many times the median. */
export const SLOW_FACTOR = 2;

export function rate(answer: Pick<LoggedAnswer, 'is_correct' | 'confidence' | 'time_spent_ms'>, slowThresholdMs: number | undefined): ReviewRating {
  if (!answer.is_correct) return 'again';
  const confidence = answer.confidence ?? 'sure';
  if (confidence === 'guessed') return 'again';
  if (confidence === 'unsure') return 'hard';
  if (slowThresholdMs !== undefined && answer.time_spent_ms > slowThresholdMs) return 'hard';
  return 'good';
}

/** The slow threshold for one kind from its correct answers' times: 2 × median, or undefined under 5. */
export function slowThresholdOf(correctTimesMs: readonly number[]): number | undefined {
  if (correctTimesMs.length < MIN_CORRECT_FOR_PACE) return undefined;
  const sorted = [...correctTimesMs].sort((a, b) => a - b);
  // The middle value, or the mean of the two middle values (for an odd count both indexes are the same).
  const low = sorted[(sorted.length - 1) >> 1];
  const high = sorted[sorted.length >> 1];
  if (low === undefined || high === undefined) return undefined;
  return (SLOW_FACTOR * (low + high)) / 2;
}

/** Correct answers' times that count for a kind's pace (a time that is not a number is left out). */
export function countsForPace(answer: LoggedAnswer): boolean {
  return answer.is_correct && Number.isFinite(answer.time_spent_ms);
}

/** The slow threshold (ms) per kind, over the deduplicated log; kinds under 5 correct answers are absent. */
export function slowThresholds(log: Iterable<LoggedAnswer>, kindOf: KindOf): Map<string, number> {
  const times = new Map<string, number[]>();
  for (const answer of dedupeAnswers(log)) {
    if (!countsForPace(answer)) continue;
    const kind = kindOf(answer.question_id) ?? UNKNOWN_KIND;
    let list = times.get(kind);
    if (!list) times.set(kind, (list = []));
    list.push(answer.time_spent_ms);
  }
  const out = new Map<string, number>();
  for (const [kind, list] of times) {
    const threshold = slowThresholdOf(list);
    if (threshold !== undefined) out.set(kind, threshold);
  }
  return out;
}
