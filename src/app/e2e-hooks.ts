/**
 * Test hooks of the e2e build (`npm run build:e2e` sets VITE_E2E_HOOKS=1; every other build drops the
 * import in signed-in-app.tsx as dead code). They drive the app's own code, never a copy of it:
 *
 * - `queueBlock` takes a block the way the player does, without rendering 40 questions: the answers are
 *   given with the real player reducer, and the block goes to the outbox through answer sync's own
 *   `startBlock` and `handOff` (src/answer-sync/hand-off.ts) — the player's path, which queues each
 *   answer once and writes the block's ledger (`rounds.player.<id>`), so a reload restores and
 *   reconciles it exactly like a block answered by hand. The sync budget and chaos specs
 *   (e2e/sync-budget.spec.ts, e2e/chaos.spec.ts) build their queues with it.
 * - `persistNow` writes the cache and its outbox to IndexedDB at once (as `pagehide` does).
 * - `outboxRequestCount` / `waitingAnswers` read the outbox's own counters (request budget, drain).
 * - `setActiveBlock` holds the update prompt back as a running block does (e2e/pwa.spec.ts).
 */
import { queryClient } from '@/lib/query-client';
import { flushPersistence } from '@/lib/persist';
import { setActiveBlock } from '@/lib/active-block';
import type { Choice } from '@/lib/taxonomy';
import { newBlockLedger } from '@/answer-sync/block-ledger';
import { handOff, startBlock } from '@/answer-sync/hand-off';
import { getOutboxRequestCount, getSyncStatus } from '@/answer-sync/outbox';
import { answerSyncOutbox } from '@/answer-sync/queue';
import { NOT_ASSIGNED, type Attempt } from '@/answer-sync/shapes';
import { getAttemptQueryOptions } from '@/features/quiz/api/attempts';
import { initialPlayerState, playerReducer, type PlayerState } from '@/features/quiz/model/player';

export interface QueueBlockInput {
  /** The block's questions, in order (1 to 40 published ids). */
  questionIds: number[];
  /** One choice per question to answer, in block order; questions past its end stay unanswered. */
  choices: Choice[];
  mode?: 'tutor' | 'timed';
  /** End the block after the answers (queues `completeAttempt` as the player does). */
  end?: boolean;
}

export interface RoundsE2EHooks {
  setActiveBlock(id: string | null): void;
  queueBlock(input: QueueBlockInput): { attemptId: string; answerIds: string[] };
  persistNow(): Promise<void>;
  outboxRequestCount(): number;
  waitingAnswers(): number;
}

function queueBlock({ questionIds, choices, mode = 'tutor', end = false }: QueueBlockInput): { attemptId: string; answerIds: string[] } {
  const startedAt = Date.now();
  const attempt: Attempt = {
    id: crypto.randomUUID(),
    mode,
    kind: 'practice',
    question_ids: questionIds,
    time_limit_seconds: mode === 'timed' ? questionIds.length * 90 : null,
    marked_question_ids: [],
    filters: {},
    started_at: new Date(startedAt).toISOString(),
    completed_at: null,
    ...NOT_ASSIGNED,
  };
  startBlock(queryClient, attempt);

  let state: PlayerState = initialPlayerState(attempt.id, mode, questionIds, startedAt);
  choices.forEach((choice, i) => {
    const now = startedAt + (i + 1) * 1000;
    state = playerReducer(playerReducer(state, { type: 'select', choice }), { type: 'submit', now, answerId: crypto.randomUUID() });
    if (i < questionIds.length - 1) state = playerReducer(state, { type: 'next', now });
  });
  if (end) state = playerReducer(state, { type: 'end', now: startedAt + (choices.length + 1) * 1000, answerIds: [] });

  const ledger = handOff(queryClient, newBlockLedger(attempt, state), getAttemptQueryOptions(attempt.id).queryKey);
  return { attemptId: attempt.id, answerIds: ledger.sentAnswerIds };
}

export function createE2EHooks(buster: string): RoundsE2EHooks {
  return {
    setActiveBlock,
    queueBlock,
    persistNow: () => flushPersistence(queryClient, { buster, outbox: answerSyncOutbox }),
    outboxRequestCount: getOutboxRequestCount,
    waitingAnswers: () => getSyncStatus(queryClient).waiting,
  };
}
