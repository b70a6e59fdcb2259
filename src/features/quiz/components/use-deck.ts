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
import type { CardDeck, Deck } from '@/features/quiz/model/cards/deck';
import type { HistoryAnswer } from '@/features/quiz/api/history';

/**
 * The replay (ts-fsrs and the cards model) and the block ledgers it reads for unsynced answers load after
 * the page's first paint, not with it: on home they were most of what spaced review added to the first
 * paint's main-thread work.
 */
let deck: Promise<Deck> | undefined;
const loadDeck = () => (deck ??= import('@/features/quiz/model/cards/deck').then((m) => m.createDeck()));
const loadLogTools = () => Promise.all([import('@/features/quiz/model/player-session'), import('@/features/quiz/model/review-log')]);
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
    const controller = new AbortController();
    const build = async (answers: readonly HistoryAnswer[]) => {
      const [[{ localHistory }, { reviewLog }], cards] = await Promise.all([loadLogTools(), loadDeck()]);
      controller.signal.throwIfAborted();
      const questions = cachedQuestions(queryClient);
      const device = localHistory(window.localStorage, (id) => questions.get(id)).answers;
      const { log, kindOf } = reviewLog(answers, device);
      return cards.updateInSlices(log, { kindOf, retention }, { signal: controller.signal, budgetMs: SLICE_MS });
    };
    build(serverAnswers).then(
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
