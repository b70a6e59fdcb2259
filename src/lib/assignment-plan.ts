/**
 * An assignment as public.assignments stores it (supabase/migrations/20261206090000_assignments.sql):
 * the fields the instructor's pages and the student's both read, defined once, and the server's
 * judgement of a student's work on it (its status, said the same way on both sides). Each feature
 * extends the row with what its own read adds.
 */
import { z } from 'zod';

export const ASSIGNMENT_MODES = ['tutor', 'timed', 'exam'] as const;
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];

export const assignmentPlanSchema = z.object({
  id: z.uuid(),
  cohort_id: z.uuid(),
  title: z.string(),
  question_ids: z.array(z.coerce.number().int()),
  mode: z.enum(ASSIGNMENT_MODES),
  time_limit_seconds: z.number().int().nullable(),
  section_size: z.number().int().nullable(),
  section_seconds: z.number().int().nullable(),
  break_seconds: z.number().int().nullable(),
  opens_at: z.string(),
  due_at: z.string(),
  explanations_after_due: z.boolean(),
  max_attempts: z.number().int(),
});
export type AssignmentPlan = z.infer<typeof assignmentPlanSchema>;

/** A student's standing on an assignment as the server judges it (late: done, with answers that were not on time). */
export const ASSIGNMENT_STATUSES = ['not_started', 'in_progress', 'done', 'late'] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

export const ASSIGNMENT_STATUS_LABELS: Record<AssignmentStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  done: 'Done',
  late: 'Done late',
};

/** Not finished (not started or in progress) and the due date has passed. */
export const isOverdue = (status: AssignmentStatus, dueAt: Date, now: Date) => (status === 'not_started' || status === 'in_progress') && now > dueAt;
