/**
 * Test hooks of the e2e build (`npm run build:e2e` sets VITE_E2E_HOOKS=1; every other build drops the
 * import in signed-in-app.tsx as dead code). They drive the app's own code, never a copy of it:
 *
 * - `queueBlock` takes a block the way the player does, without rendering 40 questions: the real
 *   `createAttempt` / `submitAnswer` mutations (MutationObserver on their registered defaults, the
 *   real `attemptVariables` / `answerVariables` stamps), the real player reducer to give the answers,
 *   and the real saved block session (`rounds.player.<id>`, answers marked as handed to the mutation
 *   layer), so a reload restores and reconciles it exactly like a block answered by hand. The sync
 *   budget and chaos specs (e2e/sync-budget.spec.ts, e2e/chaos.spec.ts) build their queues with it.
 * - `persistNow` writes the cache and its outbox to IndexedDB at once (as `pagehide` does).
 * - `outboxRequestCount` / `waitingAnswers` read the outbox's own counters (request budget, drain).
 * - `setActiveBlock` holds the update prompt back as a running block does (e2e/pwa.spec.ts).
 */
import { MutationObserver } from '@tanstack/react-query';
import { queryClient } from '@/lib/query-client';
import { flushPersistence } from '@/lib/persist';
import { getOutboxRequestCount, getSyncStatus } from '@/lib/outbox/outbox';
import { setActiveBlock } from '@/lib/active-block';
import { quizMutationKeys } from '@/features/quiz/api/keys';
import { answerVariables, attemptVariables, type AnswerOutcome, type AnswerVariables, type AttemptVariables, type NewAttempt } from '@/features/quiz/api/mutations';
import { initialPlayerState, playerReducer, type PlayerState } from '@/features/quiz/model/player';
import type { Choice } from '@/lib/taxonomy';
import { savePlayerSession, unsentAnswers } from '@/features/quiz/model/player-session';

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
  const attempt: NewAttempt = {
    id: crypto.randomUUID(),
    mode,
    question_ids: questionIds,
    time_limit_seconds: mode === 'timed' ? questionIds.length * 90 : null,
    filters: {},
    started_at: new Date(startedAt).toISOString(),
  };
  new MutationObserver<void, Error, AttemptVariables>(queryClient, { mutationKey: quizMutationKeys.createAttempt })
    .mutate(attemptVariables(attempt))
    .catch(() => undefined);

  let state: PlayerState = initialPlayerState(attempt.id, mode, questionIds, startedAt);
  choices.forEach((choice, i) => {
    const now = startedAt + (i + 1) * 1000;
    state = playerReducer(playerReducer(state, { type: 'select', choice }), { type: 'submit', now, answerId: crypto.randomUUID() });
    if (i < questionIds.length - 1) state = playerReducer(state, { type: 'next', now });
  });
  if (end) state = playerReducer(state, { type: 'end', now: startedAt + (choices.length + 1) * 1000, answerIds: [] });

  // As the player: each submitted answer handed to submitAnswer once, then the session saved with it.
  const answers = unsentAnswers(state, new Set());
  for (const answer of answers) {
    new MutationObserver<AnswerOutcome, Error, AnswerVariables>(queryClient, { mutationKey: quizMutationKeys.submitAnswer })
      .mutate(answerVariables(answer, attempt))
      .catch(() => undefined);
  }
  const completed_at = state.endedAt === null ? undefined : new Date(state.endedAt).toISOString();
  if (completed_at) {
    new MutationObserver<void, Error, AttemptVariables>(queryClient, { mutationKey: quizMutationKeys.completeAttempt })
      .mutate(attemptVariables({ ...attempt, completed_at, marked_question_ids: state.marked }))
      .catch(() => undefined);
  }
  savePlayerSession(window.localStorage, {
    version: 1,
    attempt: { ...attempt, marked_question_ids: state.marked, completed_at: completed_at ?? null },
    player: state,
    sentAnswerIds: answers.map((a) => a.id),
    completionSent: completed_at !== undefined,
    outcomes: [],
  });
  return { attemptId: attempt.id, answerIds: answers.map((a) => a.id) };
}

export function createE2EHooks(buster: string): RoundsE2EHooks {
  return {
    setActiveBlock,
    queueBlock,
    persistNow: () => flushPersistence(queryClient, buster),
    outboxRequestCount: getOutboxRequestCount,
    waitingAnswers: () => getSyncStatus(queryClient).waiting,
  };
}
