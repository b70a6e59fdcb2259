/**
 * The live-session start form's fields as typed, checked the way public.live_sessions and
 * next_live_question check them (supabase/migrations/20261206140000_live_sessions.sql): a title, 1 to 40
 * distinct questions, 5–600 s a question and the choices 0–30 s after the stem. The timing is not part
 * of the row: it is the host screen's, sent with each "next question", so it travels in the host
 * screen's address (liveHostHref) and survives a reload there.
 */
import { z } from 'zod';

/** A live block is one attempt: at most 40 questions. */
export const MAX_LIVE_QUESTIONS = 40;
export const LIVE_TIMING_DEFAULTS = { seconds: 30, choicesAfterSeconds: 3 } as const;

export interface LiveDraft {
  title: string;
  questionIds: readonly number[];
  seconds: string;
  choicesAfterSeconds: string;
}
export type LiveDraftField = 'title' | 'questions' | 'seconds' | 'choicesAfterSeconds';
export type LiveDraftErrors = Partial<Record<LiveDraftField, string>>;

/** The row the form inserts (public.live_sessions' insertable columns). */
export interface LiveSessionInsert {
  id: string;
  cohort_id: string;
  title: string;
  question_ids: number[];
  assignment_id: string | null;
}
export interface LiveTiming {
  seconds: number;
  choicesAfterSeconds: number;
}

const wholeNumber = (label: string, min: number, max: number) => {
  const message = `${label} must be a whole number from ${min} to ${max}.`;
  return z.string().trim().regex(/^\d+$/, message).transform(Number).pipe(z.number().min(min, message).max(max, message));
};
const SCHEMAS = {
  title: z.string().trim().min(1, 'Give the session a title.').max(200, 'Keep the title to 200 characters.'),
  seconds: wholeNumber('Seconds per question', 5, 600),
  choicesAfterSeconds: wholeNumber('The choices delay (seconds)', 0, 30),
};

/** The insert and timing for `draft`, or every problem by field. `ids.id` is made once per form. */
export function checkLiveDraft(
  draft: LiveDraft,
  ids: { id: string; cohortId: string; assignmentId: string | null },
): { ok: true; value: { row: LiveSessionInsert; timing: LiveTiming } } | { ok: false; errors: LiveDraftErrors } {
  const errors: LiveDraftErrors = {};
  function take<T>(field: keyof typeof SCHEMAS, schema: z.ZodType<T, string>): T | undefined {
    const parsed = schema.safeParse(draft[field]);
    if (parsed.success) return parsed.data;
    errors[field] = parsed.error.issues[0]?.message ?? 'Check this field.';
    return undefined;
  }
  const title = take('title', SCHEMAS.title);
  const seconds = take('seconds', SCHEMAS.seconds);
  const choicesAfterSeconds = take('choicesAfterSeconds', SCHEMAS.choicesAfterSeconds);
  const count = new Set(draft.questionIds).size;
  if (count === 0) errors.questions = 'Pick at least one question.';
  else if (count !== draft.questionIds.length) errors.questions = 'A question is listed twice.';
  else if (count > MAX_LIVE_QUESTIONS) errors.questions = `A live session has at most ${MAX_LIVE_QUESTIONS} questions.`;
  if (Object.keys(errors).length > 0 || title === undefined || seconds === undefined || choicesAfterSeconds === undefined) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      row: { id: ids.id, cohort_id: ids.cohortId, title, question_ids: [...draft.questionIds], assignment_id: ids.assignmentId },
      timing: { seconds, choicesAfterSeconds },
    },
  };
}

/** The host screen of session `id`, with the timing its "next question" sends. */
export function liveHostHref(id: string, timing: LiveTiming): string {
  return `/live/${id}/host?seconds=${timing.seconds}&choices=${timing.choicesAfterSeconds}`;
}
