/**
 * The hand-off from a block being taken to the outbox — the one path every block's writes take, used by
 * the player (src/features/quiz/components/block-player.tsx) and by the e2e hooks (src/app/e2e-hooks.ts),
 * so the specs that drive the hooks exercise the player's own path.
 *
 * Contract: `startBlock` queues the block's creation once, when it is started. `handOff` is called with
 * the block's ledger after every change of the player's state; it queues each submitted answer exactly
 * once and, when the block has ended, its completion once (the ledger records what was handed over), then
 * writes the ledger before returning it. The caller keeps the returned ledger for its next call.
 */
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import { nextHandOff, saveBlockLedger, type BlockLedger, type GivenAnswers } from './block-ledger';
import { answerVariables, attemptVariables } from './mutations';
import { answerSyncKeys, enqueue } from './queue';
import { creationFields, type Attempt, type NewAttempt } from './shapes';

/** Queues the creation of a block that was just started on this device. */
export function startBlock(queryClient: QueryClient, attempt: NewAttempt): void {
  enqueue(queryClient, answerSyncKeys.createAttempt, attemptVariables(creationFields(attempt)));
}

/**
 * Hands what is new in the block to the outbox and writes its ledger (see header). `attemptQueryKey` is
 * where the app caches the attempt row: on completion the cached row is ended at once, so the review
 * (and a return to the block's address) sees it ended without waiting for the server.
 */
export function handOff<P extends GivenAnswers>(queryClient: QueryClient, ledger: BlockLedger<P>, attemptQueryKey: QueryKey): BlockLedger<P> {
  const next = nextHandOff(ledger);
  for (const answer of next.answers) enqueue(queryClient, answerSyncKeys.submitAnswer, answerVariables(answer, ledger.attempt));
  if (next.completion) {
    enqueue(queryClient, answerSyncKeys.completeAttempt, attemptVariables(next.completion));
    const { completed_at, marked_question_ids } = next.ledger.attempt;
    queryClient.setQueryData<Attempt>(attemptQueryKey, (old) => (old ? { ...old, completed_at, marked_question_ids } : old));
  }
  saveBlockLedger(window.localStorage, next.ledger);
  return next.ledger;
}
