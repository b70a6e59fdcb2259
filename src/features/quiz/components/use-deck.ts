/**
 * The student's spaced-review deck on this device: the history query (the server's answers, persisted
 * for offline use) plus this device's unsynced answers, replayed into cards (model/cards). One memoising
 * deck per page load: coming back to home after a review recomputes only the cards that moved, and the
 * first build runs in slices of a few milliseconds, so a long history never blocks the page.
 */
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { cachedQuestions } from '@/features/quiz/api/get-block-questions';
import { getHistoryQueryOptions } from '@/features/quiz/api/get-history';
import { createDeck, type CardDeck } from '@/features/quiz/model/cards/deck';
import { localHistory } from '@/features/quiz/model/player-session';
import { reviewLog } from '@/features/quiz/model/review-log';

const deck = createDeck();

/** The deck once built, or why it could not be (shown by the widget that needs it, in its boundary). */
export type DeckState = { status: 'pending' } | { status: 'ready'; deck: CardDeck } | { status: 'error'; error: unknown };

/**
 * `retention` undefined: not known yet (the profile is loading) — nothing is built until it is, so the
 * deck is not built twice on the way in.
 */
export function useDeck(retention: number | undefined): DeckState {
  const queryClient = useQueryClient();
  const history = useQuery(getHistoryQueryOptions());
  const [state, setState] = useState<DeckState>({ status: 'pending' });
  const serverAnswers = history.data?.answers;
  const historyError = history.data === undefined && history.isError ? history.error : undefined;

  useEffect(() => {
    if (serverAnswers === undefined || retention === undefined) return;
    const questions = cachedQuestions(queryClient);
    const device = localHistory(window.localStorage, (id) => questions.get(id)).answers;
    const { log, kindOf } = reviewLog(serverAnswers, device);
    const controller = new AbortController();
    deck.updateInSlices(log, { kindOf, retention }, { signal: controller.signal }).then(
      (built) => setState({ status: 'ready', deck: built }),
      (error: unknown) => {
        // Aborted: a newer history or retention took over, or the page was left.
        if (!controller.signal.aborted) setState({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [serverAnswers, retention, queryClient]);

  if (state.status === 'pending' && historyError !== undefined) return { status: 'error', error: historyError };
  return state;
}
