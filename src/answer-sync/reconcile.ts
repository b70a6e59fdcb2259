/**
 * After the persisted cache is restored: re-queue answers this device gave but never saw confirmed and
 * that are not already waiting in the restored outbox (see unconfirmedAnswers in block-ledger.ts).
 * Idempotent server-side, so a re-sent answer the server already has comes back "duplicate" and changes
 * nothing.
 */
import type { QueryClient } from '@tanstack/react-query';
import { allBlockLedgers, unconfirmedAnswers } from './block-ledger';
import { answerVariables } from './mutations';
import { answerSyncKeys, enqueue } from './queue';
import { answerVariablesSchema } from './shapes';

const queuedSchema = answerVariablesSchema.pick({ id: true });

/** Returns how many answers it queued again. */
export function requeueUnconfirmedAnswers(queryClient: QueryClient): number {
  const pending = new Set(
    queryClient
      .getMutationCache()
      .findAll({ mutationKey: answerSyncKeys.submitAnswer, status: 'pending' })
      .flatMap((m) => {
        const v = queuedSchema.safeParse(m.state.variables);
        return v.success ? [v.data.id] : [];
      }),
  );
  let n = 0;
  for (const ledger of allBlockLedgers(window.localStorage)) {
    for (const answer of unconfirmedAnswers(ledger)) {
      if (pending.has(answer.id)) continue;
      n++;
      enqueue(queryClient, answerSyncKeys.submitAnswer, answerVariables(answer, ledger.attempt));
    }
  }
  return n;
}
