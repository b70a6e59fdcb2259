/**
 * The offline writes' code: how each is stamped when it is made, and its mutation defaults — the function
 * that sends it, its retries and its side effects — registered once, before the persisted cache is
 * restored (STYLE: offline mutations are first-class), so a write restored after a reload or an app kill
 * resumes with the same code. Writes enter the queue through `enqueue` (queue.ts) and nothing else.
 *
 * Every write carries `owner` (the user who made it) and, for an answer, its block's creation fields, so
 * the outbox can send it later — after a restart, in a batch with others, before or after its block's
 * creation — under the right session and with its block (outbox.ts).
 */
import type { QueryClient } from '@tanstack/react-query';
import { getCurrentUserId } from '@/lib/current-user';
import { recordOutcome } from './block-ledger';
import { outboxRetryDelay, outboxShouldRetry, requireSessionOf, transport } from './outbox';
import { answerSyncKeys } from './queue';
import { creationFields, type AnswerInput, type AnswerOutcome, type AnswerVariables, type AttemptVariables, type AttemptWrite, type NewAttempt } from './shapes';

/** Stamps an answer for the outbox (when the student submits it). */
export function answerVariables(answer: AnswerInput, block: NewAttempt): AnswerVariables {
  return { ...answer, owner: getCurrentUserId(), block: creationFields(block) };
}

/** Stamps a block creation or completion for the outbox. */
export function attemptVariables(write: AttemptWrite): AttemptVariables {
  return { ...write, owner: getCurrentUserId() };
}

function toAttemptWrite(v: AttemptVariables): AttemptWrite {
  return {
    ...creationFields(v),
    ...(v.completed_at !== undefined ? { completed_at: v.completed_at } : {}),
    ...(v.marked_question_ids !== undefined ? { marked_question_ids: v.marked_question_ids } : {}),
  };
}

async function ensureSender(owner: string | null): Promise<void> {
  const me = owner ?? getCurrentUserId();
  if (me) await requireSessionOf(me);
}

/** Creation and completion of a block travel the same way: one upsert through the transport. */
async function sendAttempt(v: AttemptVariables): Promise<void> {
  await ensureSender(v.owner);
  await transport.upsertAttempt(toAttemptWrite(v));
}

/**
 * What the app refreshes when the server has a block write (answer sync knows no feature's keys: the app
 * passes these, invalidating through the features' key factories).
 */
export interface AnswerSyncEffects {
  /** A block was created on the server (e.g. the recent blocks list). */
  onBlockCreated: () => Promise<unknown>;
  /** A block's completion reached the server (e.g. blocks, history, home's progress). */
  onBlockCompleted: () => Promise<unknown>;
}

/** Registers every offline write's defaults on the client. Call once, before the persisted cache is restored. */
export function registerAnswerSync(queryClient: QueryClient, effects: AnswerSyncEffects): void {
  const offline = { retry: outboxShouldRetry, retryDelay: outboxRetryDelay, networkMode: 'online' as const };

  queryClient.setMutationDefaults(answerSyncKeys.createAttempt, {
    ...offline,
    mutationFn: sendAttempt,
    onSuccess: effects.onBlockCreated,
  });

  queryClient.setMutationDefaults(answerSyncKeys.submitAnswer, {
    ...offline,
    mutationFn: async (v: AnswerVariables): Promise<AnswerOutcome> => {
      await ensureSender(v.owner);
      const { owner: _owner, block, ...answer } = v;
      return transport.submitAnswer(answer, block);
    },
    // Kept with the block's ledger so a reload knows the server has it (and its grade).
    onSuccess: (outcome: AnswerOutcome, v: AnswerVariables) => recordOutcome(window.localStorage, v.attempt_id, outcome),
  });

  queryClient.setMutationDefaults(answerSyncKeys.completeAttempt, {
    ...offline,
    mutationFn: sendAttempt,
    onSuccess: effects.onBlockCompleted,
  });

  // No default for ['attempts', 'marks'] (the old `saveMarks`): no build ever queued one (git log -S
  // saveMarks: it was registered but never mutated), so no stored outbox can hold one.
}
