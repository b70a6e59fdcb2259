/**
 * The new-assignment form's fields as typed, checked the way public.assignments checks them
 * (supabase/migrations/20261206090000_assignments.sql), so most mistakes are named before a round trip.
 * The server stays the authority: it also refuses unpublished or repeated questions and rate-limits.
 */
import { z } from 'zod';
import type { AssignmentMode } from '@/lib/assignment-plan';
import { localInputToIso } from './local-time';

/** A tutor or timed assignment is one block; an exam is up to 7 sections of up to 40 (the table's checks). */
export const MAX_BLOCK_QUESTIONS = 40;
export const MAX_EXAM_QUESTIONS = 280;
export const MAX_SECTIONS = 7;
export const MAX_SECTION_SIZE = 40;
/** time_limit_seconds and section_seconds: 60 s to 40 × 600 s. */
export const MAX_MINUTES = 400;
/** break_seconds: up to 4 hours. */
export const MAX_BREAK_MINUTES = 240;
export const MAX_ATTEMPTS = 10;
export const MAX_TITLE = 200;

/**
 * Exam defaults after USMLE Step 1: one day of seven 60-minute blocks of up to 40 questions, with 45
 * minutes of break time shared between them (the optional 15-minute tutorial, if skipped, adds to it).
 */
export const EXAM_DEFAULTS = { sectionSize: 40, sectionMinutes: 60, breakMinutes: 45 } as const;
/** The exam's pace (60 minutes for 40 questions), the default for a timed assignment's limit. */
export const SECONDS_PER_QUESTION = 90;

/** A timed assignment's suggested limit for `count` questions, in whole minutes (at least 1). */
export function defaultTimedMinutes(count: number): number {
  return Math.max(1, Math.ceil((count * SECONDS_PER_QUESTION) / 60));
}

/** The form as typed: numbers and dates are the inputs' text. */
export interface AssignmentDraft {
  title: string;
  questionIds: readonly number[];
  mode: AssignmentMode;
  timedMinutes: string;
  sectionSize: string;
  sectionMinutes: string;
  breakMinutes: string;
  /** datetime-local values, the viewer's wall clock. */
  opensAt: string;
  dueAt: string;
  explanationsAfterDue: boolean;
  maxAttempts: string;
}
export type DraftField = Exclude<keyof AssignmentDraft, 'mode' | 'explanationsAfterDue' | 'questionIds'> | 'questions';
export type DraftErrors = Partial<Record<DraftField, string>>;

/** The row the form inserts (public.assignments' insertable columns). */
export interface AssignmentInsert {
  id: string;
  cohort_id: string;
  title: string;
  question_ids: number[];
  mode: AssignmentMode;
  time_limit_seconds: number | null;
  section_size: number | null;
  section_seconds: number | null;
  break_seconds: number | null;
  opens_at: string;
  due_at: string;
  explanations_after_due: boolean;
  max_attempts: number;
}

const wholeNumber = (label: string, min: number, max: number) => {
  const message = `${label} must be a whole number from ${min} to ${max}.`;
  return z.string().trim().regex(/^\d+$/, message).transform(Number).pipe(z.number().min(min, message).max(max, message));
};
const dateTime = (label: string) =>
  z.string().transform((value, ctx) => {
    const iso = localInputToIso(value);
    if (iso === null) {
      ctx.addIssue({ code: 'custom', message: `Enter ${label} (date and time).` });
      return z.NEVER;
    }
    return iso;
  });

const FIELD_SCHEMAS = {
  title: z.string().trim().min(1, 'Give the assignment a title.').max(MAX_TITLE, `Keep the title to ${MAX_TITLE} characters.`),
  timedMinutes: wholeNumber('The time limit (minutes)', 1, MAX_MINUTES),
  sectionSize: wholeNumber('Questions per section', 1, MAX_SECTION_SIZE),
  sectionMinutes: wholeNumber('Minutes per section', 1, MAX_MINUTES),
  breakMinutes: wholeNumber('The break pool (minutes)', 0, MAX_BREAK_MINUTES),
  opensAt: dateTime('when it opens'),
  dueAt: dateTime('when it is due'),
  maxAttempts: wholeNumber('Attempts allowed', 1, MAX_ATTEMPTS),
};

/** How many sections an exam of `count` questions in sections of `size` has. */
export const sectionCount = (count: number, size: number) => Math.ceil(count / size);

/**
 * The insert for `draft`, or every problem by field (messages say what to do). `id` is made once per
 * form (crypto.randomUUID), so sending the same draft twice is one assignment.
 */
export function checkDraft(
  draft: AssignmentDraft,
  ids: { id: string; cohortId: string },
): { ok: true; value: AssignmentInsert } | { ok: false; errors: DraftErrors } {
  const errors: DraftErrors = {};
  function take<K extends keyof typeof FIELD_SCHEMAS, T>(field: K, schema: z.ZodType<T, string>): T | undefined {
    const parsed = schema.safeParse(draft[field]);
    if (parsed.success) return parsed.data;
    errors[field] = parsed.error.issues[0]?.message ?? 'Check this field.';
    return undefined;
  }

  const title = take('title', FIELD_SCHEMAS.title);
  const count = new Set(draft.questionIds).size;
  if (count === 0) errors.questions = 'Pick at least one question.';
  else if (count !== draft.questionIds.length) errors.questions = 'A question is listed twice.';
  else if (draft.mode !== 'exam' && count > MAX_BLOCK_QUESTIONS)
    errors.questions = `A ${draft.mode} assignment is one block of at most ${MAX_BLOCK_QUESTIONS} questions; choose exam mode for up to ${MAX_EXAM_QUESTIONS}.`;
  else if (count > MAX_EXAM_QUESTIONS) errors.questions = `An exam has at most ${MAX_EXAM_QUESTIONS} questions (${MAX_SECTIONS} sections of ${MAX_SECTION_SIZE}).`;

  let timing: Pick<AssignmentInsert, 'time_limit_seconds' | 'section_size' | 'section_seconds' | 'break_seconds'> | undefined = {
    time_limit_seconds: null,
    section_size: null,
    section_seconds: null,
    break_seconds: null,
  };
  if (draft.mode === 'timed') {
    const minutes = take('timedMinutes', FIELD_SCHEMAS.timedMinutes);
    timing = minutes === undefined ? undefined : { ...timing, time_limit_seconds: minutes * 60 };
  } else if (draft.mode === 'exam') {
    const size = take('sectionSize', FIELD_SCHEMAS.sectionSize);
    const sectionMinutes = take('sectionMinutes', FIELD_SCHEMAS.sectionMinutes);
    const breakMinutes = take('breakMinutes', FIELD_SCHEMAS.breakMinutes);
    if (size !== undefined && !errors.questions && sectionCount(count, size) > MAX_SECTIONS) {
      errors.sectionSize = `${count} questions in sections of ${size} make ${sectionCount(count, size)} sections; an exam has at most ${MAX_SECTIONS}. Make the sections larger or pick fewer questions.`;
    }
    timing =
      size === undefined || sectionMinutes === undefined || breakMinutes === undefined
        ? undefined
        : { ...timing, section_size: size, section_seconds: sectionMinutes * 60, break_seconds: breakMinutes * 60 };
  }

  const opensAt = take('opensAt', FIELD_SCHEMAS.opensAt);
  const dueAt = take('dueAt', FIELD_SCHEMAS.dueAt);
  if (opensAt !== undefined && dueAt !== undefined && Date.parse(dueAt) <= Date.parse(opensAt)) {
    errors.dueAt = 'The due date must be after the opening date.';
  }
  const maxAttempts = take('maxAttempts', FIELD_SCHEMAS.maxAttempts);

  if (
    Object.keys(errors).length > 0 ||
    title === undefined ||
    timing === undefined ||
    opensAt === undefined ||
    dueAt === undefined ||
    maxAttempts === undefined
  ) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      id: ids.id,
      cohort_id: ids.cohortId,
      title,
      question_ids: [...draft.questionIds],
      mode: draft.mode,
      ...timing,
      opens_at: opensAt,
      due_at: dueAt,
      explanations_after_due: draft.explanationsAfterDue,
      max_attempts: maxAttempts,
    },
  };
}
