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
/**
 * Work per task, ms. Measured on the project machine under Lighthouse's mobile preset (4× CPU): 8 ms
 * slices overshot to 13–25 ms, 50–100 ms once simulated, each a long task on home with 20,000 answers.
 */
const SLICE_MS = 4;

/** The deck once built, or why it could not be (shown by the widget that needs it, in its boundary). */
export type DeckState = { status: 'pending' } | { status: 'ready'; deck: CardDeck } | { status: 'error'; error: unknown };

export function useDeck(retention: number): DeckState {
  const queryClient = useQueryClient();
  const history = useQuery(getHistoryQueryOptions());
  const [state, setState] = useState<DeckState>({ status: 'pending' });
  const serverAnswers = history.data?.answers;
  const historyError = history.data === undefined && history.isError ? history.error : undefined;

  useEffect(() => {
    if (serverAnswers === undefined) return;
    const questions = cachedQuestions(queryClient);
    const device = localHistory(window.localStorage, (id) => questions.get(id)).answers;
    const { log, kindOf } = reviewLog(serverAnswers, device);
    const controller = new AbortController();
    deck.updateInSlices(log, { kindOf, retention }, { signal: controller.signal, budgetMs: SLICE_MS }).then(
      // The same Map when no card changed (deck.ts): nothing to render again.
      (built) => setState((current) => (current.status === 'ready' && current.deck === built ? current : { status: 'ready', deck: built })),
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
