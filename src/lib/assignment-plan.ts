/**
 * An assignment as public.assignments stores it (supabase/migrations/20261206090000_assignments.sql):
 * the fields the instructor's pages and the student's both read, defined once. Each feature extends it
 * with what its own read adds (the instructor's row its title and creation time; the student's list
 * the server's judgement of their work).
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
