/**
 * The block ledger: this device's crash-safe record of one block, written synchronously on every change.
 *
 * Contract: localStorage `rounds.player.<attemptId>` holds one JSON ledger, format `version: 1` — the
 * same key and format as every earlier build, so blocks in progress on a device survive an update. It
 * holds:
 * - the attempt row itself, so a block started offline (creation still queued) reopens without a fetch;
 * - the player's state (`player`): answer sync reads only the given answers in it (`GivenAnswers`); the
 *   player keeps the rest there to restore its screen (src/features/quiz/model/player-session.ts), and
 *   every write here keeps those fields as they were;
 * - which answers and whether the completion were already handed to the outbox, so each submitted answer
 *   enters `submitAnswer` exactly once, even across reloads (hand-off.ts);
 * - the server's outcomes seen so far, so a verdict corrected by the server stays corrected.
 * Anything unreadable (old format, hand-edited, other attempt) is ignored, never thrown: the server copy
 * of the attempt and its answers stays the source of truth.
 */
import { z } from 'zod';
import { answerOutcomeSchema, attemptSchema, choiceSchema, confidenceSchema, creationFields, type AnswerInput, type AnswerOutcome, type Attempt, type AttemptWrite } from './shapes';

const LEDGER_STORAGE_PREFIX = 'rounds.player.';

export function ledgerStorageKey(attemptId: string): string {
  return `${LEDGER_STORAGE_PREFIX}${attemptId}`;
}

/** The part of a player's state answer sync reads: which answers were given, marks, and whether the block ended. */
export const givenAnswersSchema = z.object({
  attemptId: z.string(),
  questionIds: z.array(z.number().int()),
  /** By question id: the submitted answer (its id is made on the device when the student submits). */
  submitted: z.record(
    z.string(),
    z.object({ id: z.string(), choice: choiceSchema, answeredAt: z.string(), timeSpentMs: z.number().int().min(0), confidence: confidenceSchema.nullable().optional() }),
  ),
  marked: z.array(z.number().int()),
  /** Epoch ms when the block ended, null while it runs. */
  endedAt: z.number().nullable(),
});
export type GivenAnswers = z.infer<typeof givenAnswersSchema>;

const ledgerSchema = z.object({
  version: z.literal(1),
  attempt: attemptSchema,
  // The player's other fields are kept as they are (loose), so a read-modify-write here never drops them.
  player: givenAnswersSchema.loose(),
  /** Answer ids already handed to the submitAnswer mutation. */
  sentAnswerIds: z.array(z.string()),
  /** completeAttempt already handed over for this block. */
  completionSent: z.boolean(),
  outcomes: z.array(answerOutcomeSchema),
});

/** A block's ledger; `P` is the player's full state where the player wrote it (GivenAnswers and more). */
export interface BlockLedger<P extends GivenAnswers = GivenAnswers> {
  version: 1;
  attempt: Attempt;
  player: P;
  sentAnswerIds: string[];
  completionSent: boolean;
  outcomes: AnswerOutcome[];
}

/** The ledger of a block not handed to the outbox yet. */
export function newBlockLedger<P extends GivenAnswers>(attempt: Attempt, player: P): BlockLedger<P> {
  return { version: 1, attempt, player, sentAnswerIds: [], completionSent: false, outcomes: [] };
}

/** The stored ledger of `attemptId`, or null when there is none or it cannot be trusted. */
export function loadBlockLedger(storage: Storage, attemptId: string): BlockLedger | null {
  let raw: string | null;
  try {
    raw = storage.getItem(ledgerStorageKey(attemptId));
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
  const parsed = ledgerSchema.safeParse(json);
  if (!parsed.success || parsed.data.attempt.id !== attemptId || parsed.data.player.attemptId !== attemptId) return null;
  return parsed.data;
}

/** Writes the ledger; false when storage refused (quota, disabled). */
export function saveBlockLedger(storage: Storage, ledger: BlockLedger): boolean {
  try {
    storage.setItem(ledgerStorageKey(ledger.attempt.id), JSON.stringify(ledger));
    return true;
  } catch {
    return false;
  }
}

/** Every stored ledger on this device (unreadable ones skipped). */
export function allBlockLedgers(storage: Storage): BlockLedger[] {
  const out: BlockLedger[] = [];
  try {
    for (let i = 0; i < storage.length; i++) {
      const k = storage.key(i);
      if (!k?.startsWith(LEDGER_STORAGE_PREFIX)) continue;
      const ledger = loadBlockLedger(storage, k.slice(LEDGER_STORAGE_PREFIX.length));
      if (ledger) out.push(ledger);
    }
  } catch {
    return out;
  }
  return out;
}

/**
 * Removes the ledgers of blocks that ended more than `maxAgeMs` ago (and unreadable ones), so
 * localStorage does not fill up with finished blocks. Running blocks are never removed.
 */
export function pruneEndedLedgers(storage: Storage, now: number, maxAgeMs: number): void {
  try {
    const keys: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const k = storage.key(i);
      if (k?.startsWith(LEDGER_STORAGE_PREFIX)) keys.push(k);
    }
    for (const k of keys) {
      const ledger = loadBlockLedger(storage, k.slice(LEDGER_STORAGE_PREFIX.length));
      const endedAt = ledger?.player.endedAt;
      if (!ledger || (endedAt != null && endedAt < now - maxAgeMs)) storage.removeItem(k);
    }
  } catch {
    // Best effort: a full or disabled storage is reported where the cache is persisted.
  }
}

/** Submitted answers not yet handed to the outbox, in block order, shaped for submit_answers. */
export function unsentAnswers(given: GivenAnswers, sent: ReadonlySet<string>): AnswerInput[] {
  const out: AnswerInput[] = [];
  for (const q of given.questionIds) {
    const a = given.submitted[q];
    if (!a || sent.has(a.id)) continue;
    out.push({ id: a.id, attempt_id: given.attemptId, question_id: q, choice: a.choice, time_spent_ms: a.timeSpentMs, answered_at: a.answeredAt, ...(a.confidence ? { confidence: a.confidence } : {}) });
  }
  return out;
}

/**
 * What handing the block to the outbox sends now — the answers not handed yet and, once the block has
 * ended, its completion the first time — and the ledger that records it (pure; hand-off.ts sends it).
 * The completion also ends the ledger's copy of the attempt, so a reopen without the cache sees it ended.
 */
export function nextHandOff<P extends GivenAnswers>(ledger: BlockLedger<P>): { answers: AnswerInput[]; completion: AttemptWrite | null; ledger: BlockLedger<P> } {
  const answers = unsentAnswers(ledger.player, new Set(ledger.sentAnswerIds));
  const sentAnswerIds = [...ledger.sentAnswerIds, ...answers.map((a) => a.id)];
  const { endedAt, marked } = ledger.player;
  if (endedAt === null || ledger.completionSent) return { answers, completion: null, ledger: { ...ledger, sentAnswerIds } };
  const completion = { ...creationFields(ledger.attempt), completed_at: new Date(endedAt).toISOString(), marked_question_ids: marked };
  const attempt = { ...ledger.attempt, completed_at: completion.completed_at, marked_question_ids: marked };
  return { answers, completion, ledger: { ...ledger, attempt, sentAnswerIds, completionSent: true } };
}

/** Stores the server's outcome of one answer with its block's ledger (no-op when there is none). */
export function recordOutcome(storage: Storage, attemptId: string, outcome: AnswerOutcome): void {
  const ledger = loadBlockLedger(storage, attemptId);
  if (!ledger) return;
  saveBlockLedger(storage, { ...ledger, outcomes: [...ledger.outcomes.filter((o) => o.id !== outcome.id), outcome] });
}

/**
 * Answers handed to the outbox whose server outcome this device has not seen: the safety net for an app
 * killed in the ~100 ms between an answer being given (recorded here synchronously) and the mutation
 * cache reaching IndexedDB. Re-sending them is harmless (the server is idempotent by id).
 */
export function unconfirmedAnswers(ledger: BlockLedger): AnswerInput[] {
  const confirmed = new Set(ledger.outcomes.map((o) => o.id));
  const handed = new Set(ledger.sentAnswerIds);
  return unsentAnswers(ledger.player, new Set()).filter((a) => handed.has(a.id) && !confirmed.has(a.id));
}

/** One answer this device gave in a block, with the server's outcome when the device has seen it. */
export interface DeviceAnswer {
  answer: AnswerInput;
  outcome: AnswerOutcome | undefined;
}

/**
 * The answers the block's ledger holds (every answer submitted on this device, sent or not), in block
 * order, each with its recorded outcome; those the server rejected are left out (never stored, so never
 * reviewed). What a review shows while the server's copy is out of reach (offline) or behind the outbox.
 */
export function deviceAnswers(ledger: BlockLedger): DeviceAnswer[] {
  const outcomes = new Map(ledger.outcomes.map((o) => [o.id, o]));
  return unsentAnswers(ledger.player, new Set())
    .map((answer) => ({ answer, outcome: outcomes.get(answer.id) }))
    .filter(({ outcome }) => outcome?.status !== 'rejected');
}
