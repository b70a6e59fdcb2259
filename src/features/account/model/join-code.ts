/** Join-code rules, kept free of the Supabase client so they can be unit-tested in Node. */
import { hasErrorCode } from '@/lib/errors';

/**
 * What the student may type: codes are shown as e.g. "ROUNDS28" but get read aloud and copied with
 * spaces, dashes and lower case. The server normalises the same way (join_cohort strips \s and -).
 */
export function normaliseJoinCode(raw: string): string {
  return raw.replace(/[\s-]+/g, '').toUpperCase();
}

/**
 * Instructors cannot join cohorts (cohort members are students; the server answers 403
 * instructor_cannot_join). Nothing went wrong for them, so the form says so as a note, not an error.
 */
export function isInstructorCannotJoinError(error: unknown): boolean {
  return hasErrorCode(error, 'instructor_cannot_join');
}
