/**
 * After the persisted cache is restored: re-queue answers this device gave but never saw confirmed and
 * that are not already waiting in the restored outbox (see unconfirmedAnswers). Idempotent server-side,
 * so a re-sent answer the server already has comes back "duplicate" and changes nothing.
 */
import { MutationObserver, type QueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { allPlayerSessions, unconfirmedAnswers } from '@/features/quiz/model/player-session';
import { quizMutationKeys } from './keys';
import { answerVariables, type AnswerOutcome, type AnswerVariables } from './mutations';

const queued = z.object({ id: z.string() });

export function requeueUnconfirmedAnswers(queryClient: QueryClient): number {
  const pending = new Set(
    queryClient
      .getMutationCache()
      .findAll({ mutationKey: quizMutationKeys.submitAnswer, status: 'pending' })
      .flatMap((m) => {
        const v = queued.safeParse(m.state.variables);
        return v.success ? [v.data.id] : [];
      }),
  );
  let n = 0;
  for (const session of allPlayerSessions(window.localStorage)) {
    for (const answer of unconfirmedAnswers(session)) {
      if (pending.has(answer.id)) continue;
      n++;
      void new MutationObserver<AnswerOutcome, Error, AnswerVariables>(queryClient, { mutationKey: quizMutationKeys.submitAnswer })
        .mutate(answerVariables(answer, session.attempt))
        .catch(() => undefined);
    }
  }
  return n;
}
