/** Pure helpers for what the player shows: the end-of-block summary and the countdown. */
import type { AnswerOutcome } from '@/answer-sync/shapes';
import type { Choice } from '@/lib/taxonomy';
import type { PlayerState } from './player';

export interface BlockSummary {
  total: number;
  answered: number;
  /** Neither submitted nor selected: these stay unanswered when the block ends. */
  unanswered: number;
  /** Selected but not submitted: ending the block submits them. */
  pending: number;
  marked: number;
}

export function blockSummary(s: PlayerState): BlockSummary {
  const answered = s.questionIds.filter((q) => s.submitted[q]).length;
  const pending = s.questionIds.filter((q) => !s.submitted[q] && s.selected[q]).length;
  return { total: s.questionIds.length, answered, pending, unanswered: s.questionIds.length - answered - pending, marked: s.marked.length };
}

/** 754 → "12:34"; an hour or more → "1:02:34". */
export function formatClock(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** Seconds left at which the timed player warns (as the NBME interface does near the end of a block). */
export const TIMER_WARNINGS = [300, 60] as const;

/**
 * The warning to announce when the countdown moves from `previous` to `current` seconds left: only a
 * threshold actually crossed while the block runs (a 90-second block never says "5 minutes left"). When a
 * jump (a sleeping laptop) crosses both, the more urgent one wins.
 */
export function crossedWarning(previous: number, current: number): (typeof TIMER_WARNINGS)[number] | null {
  let crossed: (typeof TIMER_WARNINGS)[number] | null = null;
  for (const t of TIMER_WARNINGS) if (previous > t && current <= t && current > 0) crossed = t;
  return crossed;
}

export interface TutorVerdict {
  key: Choice;
  chosen: Choice;
  correct: boolean;
  /** True once the server's grade is in; until then the verdict comes from the cached key. */
  confirmed: boolean;
}

/**
 * Tutor mode's verdict for a submitted answer: graded at once from the cached bank key, replaced by the
 * server's outcome when it arrives (the server grades for real — docs/decisions/002 — so a stale cached
 * key never decides). A rejected outcome carries no grade and leaves the local one.
 */
export function tutorVerdict(
  chosen: Choice,
  cachedKey: Choice | undefined,
  outcome: Omit<AnswerOutcome, 'id'> | undefined,
): TutorVerdict | null {
  if (outcome && outcome.status !== 'rejected' && outcome.is_correct !== undefined && outcome.correct_choice) {
    return { key: outcome.correct_choice, chosen, correct: outcome.is_correct, confirmed: true };
  }
  return cachedKey ? { key: cachedKey, chosen, correct: chosen === cachedKey, confirmed: false } : null;
}
