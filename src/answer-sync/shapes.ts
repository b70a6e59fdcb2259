/**
 * The shapes of answer sync, each defined once (zod; types by z.infer): what a block and an answer look
 * like on the device, in the outbox and on the wire of `submit_answers`, and what the server says back.
 *
 * Stored data depends on these: a block's ledger on the device (block-ledger.ts, format 1) and the
 * variables of offline mutations persisted with the outbox (queue.ts, OUTBOX_FORMAT 1). Changing a shape
 * here changes what older builds left behind can be read as — bump the format and migrate instead.
 */
import { z } from 'zod';
import { CHOICES } from '@/lib/taxonomy';

export const choiceSchema = z.enum(CHOICES);

/** How sure the student said they were of an answer (optional; it feeds the spaced-review rating). */
export const confidenceSchema = z.enum(['sure', 'unsure', 'guessed']);
export type Confidence = z.infer<typeof confidenceSchema>;

/**
 * practice: a block the student built; review: a spaced-review block of due cards (never counts for
 * rank); assignment: one section of work an instructor set (assignment_id, sitting_id, section say
 * which); live: the student's answers in a live session (live_session_id says which; the server takes
 * an answer only while its question is open). Absent in ledgers and outbox entries written before review
 * blocks existed: those are practice.
 */
const attemptKindSchema = z.enum(['practice', 'review', 'assignment', 'live']).default('practice');

/** A block (an `attempts` row) as the server stores it and this device keeps it. */
export const attemptSchema = z.object({
  id: z.uuid(),
  mode: z.enum(['tutor', 'timed']),
  kind: attemptKindSchema,
  question_ids: z.array(z.number().int()),
  time_limit_seconds: z.number().int().nullable(),
  marked_question_ids: z.array(z.number().int()),
  filters: z.record(z.string(), z.json()),
  started_at: z.string(),
  completed_at: z.string().nullable(),
  /** Assignment blocks only (absent in ledgers and outbox entries older than assignments): null otherwise. */
  assignment_id: z.uuid().nullable().default(null),
  /** One id for the sections of one sitting of an assignment. */
  sitting_id: z.uuid().nullable().default(null),
  /** Which section of the assignment (0-based). */
  section: z.number().int().nullable().default(null),
  /** Live blocks only (absent in ledgers and outbox entries older than live sessions): null otherwise. */
  live_session_id: z.uuid().nullable().default(null),
});
export type Attempt = z.infer<typeof attemptSchema>;

/** The fields a block is created with (the server creates it from these if it does not have it yet). */
const newAttemptSchema = attemptSchema.pick({
  id: true,
  mode: true,
  kind: true,
  question_ids: true,
  time_limit_seconds: true,
  filters: true,
  started_at: true,
  assignment_id: true,
  sitting_id: true,
  section: true,
  live_session_id: true,
});
export type NewAttempt = z.infer<typeof newAttemptSchema>;

/** A block as `submit_answers` takes it: its creation fields, with completion and marks only when they changed. */
const attemptWriteSchema = newAttemptSchema.extend({
  completed_at: z.string().nullable().optional(),
  marked_question_ids: z.array(z.number().int()).optional(),
});
export type AttemptWrite = z.infer<typeof attemptWriteSchema>;

/** One answer as `submit_answers` takes it; `id` is made on the device and is the server's idempotency key. */
const answerInputSchema = z.object({
  id: z.uuid(),
  attempt_id: z.uuid(),
  question_id: z.number().int(),
  choice: choiceSchema,
  time_spent_ms: z.number().int(),
  answered_at: z.string(),
  /** Absent in outbox entries written before confidence existed, and when the student gave none. */
  confidence: confidenceSchema.nullable().optional(),
});
export type AnswerInput = z.infer<typeof answerInputSchema>;

/** The server's word on one answer: `rejected` is a final answer too, not an error (decision 003). */
export const answerOutcomeSchema = z.object({
  id: z.uuid(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  is_correct: z.boolean().optional(),
  correct_choice: choiceSchema.optional(),
  reason: z.string().optional(),
});
export type AnswerOutcome = z.infer<typeof answerOutcomeSchema>;

/**
 * What every offline mutation carries besides its payload: the user who made it, so it is only ever sent
 * under that user's session; null only if it was made signed out (then any session may send it).
 */
const stampSchema = z.object({ owner: z.string().nullable() });

/** Variables of `submitAnswer`: the answer, its user, and its block's creation fields (sent along with it). */
export const answerVariablesSchema = answerInputSchema.extend(stampSchema.shape).extend({ block: newAttemptSchema });
export type AnswerVariables = z.infer<typeof answerVariablesSchema>;

/** Variables of `createAttempt` and `completeAttempt`: the block write and its user. */
export const attemptVariablesSchema = attemptWriteSchema.extend(stampSchema.shape);
export type AttemptVariables = z.infer<typeof attemptVariablesSchema>;

/** The assignment and live-session fields of a block that belongs to neither (practice and review blocks). */
export const NOT_ASSIGNED = { assignment_id: null, sitting_id: null, section: null, live_session_id: null } as const;

/** A block's creation fields alone (a row or a write may carry more). */
export function creationFields(a: NewAttempt): NewAttempt {
  return {
    id: a.id,
    mode: a.mode,
    kind: a.kind,
    question_ids: a.question_ids,
    time_limit_seconds: a.time_limit_seconds,
    filters: a.filters,
    started_at: a.started_at,
    assignment_id: a.assignment_id,
    sitting_id: a.sitting_id,
    section: a.section,
    live_session_id: a.live_session_id,
  };
}
