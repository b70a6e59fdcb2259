/**
 * What the outbox knows of one block, for its screens: the server's outcomes, the writes that failed,
 * and the answers still waiting. Read from the mutation cache (the writes' own state, restored ones
 * included), so no feature reads the cache by key itself.
 */
import { useMemo } from 'react';
import { useMutationState } from '@tanstack/react-query';
import { deviceAnswers, loadBlockLedger, type DeviceAnswer } from './block-ledger';
import { answerSyncKeys } from './queue';
import { answerOutcomeSchema, answerVariablesSchema, attemptVariablesSchema, type AnswerOutcome } from './shapes';

/** Which block a cached write belongs to (mutation variables are `unknown` to the cache). */
const answerOfBlock = answerVariablesSchema.pick({ attempt_id: true, question_id: true });
const blockWrite = attemptVariablesSchema.pick({ id: true });

/**
 * The server's outcomes of the block's answers by answer id: `saved` ones (from the block's ledger) and
 * those arriving now, which win.
 */
export function useBlockOutcomes(attemptId: string, saved: readonly AnswerOutcome[]): ReadonlyMap<string, AnswerOutcome> {
  const live = useMutationState({
    filters: {
      mutationKey: answerSyncKeys.submitAnswer,
      status: 'success',
      predicate: (m) => answerOfBlock.safeParse(m.state.variables).data?.attempt_id === attemptId,
    },
    select: (m) => m.state.data,
  });
  return useMemo(() => {
    const byId = new Map<string, AnswerOutcome>();
    for (const o of saved) byId.set(o.id, o);
    for (const data of live) {
      const parsed = answerOutcomeSchema.safeParse(data);
      if (parsed.success) byId.set(parsed.data.id, parsed.data);
    }
    return byId;
  }, [saved, live]);
}

/** Writes of the block that failed for good: its creation's error, and its answers' errors. */
export function useBlockSyncErrors(attemptId: string): { creation: Error | undefined; answers: Error[] } {
  const answers = useMutationState({
    filters: {
      mutationKey: answerSyncKeys.submitAnswer,
      status: 'error',
      predicate: (m) => answerOfBlock.safeParse(m.state.variables).data?.attempt_id === attemptId,
    },
    select: (m) => m.state.error,
  });
  const creations = useMutationState({
    filters: {
      mutationKey: answerSyncKeys.createAttempt,
      status: 'error',
      predicate: (m) => blockWrite.safeParse(m.state.variables).data?.id === attemptId,
    },
    select: (m) => m.state.error,
  });
  return { creation: creations[0] ?? undefined, answers: answers.flatMap((e) => (e ? [e] : [])) };
}

/** Question ids of the block whose answers wait in this device's outbox (paused offline or in flight). */
export function useQueuedQuestionIds(attemptId: string): ReadonlySet<number> {
  const queued = useMutationState({
    filters: { mutationKey: answerSyncKeys.submitAnswer, status: 'pending' },
    select: (m) => m.state.variables,
  });
  return new Set(
    queued.flatMap((v) => {
      const parsed = answerOfBlock.safeParse(v);
      return parsed.success && parsed.data.attempt_id === attemptId ? [parsed.data.question_id] : [];
    }),
  );
}


const NO_OUTCOMES: readonly AnswerOutcome[] = [];

/**
 * The answers this device gave in the block (its ledger, read once per block), each with the server's
 * outcome — the ledger's and those arriving now. Empty when the block was not answered on this device or
 * its ledger has been pruned. For screens that must show a block's answers without the server (review).
 */
export function useDeviceAnswers(attemptId: string): DeviceAnswer[] {
  const ledger = useMemo(() => (typeof localStorage === 'undefined' ? null : loadBlockLedger(localStorage, attemptId)), [attemptId]);
  const outcomes = useBlockOutcomes(attemptId, ledger?.outcomes ?? NO_OUTCOMES);
  return useMemo(
    () => (ledger ? deviceAnswers({ ...ledger, outcomes: [...outcomes.values()] }) : []),
    [ledger, outcomes],
  );
}
