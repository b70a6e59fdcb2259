/** Join-code rules and wording, kept free of the Supabase client so they can be unit-tested in Node. */
import { z } from 'zod';
import { classifyError } from '@/lib/network/classify-error';
import { getErrorMessage } from '@/lib/errors';

/**
 * What the student may type: codes are shown as e.g. "ROUNDS28" but get read aloud and copied with
 * spaces, dashes and lower case. The server normalises the same way (join_cohort strips \s and -).
 */
export function normaliseJoinCode(raw: string): string {
  return raw.replace(/[\s-]+/g, '').toUpperCase();
}

const serverMessage = z.object({ code: z.string().nullish(), message: z.string().min(1), hint: z.string().nullish() });

/**
 * join_cohort's own refusals ("No cohort has the join code X.", "A join code is 6 to 12 letters or
 * digits.") are written for students, so they are shown with their hint; everything else (rate limit,
 * offline, server) gets the app's usual wording. The wrong-code answer is a 400 whose code,
 * `cohort_not_found`, is the function's own (not a SQLSTATE), and a PostgrestError carries no status,
 * so classifyError cannot see it is a client error: it is recognised by its code.
 */
export function getJoinCohortErrorMessage(error: unknown): string {
  const parsed = serverMessage.safeParse(error);
  if (parsed.success && (parsed.data.code === 'cohort_not_found' || classifyError(error) === 'client')) {
    return parsed.data.hint ? `${parsed.data.message} ${parsed.data.hint}` : parsed.data.message;
  }
  return getErrorMessage(error);
}

/**
 * Instructors cannot join cohorts (cohort members are students; the server answers 403
 * instructor_cannot_join). Nothing went wrong for them, so the form says so as a note, not an error.
 */
export function isInstructorCannotJoinError(error: unknown): boolean {
  const parsed = serverMessage.safeParse(error);
  return parsed.success && parsed.data.code === 'instructor_cannot_join';
}
