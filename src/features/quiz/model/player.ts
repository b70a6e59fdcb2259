/**
 * The block player's state machine — pure, so it is unit-tested without a DOM and can be saved and
 * restored (a reload or a crash in the player must not lose the block).
 *
 * An answer is "submitted" once (Enter, or automatically when the block ends): it is then locked, sent
 * to the server through the answer queue and, in tutor mode, graded on screen at once. Timed mode shows
 * no verdicts until the block ends.
 */
import { CHOICES, isChoice, type Choice } from '@/lib/taxonomy';
import type { Confidence } from '@/answer-sync/shapes';
import type { Mode } from './block-builder';

export interface SubmittedAnswer {
  /** Client-generated idempotency key. */
  id: string;
  choice: Choice;
  answeredAt: string;
  timeSpentMs: number;
  /** How sure the student said they were when submitting (null: not said). */
  confidence?: Confidence | null;
}

export interface PlayerState {
  attemptId: string;
  mode: Mode;
  questionIds: number[];
  index: number;
  /** A choice picked but not yet submitted. */
  selected: Record<number, Choice>;
  /** How sure the student is, said before submitting (optional); sent with the answer. */
  confidence: Record<number, Confidence>;
  submitted: Record<number, SubmittedAnswer>;
  marked: number[];
  struck: Record<number, Choice[]>;
  /** Milliseconds already spent on each question before the current visit. */
  spentMs: Record<number, number>;
  /** Epoch ms when the current question was shown. */
  enteredAt: number;
  /** Set when the block ended (finished by the student or out of time). */
  endedAt: number | null;
}

export type PlayerAction =
  | { type: 'select'; choice: Choice }
  | { type: 'submit'; now: number; answerId: string }
  | { type: 'goto'; index: number; now: number }
  | { type: 'next'; now: number }
  | { type: 'previous'; now: number }
  | { type: 'toggleMark' }
  | { type: 'toggleStrike'; choice: Choice }
  | { type: 'setConfidence'; confidence: Confidence }
  | { type: 'end'; now: number; answerIds: string[] };

export function initialPlayerState(attemptId: string, mode: Mode, questionIds: number[], now: number): PlayerState {
  return { attemptId, mode, questionIds, index: 0, selected: {}, confidence: {}, submitted: {}, marked: [], struck: {}, spentMs: {}, enteredAt: now, endedAt: null };
}

export function currentQuestionId(s: PlayerState): number {
  const id = s.questionIds[s.index];
  if (id === undefined) throw new Error(`player index ${s.index} out of range`);
  return id;
}

function leave(s: PlayerState, now: number): Record<number, number> {
  const q = currentQuestionId(s);
  return { ...s.spentMs, [q]: (s.spentMs[q] ?? 0) + Math.max(0, now - s.enteredAt) };
}

function moveTo(s: PlayerState, index: number, now: number): PlayerState {
  const clamped = Math.max(0, Math.min(s.questionIds.length - 1, index));
  if (clamped === s.index) return s;
  return { ...s, spentMs: leave(s, now), index: clamped, enteredAt: now };
}

function submitOne(s: PlayerState, q: number, choice: Choice, now: number, answerId: string): PlayerState {
  const current = q === currentQuestionId(s);
  const spent = (s.spentMs[q] ?? 0) + (current ? Math.max(0, now - s.enteredAt) : 0);
  const submitted: SubmittedAnswer = {
    id: answerId,
    choice,
    answeredAt: new Date(now).toISOString(),
    timeSpentMs: Math.round(spent),
    ...(s.confidence[q] ? { confidence: s.confidence[q] } : {}),
  };
  const { [q]: _dropped, ...selected } = s.selected;
  return { ...s, selected, submitted: { ...s.submitted, [q]: submitted } };
}

export function playerReducer(s: PlayerState, a: PlayerAction): PlayerState {
  if (s.endedAt !== null && a.type !== 'goto' && a.type !== 'next' && a.type !== 'previous') return s;
  switch (a.type) {
    case 'select': {
      const q = currentQuestionId(s);
      if (s.submitted[q]) return s;
      if (s.struck[q]?.includes(a.choice)) return s;
      return { ...s, selected: { ...s.selected, [q]: a.choice } };
    }
    case 'submit': {
      const q = currentQuestionId(s);
      const choice = s.selected[q];
      if (s.submitted[q] || !choice) return s;
      return submitOne(s, q, choice, a.now, a.answerId);
    }
    case 'goto':
      return moveTo(s, a.index, a.now);
    case 'next':
      return moveTo(s, s.index + 1, a.now);
    case 'previous':
      return moveTo(s, s.index - 1, a.now);
    case 'toggleMark': {
      const q = currentQuestionId(s);
      return { ...s, marked: s.marked.includes(q) ? s.marked.filter((x) => x !== q) : [...s.marked, q] };
    }
    case 'setConfidence': {
      // Said before submitting, like the choice; a second press of the same one clears it.
      const q = currentQuestionId(s);
      if (s.submitted[q]) return s;
      const { [q]: current, ...rest } = s.confidence;
      return { ...s, confidence: current === a.confidence ? rest : { ...s.confidence, [q]: a.confidence } };
    }
    case 'toggleStrike': {
      const q = currentQuestionId(s);
      if (s.submitted[q]) return s;
      const list = s.struck[q] ?? [];
      const struck = list.includes(a.choice) ? list.filter((c) => c !== a.choice) : [...list, a.choice];
      const { [q]: sel, ...rest } = s.selected;
      // Striking the selected choice deselects it.
      const selected = sel === a.choice ? rest : s.selected;
      return { ...s, struck: { ...s.struck, [q]: struck }, selected };
    }
    case 'end': {
      // Pending selections are submitted with the block; unanswered questions stay unanswered.
      let next: PlayerState = { ...s, spentMs: leave(s, a.now), enteredAt: a.now };
      const pending = Object.entries(s.selected).map(([q, c]) => [Number(q), c] as const);
      pending.forEach(([q, c], i) => {
        const id = a.answerIds[i];
        if (id) next = submitOne({ ...next, enteredAt: a.now }, q, c, a.now, id);
      });
      return { ...next, endedAt: a.now };
    }
  }
}

/** What the grid shows for each question. */
export function gridStatus(s: PlayerState, i: number): { answered: boolean; marked: boolean; current: boolean } {
  const q = s.questionIds[i] ?? -1;
  return { answered: Boolean(s.submitted[q]), marked: s.marked.includes(q), current: i === s.index };
}

/** Maps a key press to an action (USMLE-style shortcuts). Returns null for keys the player ignores. */
export type KeyIntent =
  | { type: 'select'; choice: Choice }
  | { type: 'submit' }
  | { type: 'next' }
  | { type: 'previous' }
  | { type: 'toggleMark' }
  | { type: 'strike' }
  | { type: 'confidence'; confidence: Confidence }
  | { type: 'labs' };

export function keyIntent(key: string): KeyIntent | null {
  const k = key.length === 1 ? key.toUpperCase() : key;
  if (isChoice(k)) return { type: 'select', choice: k };
  if (/^[1-5]$/.test(k)) {
    const choice = CHOICES[Number(k) - 1];
    return choice ? { type: 'select', choice } : null;
  }
  switch (k) {
    case 'Enter':
      return { type: 'submit' };
    case 'N':
    case 'ArrowRight':
      return { type: 'next' };
    case 'P':
    case 'ArrowLeft':
      return { type: 'previous' };
    case 'M':
      return { type: 'toggleMark' };
    case 'X':
      return { type: 'strike' };
    case 'L':
      return { type: 'labs' };
    case 'S':
      return { type: 'confidence', confidence: 'sure' };
    case 'U':
      return { type: 'confidence', confidence: 'unsure' };
    case 'G':
      return { type: 'confidence', confidence: 'guessed' };
    default:
      return null;
  }
}

/** Seconds left in a timed block (never negative); null in tutor mode. */
export function secondsLeft(startedAtMs: number, limitSeconds: number | null, now: number): number | null {
  if (limitSeconds === null) return null;
  return Math.max(0, Math.ceil((startedAtMs + limitSeconds * 1000 - now) / 1000));
}
