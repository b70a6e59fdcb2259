/**
 * What the outbox holds, counted from the mutation cache itself (restored mutations' `isPaused` /
 * `isPending` have been wrong upstream: docs/offline-outbox.md#sync-status). Pure, so it is unit-tested;
 * outbox.ts reads it for the app and keeps it fresh for React.
 */
import type { Mutation } from '@tanstack/react-query';
import { answerSyncKeys, isAnswerSyncKey } from './queue';

export interface SyncStatus {
  online: boolean;
  /** The signed-in user's answers not yet confirmed by the server. */
  waiting: number;
  /** Answers another account gave on this device, waiting for it to sign in again (never sent as us). */
  otherAccounts: number;
  /** A request is being sent now. */
  syncing: boolean;
  /** Answers that failed for good (shown with "Retry"). */
  failedAnswers: number;
  /** Block creations and completions that failed for good (shown with "Retry"). */
  failedBlocks: number;
  lastSyncedAt: string | null;
}

/** The user an offline mutation was stamped with (its variables' `owner`), if any. */
function ownerOf(variables: unknown): string | null {
  return typeof variables === 'object' && variables !== null && 'owner' in variables && typeof variables.owner === 'string' ? variables.owner : null;
}

const isAnswer = (m: Pick<Mutation, 'options'>) => m.options.mutationKey?.[0] === answerSyncKeys.submitAnswer[0];

/**
 * The status of the outbox among `mutations` (the whole mutation cache), for the user `me` signed in
 * now (null: nobody).
 */
export function syncStatusOf(
  mutations: readonly Mutation[],
  { me, online, lastSyncedAt }: { me: string | null; online: boolean; lastSyncedAt: string | null },
): SyncStatus {
  const outbox = mutations.filter((m) => isAnswerSyncKey(m.options.mutationKey));
  const pendingAnswers = outbox.filter((m) => isAnswer(m) && m.state.status === 'pending');
  const otherAccounts = pendingAnswers.filter((m) => {
    const owner = ownerOf(m.state.variables);
    return me !== null && owner !== null && owner !== me;
  }).length;
  const failed = outbox.filter((m) => m.state.status === 'error');
  const failedAnswers = failed.filter(isAnswer).length;
  return {
    online,
    waiting: pendingAnswers.length - otherAccounts,
    otherAccounts,
    syncing: outbox.some((m) => m.state.status === 'pending' && !m.state.isPaused && m.state.failureCount === 0),
    failedAnswers,
    failedBlocks: failed.length - failedAnswers,
    lastSyncedAt,
  };
}
