/**
 * The student's history as the quiz keeps it (get-history.ts reads it, answer-log-store.ts stores it on
 * this device): every answer with what spaced review and the block pools need, and the marked questions.
 */
import { z } from 'zod';
import { confidenceSchema } from '@/answer-sync/shapes';

export const historyAnswerSchema = z.object({
  id: z.string(),
  question_id: z.number().int(),
  is_correct: z.boolean(),
  answered_at: z.string(),
  time_spent_ms: z.number().int(),
  confidence: confidenceSchema.nullable(),
  /** The question's organ system (the spaced-review pace rule compares within a system); absent for this device's unsynced answers. */
  organ_system: z.string().optional(),
});
export type HistoryAnswer = z.infer<typeof historyAnswerSchema>;

/** Plain data (no Set): it is stored on this device for offline use (answer-log-store.ts). */
export interface History {
  answers: HistoryAnswer[];
  marked: number[];
  /** The latest received_at among `answers` (server time): the next read starts a little before it. */
  syncedTo: string | null;
}
