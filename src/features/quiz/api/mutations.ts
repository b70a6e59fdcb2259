/**
 * Writes of the quiz feature — all of them offline-capable and persisted (keys under 'answers' and
 * 'attempts', see lib/persist.ts). Each mutation's function is registered as a mutation default at module
 * load (STYLE: offline mutations are first-class), so a mutation restored after a reload or an app kill
 * resumes with the same code. The UI calls `useMutation({ mutationKey })` and nothing else.
 *
 * Every variable carries `owner` (the user who gave the answer) and the block it belongs to, so the outbox
 * can send it later — after a restart, in a batch with others, before or after its block's creation —
 * under the right session and with its block (lib/outbox).
 */
import type { QueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { getCurrentUserId } from '@/lib/current-user';
import { outboxRetryDelay, outboxShouldRetry, requireSessionOf, syncPipeline } from '@/lib/outbox/outbox';
import type { OutboxAttempt } from '@/lib/outbox/sync-pipeline';
import { recordOutcome } from '@/features/quiz/model/player-session';
import { quizKeys, quizMutationKeys } from './keys';

export interface NewAttempt {
  id: string;
  mode: 'tutor' | 'timed';
  question_ids: number[];
  time_limit_seconds: number | null;
  filters: Record<string, unknown>;
  started_at: string;
}

export interface AnswerInput {
  id: string;
  attempt_id: string;
  question_id: number;
  choice: 'A' | 'B' | 'C' | 'D' | 'E';
  time_spent_ms: number;
  answered_at: string;
}

/** What an offline mutation carries besides its payload. */
interface Stamp {
  /** The user who made it; null only if it was made signed out (then any session may send it). */
  owner: string | null;
}
export type AnswerVariables = AnswerInput & Stamp & { block: OutboxAttempt };
export type AttemptVariables = NewAttempt & Stamp & { completed_at?: string | null; marked_question_ids?: number[] };

export const answerOutcomeSchema = z.object({
  id: z.string().uuid(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  is_correct: z.boolean().optional(),
  correct_choice: z.enum(['A', 'B', 'C', 'D', 'E']).optional(),
  reason: z.string().optional(),
});
export type AnswerOutcome = z.infer<typeof answerOutcomeSchema>;

/** The creation fields of a block, as the outbox sends them with each answer. */
export function blockSnapshot(a: NewAttempt): OutboxAttempt {
  return {
    id: a.id,
    mode: a.mode,
    question_ids: a.question_ids,
    time_limit_seconds: a.time_limit_seconds,
    filters: a.filters,
    started_at: a.started_at,
  };
}

/** Stamps an answer for the outbox (call when the student submits it). */
export function answerVariables(answer: AnswerInput, block: NewAttempt): AnswerVariables {
  return { ...answer, owner: getCurrentUserId(), block: blockSnapshot(block) };
}

/** Stamps a block creation or update for the outbox. */
export function attemptVariables(a: NewAttempt & { completed_at?: string | null; marked_question_ids?: number[] }): AttemptVariables {
  return { ...a, owner: getCurrentUserId() };
}

function toOutboxAttempt(v: AttemptVariables): OutboxAttempt {
  return {
    ...blockSnapshot(v),
    ...(v.completed_at !== undefined ? { completed_at: v.completed_at } : {}),
    ...(v.marked_question_ids !== undefined ? { marked_question_ids: v.marked_question_ids } : {}),
  };
}

async function ensureSender(owner: string | null): Promise<void> {
  const me = owner ?? getCurrentUserId();
  if (me) await requireSessionOf(me);
}

/** Creation, completion and marks of a block all travel the same way: one upsert through the outbox. */
async function sendAttempt(v: AttemptVariables): Promise<void> {
  await ensureSender(v.owner);
  await syncPipeline.upsertAttempt(toOutboxAttempt(v));
}

/** Registers every quiz mutation's defaults on the client. Called once, before the persisted cache is restored. */
export function registerQuizMutations(queryClient: QueryClient): void {
  const offline = { retry: outboxShouldRetry, retryDelay: outboxRetryDelay, networkMode: 'online' as const };

  queryClient.setMutationDefaults(quizMutationKeys.createAttempt, {
    ...offline,
    mutationFn: sendAttempt,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: quizKeys.attempts() }),
  });

  queryClient.setMutationDefaults(quizMutationKeys.submitAnswer, {
    ...offline,
    mutationFn: async (v: AnswerVariables): Promise<AnswerOutcome> => {
      await ensureSender(v.owner);
      const { owner: _owner, block, ...answer } = v;
      return answerOutcomeSchema.parse(await syncPipeline.submitAnswer(answer, block));
    },
    // Kept with the block's saved session so a reload knows the server has it (and its grade).
    onSuccess: (outcome: AnswerOutcome, v: AnswerVariables) => recordOutcome(window.localStorage, v.attempt_id, outcome),
  });

  queryClient.setMutationDefaults(quizMutationKeys.completeAttempt, {
    ...offline,
    mutationFn: sendAttempt,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: quizKeys.attempts() }),
        queryClient.invalidateQueries({ queryKey: quizKeys.history() }),
        // The home dashboard (progress feature) keys its reads under 'progress'.
        queryClient.invalidateQueries({ queryKey: ['progress'] }),
      ]),
  });

  queryClient.setMutationDefaults(quizMutationKeys.saveMarks, {
    ...offline,
    mutationFn: sendAttempt,
  });
}
