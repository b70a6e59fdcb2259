/**
 * The outbox's queue: the offline writes answer sync makes, their keys, and the one way a write enters
 * the queue (`enqueue`).
 *
 * Contract:
 * - Every write is an offline mutation under one of `answerSyncKeys`; its function, retries and side
 *   effects are the mutation defaults (mutations.ts), registered before the persisted cache is restored,
 *   so a write restored after a reload runs the same code as one made now. A write is never given
 *   callbacks of its own (they would not survive a reload).
 * - The keys and the variables (shapes.ts) are stored with the persisted outbox and read back by later
 *   builds: their values are format `OUTBOX_FORMAT` and must not change without bumping it and migrating
 *   stored mutations (src/lib/persist.ts keepOutbox; e2e/outbox-upgrade.spec.ts).
 */
import { MutationObserver, type MutationKey, type QueryClient } from '@tanstack/react-query';
import type { OutboxSpec } from '@/lib/persist';
import type { AnswerVariables, AttemptVariables } from './shapes';

/**
 * Keys of the offline writes. Persisted while pending and kept across builds (format 1): the values stay
 * as they are. Blocks ('attempts') and answers travel together through one transport (transport.ts), so
 * no mutation scope orders them.
 */
export const answerSyncKeys = {
  createAttempt: ['attempts', 'create'],
  submitAnswer: ['answers', 'submit'],
  completeAttempt: ['attempts', 'complete'],
} as const;

/** Version of the stored outbox: the keys above and the variables of shapes.ts (see header). */
export const OUTBOX_FORMAT = 1;

type AnswerSyncKey = (typeof answerSyncKeys)[keyof typeof answerSyncKeys];
/** The variables each write takes. */
type VariablesOf<K extends AnswerSyncKey> = K extends typeof answerSyncKeys.submitAnswer ? AnswerVariables : AttemptVariables;

const OUTBOX_SCOPES: readonly unknown[] = Object.values(answerSyncKeys).map((k) => k[0]);

/**
 * Whether a mutation key is answer sync's. Tested on the key's first part ('answers' / 'attempts'), as
 * the persisted outbox always has been: a stored write of those scopes is kept even if this build does
 * not register its key (it then fails visibly with "Retry" instead of vanishing).
 */
export function isAnswerSyncKey(key: MutationKey | undefined): boolean {
  return key !== undefined && OUTBOX_SCOPES.includes(key[0]);
}

/** The outbox as src/lib/persist.ts needs to know it (what to store, what outlives a new build). */
export const answerSyncOutbox: OutboxSpec = { isOutboxMutationKey: isAnswerSyncKey, format: OUTBOX_FORMAT };

/**
 * Puts one write in the outbox: a mutation under `key` runs with the registered defaults, is persisted
 * while pending and retried until the server has it. Returns at once; what happens next is read from
 * the mutation cache (use-block-sync.ts, outbox.ts's status).
 */
export function enqueue<K extends AnswerSyncKey>(queryClient: QueryClient, key: K, variables: VariablesOf<K>): void {
  // Failures are the cache's to show (status "failed", "Retry"); nobody awaits this promise.
  void new MutationObserver<unknown, Error, VariablesOf<K>>(queryClient, { mutationKey: key }).mutate(variables).catch(() => undefined);
}
