/**
 * One card — (student, question) — derived by replaying that question's answers through FSRS. Never
 * stored: the same set of answers gives the same card in any arrival order (docs/decisions/021).
 */
import { scheduleReviews } from './fsrs';
import type { Confidence } from '@/answer-sync/shapes';
import { answeredAtMs, clampRetention, dedupeAnswers, type LoggedAnswer, type ReviewRating } from './log';
import { rate } from './rating';

/** One answer as the card saw it: for the card history on the question's review screen. */
export interface CardHistoryEntry {
  answerId: string;
  /** ms since the epoch. */
  answeredAt: number;
  isCorrect: boolean;
  confidence: Confidence | null;
  timeSpentMs: number;
  rating: ReviewRating;
  /** The due date this answer produced, ms since the epoch. */
  due: number;
}

export interface CardState {
  questionId: number;
  /** When the question comes back, ms since the epoch. */
  due: number;
  stability: number;
  difficulty: number;
  reps: number;
  /** FSRS lapses: Again on a card that was in review (the first answer's Again is not a lapse). */
  lapses: number;
  /** Answers rated Again: wrong, or right by a guess. */
  misses: number;
  lastRating: ReviewRating;
  /** ms since the epoch. */
  lastAnsweredAt: number;
  /** Whether the last answer was right ("missed" cards are those whose last answer was wrong). */
  lastCorrect: boolean;
  /** Oldest first. */
  history: readonly CardHistoryEntry[];
}

export interface ReplayOptions {
  /** Desired retention (clamped to 0.70–0.97; default 0.90). */
  retention?: number;
  /** 2 × the median time of the student's correct answers of this question's kind (rating.ts); undefined: no pace rule. */
  slowThresholdMs?: number | undefined;
}

/**
 * Replays one question's answers — deduplicated by id, then in (answered_at, id) order — through FSRS.
 * An answer whose `answered_at` is not a date is left out. Throws when no answer is left, or when the
 * answers are of different questions.
 */
export function replayCard(answers: Iterable<LoggedAnswer>, options: ReplayOptions = {}): CardState {
  const ordered = dedupeAnswers(answers)
    .map((answer) => ({ answer, at: answeredAtMs(answer) }))
    .filter(({ at }) => !Number.isNaN(at))
    .sort((a, b) => a.at - b.at || (a.answer.id < b.answer.id ? -1 : a.answer.id > b.answer.id ? 1 : 0));
  const first = ordered[0];
  if (!first) throw new Error('replayCard: no answer to replay');
  const questionId = first.answer.question_id;
  if (ordered.some(({ answer }) => answer.question_id !== questionId)) throw new Error('replayCard: answers of more than one question');

  const rated = ordered.map(({ answer, at }) => ({ answer, at, rating: rate(answer, options.slowThresholdMs) }));
  const steps = scheduleReviews(rated, clampRetention(options.retention));
  const history: CardHistoryEntry[] = [];
  rated.forEach(({ answer, at, rating }, i) => {
    const step = steps[i];
    if (!step) throw new Error('replayCard: FSRS returned fewer states than reviews');
    history.push({ answerId: answer.id, answeredAt: at, isCorrect: answer.is_correct, confidence: answer.confidence ?? null, timeSpentMs: answer.time_spent_ms, rating, due: step.due });
  });
  const last = rated.at(-1);
  const state = steps.at(-1);
  if (!last || !state) throw new Error('replayCard: no answer to replay');
  return {
    questionId,
    due: state.due,
    stability: state.stability,
    difficulty: state.difficulty,
    reps: state.reps,
    lapses: state.lapses,
    misses: rated.filter((r) => r.rating === 'again').length,
    lastRating: last.rating,
    lastAnsweredAt: last.at,
    lastCorrect: last.answer.is_correct,
    history,
  };
}
