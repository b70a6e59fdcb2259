/**
 * Opening a block the student just built (a practice block or a spaced review): the one way both forms
 * hand it to answer sync and the player.
 */
import type { QueryClient } from '@tanstack/react-query';
import { pruneEndedLedgers } from '@/answer-sync/block-ledger';
import { startBlock } from '@/answer-sync/hand-off';
import type { Attempt } from '@/answer-sync/shapes';
import { getAttemptQueryOptions } from '@/features/quiz/api/attempts';
import { navigate } from '@/lib/router';

/** Finished blocks' ledgers (their local copies) are kept a week (a late reopen still finds its marks), then dropped. */
const ENDED_SESSION_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

export function openNewBlock(queryClient: QueryClient, attempt: Attempt): void {
  // The player reads the attempt from the cache, so it opens at once, also offline or on a slow line.
  queryClient.setQueryData(getAttemptQueryOptions(attempt.id).queryKey, attempt);
  startBlock(queryClient, attempt);
  pruneEndedLedgers(window.localStorage, Date.parse(attempt.started_at), ENDED_SESSION_MAX_AGE_MS);
  navigate(`/blocks/${attempt.id}`);
}
