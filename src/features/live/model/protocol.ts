/**
 * What the database says about a live session (supabase/migrations/20261206140000_live_sessions.sql,
 * docs/decisions/027-live-sessions.md), each shape defined once: the Broadcast messages of the
 * `cohort:`, `live:` and `live-host:` topics, and the reads that stand in for them when a device joins,
 * rejoins, reconnects or cannot use Realtime (get_live_session, get_live_report, get_my_live_sessions).
 */
import { z } from 'zod';
import { choiceSchema } from '@/answer-sync/shapes';

/** A shown question, with the server's times (and its clock at sending, `now`). */
export const liveQuestionSchema = z.object({
  session_id: z.uuid(),
  position: z.number().int(),
  /** How many questions the session has. */
  count: z.number().int(),
  question_id: z.number().int(),
  shown_at: z.string(),
  choices_at: z.string(),
  closes_at: z.string(),
  closed_at: z.string().nullable(),
  now: z.string(),
});
export type LiveQuestion = z.infer<typeof liveQuestionSchema>;

const countsSchema = z.object({ A: z.number().int(), B: z.number().int(), C: z.number().int(), D: z.number().int(), E: z.number().int() });

/** Standings: `top` named (opted-out students are not), `scores` = [[correct, students], …], most correct first. */
export const liveStandingsSchema = z.object({
  participants: z.number().int(),
  top: z.array(z.object({ place: z.number().int(), name: z.string(), correct: z.number().int(), answered: z.number().int(), ms: z.number() })),
  scores: z.array(z.tuple([z.number().int(), z.number().int()])),
});
export type LiveStandings = z.infer<typeof liveStandingsSchema>;

/** One closed question's outcome. */
export const liveResultsSchema = z.object({
  position: z.number().int(),
  question_id: z.number().int(),
  correct_choice: choiceSchema,
  counts: countsSchema,
  answered: z.number().int(),
  correct: z.number().int(),
  participants: z.number().int(),
  closed_at: z.string().nullable(),
});
export type LiveResults = z.infer<typeof liveResultsSchema>;

/** The instructor's live count (live-host topic, event 'answers'; `joined` when a block arrived). */
export const liveCountSchema = z.object({
  session_id: z.uuid(),
  position: z.number().int().nullable(),
  answered: z.number().int(),
  participants: z.number().int(),
  joined: z.boolean().optional(),
});

/** Messages of `live:<session id>` by event. */
export const liveMessageSchemas = {
  question: liveQuestionSchema,
  closed: liveResultsSchema.extend({ session_id: z.uuid(), standings: liveStandingsSchema }),
  ended: z.object({ session_id: z.uuid(), standings: liveStandingsSchema }),
} as const;

/** Messages of `cohort:<cohort id>` by event. */
export const cohortMessageSchemas = {
  live: z.object({ session_id: z.uuid(), cohort_id: z.uuid(), title: z.string(), status: z.enum(['open', 'ended']) }),
  board: z.object({ cohort_id: z.uuid() }),
} as const;

export const liveSessionRowSchema = z.object({
  id: z.uuid(),
  cohort_id: z.uuid(),
  title: z.string(),
  status: z.enum(['open', 'ended']),
  question_ids: z.array(z.number().int()),
  created_at: z.string(),
  ended_at: z.string().nullable(),
});

/** get_live_session: the state the messages would have brought a device to. */
export const liveSnapshotSchema = z.object({
  session: liveSessionRowSchema.extend({ current_position: z.number().int().nullable() }),
  question: liveQuestionSchema.nullable(),
  /** The current question's outcome, once it is closed. */
  results: liveResultsSchema.nullable(),
  /** Once the current question is closed, or the session ended (then the podium's top 3). */
  standings: liveStandingsSchema.nullable(),
  /** The instructor's count (null for students). */
  host: liveCountSchema.nullable(),
  /** The caller's own answers in the session (is_correct hidden while their question is open). */
  mine: z.array(z.object({ question_id: z.number().int(), choice: choiceSchema, is_correct: z.boolean().nullable() })),
  now: z.string(),
});
export type LiveSnapshot = z.infer<typeof liveSnapshotSchema>;

/** get_live_report (the cohort's instructor): every shown question and every participant, real names. */
export const liveReportSchema = z.object({
  session: liveSessionRowSchema,
  questions: z.array(liveResultsSchema),
  students: z.array(
    z.object({
      user_id: z.uuid(),
      name: z.string(),
      correct: z.number().int(),
      answered: z.number().int(),
      ms: z.number(),
      answers: z.array(z.object({ position: z.number().int(), choice: choiceSchema, is_correct: z.boolean(), ms: z.number() })),
    }),
  ),
});
export type LiveReport = z.infer<typeof liveReportSchema>;

/** get_my_live_sessions: sessions running in the caller's own cohorts. */
export const myLiveSessionSchema = z.object({
  id: z.uuid(),
  cohort_id: z.uuid(),
  cohort_name: z.string(),
  title: z.string(),
  created_at: z.string(),
});

/** A student's rank from the standings' scores: 1 + the students with more correct answers (ties share). */
export function rankOf(scores: LiveStandings['scores'], myCorrect: number): number {
  return 1 + scores.reduce((n, [correct, students]) => (correct > myCorrect ? n + students : n), 0);
}

/** Where a shown question is at server time `nowMs`: stem only, choices open, or closed. */
export function questionPhase(q: LiveQuestion, nowMs: number): 'stem' | 'open' | 'closed' {
  if (q.closed_at !== null || nowMs >= Date.parse(q.closes_at)) return 'closed';
  return nowMs < Date.parse(q.choices_at) ? 'stem' : 'open';
}

/** How far the device's clock is behind the server's, from a message's `now` received at `receivedAtMs`. */
export function clockOffsetMs(serverNow: string, receivedAtMs: number): number {
  return Date.parse(serverNow) - receivedAtMs;
}

/**
 * The live block's id, the same on every device of the student (SHA-256 of `live:<session>:<user>`
 * shaped as a version-8 UUID), so a second phone answers into the same block.
 */
export async function liveBlockId(sessionId: string, userId: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`live:${sessionId}:${userId}`));
  const h = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  const variant = ((parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
