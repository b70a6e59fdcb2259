/**
 * The player's crash-safe copy on this device.
 *
 * Contract: localStorage `rounds.player.<attemptId>` holds one JSON PlayerSession, rewritten on every
 * change of the block (a selection, a submit, a mark, a move), so a reload, a crash of the player
 * component or an evicted tab resumes exactly where the student was. It also keeps:
 * - the attempt row itself, so a block started offline (creation still queued) reopens without a fetch;
 * - which answers and which completion were already handed to the mutation layer, so each submitted
 *   answer enters `submitAnswer` exactly once, even across reloads;
 * - the server's outcomes seen so far, so a verdict corrected by the server stays corrected.
 * Anything unreadable (old format, hand-edited, other attempt) is ignored, never thrown: the server copy
 * of the attempt and its answers stays the source of truth.
 */
import { z } from 'zod';
import type { Attempt } from '@/features/quiz/api/attempts';
import type { AnswerInput, AnswerOutcome } from '@/features/quiz/api/mutations';
import { CHOICES } from '@/lib/taxonomy';
import type { PlayerState } from './player';

export const PLAYER_STORAGE_PREFIX = 'rounds.player.';

export function playerStorageKey(attemptId: string): string {
  return `${PLAYER_STORAGE_PREFIX}${attemptId}`;
}

const choiceSchema = z.enum(CHOICES);

// The model stays free of the api modules at runtime (they create the supabase client), so the stored
// attempt and outcome shapes are declared here; the annotations make tsc fail if they drift from the
// api's schemas.
const storedAttemptSchema: z.ZodType<Attempt> = z.object({
  id: z.string(),
  mode: z.enum(['tutor', 'timed']),
  question_ids: z.array(z.number().int()),
  time_limit_seconds: z.number().int().nullable(),
  marked_question_ids: z.array(z.number().int()),
  filters: z.record(z.string(), z.unknown()),
  started_at: z.string(),
  completed_at: z.string().nullable(),
});
const storedOutcomeSchema: z.ZodType<AnswerOutcome> = z.object({
  id: z.string(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  is_correct: z.boolean().optional(),
  correct_choice: choiceSchema.optional(),
  reason: z.string().optional(),
});

const playerStateSchema = z.object({
  attemptId: z.string(),
  mode: z.enum(['tutor', 'timed']),
  questionIds: z.array(z.number().int()),
  index: z.number().int().min(0),
  selected: z.record(z.string(), choiceSchema),
  submitted: z.record(
    z.string(),
    z.object({ id: z.string(), choice: choiceSchema, answeredAt: z.string(), timeSpentMs: z.number().int().min(0) }),
  ),
  marked: z.array(z.number().int()),
  struck: z.record(z.string(), z.array(choiceSchema)),
  spentMs: z.record(z.string(), z.number()),
  enteredAt: z.number(),
  endedAt: z.number().nullable(),
});

const playerSessionSchema = z.object({
  version: z.literal(1),
  attempt: storedAttemptSchema,
  player: playerStateSchema,
  /** Answer ids already handed to the submitAnswer mutation. */
  sentAnswerIds: z.array(z.string()),
  /** completeAttempt already fired for this block. */
  completionSent: z.boolean(),
  outcomes: z.array(storedOutcomeSchema),
});
export type PlayerSession = z.infer<typeof playerSessionSchema>;

/** The stored session of `attemptId`, or null when there is none or it cannot be trusted. */
export function loadPlayerSession(storage: Storage, attemptId: string): PlayerSession | null {
  let raw: string | null;
  try {
    raw = storage.getItem(playerStorageKey(attemptId));
  } catch {
    // Storage can be disabled (privacy modes); the block then simply does not survive a reload.
    return null;
  }
  if (!raw) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = playerSessionSchema.safeParse(json);
  if (!parsed.success || parsed.data.attempt.id !== attemptId || parsed.data.player.attemptId !== attemptId) return null;
  return parsed.data;
}

/** Writes the session; false when storage refused (quota, disabled) so the caller can warn. */
export function savePlayerSession(storage: Storage, session: PlayerSession): boolean {
  try {
    storage.setItem(playerStorageKey(session.attempt.id), JSON.stringify(session));
    return true;
  } catch {
    return false;
  }
}

/** The stored player state if it belongs to this very block (same questions in the same order). */
export function restorablePlayer(session: PlayerSession | null, attempt: Attempt): PlayerState | null {
  if (!session) return null;
  const p = session.player;
  const same = p.mode === attempt.mode && p.questionIds.length === attempt.question_ids.length && p.questionIds.every((q, i) => q === attempt.question_ids[i]);
  return same && p.index < p.questionIds.length ? p : null;
}

/** Submitted answers not yet handed to the mutation layer, in block order, shaped for submit_answers. */
export function unsentAnswers(s: PlayerState, sent: ReadonlySet<string>): AnswerInput[] {
  const out: AnswerInput[] = [];
  for (const q of s.questionIds) {
    const a = s.submitted[q];
    if (!a || sent.has(a.id)) continue;
    out.push({ id: a.id, attempt_id: s.attemptId, question_id: q, choice: a.choice, time_spent_ms: a.timeSpentMs, answered_at: a.answeredAt });
  }
  return out;
}

/**
 * Removes stored sessions of blocks that ended more than `maxAgeMs` ago (and unreadable ones), so
 * localStorage does not fill up with finished blocks. Running blocks are never removed.
 */
export function pruneEndedSessions(storage: Storage, now: number, maxAgeMs: number): void {
  try {
    const keys: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const k = storage.key(i);
      if (k?.startsWith(PLAYER_STORAGE_PREFIX)) keys.push(k);
    }
    for (const k of keys) {
      const session = loadPlayerSession(storage, k.slice(PLAYER_STORAGE_PREFIX.length));
      const endedAt = session?.player.endedAt;
      if (!session || (endedAt != null && endedAt < now - maxAgeMs)) storage.removeItem(k);
    }
  } catch {
    // Best effort: a full or disabled storage is reported where the player saves.
  }
}

/** Stores the server's outcome of one answer with its block's session (no-op when there is none). */
export function recordOutcome(storage: Storage, attemptId: string, outcome: AnswerOutcome): void {
  const s = loadPlayerSession(storage, attemptId);
  if (!s) return;
  savePlayerSession(storage, { ...s, outcomes: [...s.outcomes.filter((o) => o.id !== outcome.id), outcome] });
}

/** Every stored block session on this device (unreadable ones skipped). */
export function allPlayerSessions(storage: Storage): PlayerSession[] {
  const out: PlayerSession[] = [];
  try {
    for (let i = 0; i < storage.length; i++) {
      const k = storage.key(i);
      if (!k?.startsWith(PLAYER_STORAGE_PREFIX)) continue;
      const s = loadPlayerSession(storage, k.slice(PLAYER_STORAGE_PREFIX.length));
      if (s) out.push(s);
    }
  } catch {
    return out;
  }
  return out;
}

/**
 * Answers handed to the mutation layer whose server outcome this device has not seen: the safety net
 * for an app killed in the ~100 ms between an answer being given (saved here synchronously) and the
 * mutation cache reaching IndexedDB. Re-sending them is harmless (the server is idempotent by id).
 */
export function unconfirmedAnswers(session: PlayerSession): AnswerInput[] {
  const confirmed = new Set(session.outcomes.map((o) => o.id));
  const handed = new Set(session.sentAnswerIds);
  return unsentAnswers(session.player, new Set()).filter((a) => handed.has(a.id) && !confirmed.has(a.id));
}

/**
 * What this device knows of the student's history beyond the server's copy: answers given in saved
 * blocks (graded by the server if it answered, else by the cached key) and marks. Merged into the
 * server history when building a block, so the unused / incorrect / marked pools are right offline.
 */
export function localHistory(
  storage: Storage,
  keyOf: (questionId: number) => string | undefined,
): { answers: { question_id: number; is_correct: boolean; answered_at: string }[]; marked: Set<number> } {
  const answers: { question_id: number; is_correct: boolean; answered_at: string }[] = [];
  const marked = new Set<number>();
  for (const s of allPlayerSessions(storage)) {
    const outcomes = new Map(s.outcomes.map((o) => [o.id, o]));
    for (const [q, a] of Object.entries(s.player.submitted)) {
      const questionId = Number(q);
      const graded = outcomes.get(a.id)?.is_correct;
      const is_correct = graded ?? (keyOf(questionId) === a.choice);
      answers.push({ question_id: questionId, is_correct, answered_at: a.answeredAt });
    }
    for (const q of s.player.marked) marked.add(q);
  }
  return { answers, marked };
}
