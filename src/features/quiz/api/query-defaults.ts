/**
 * Options of quiz queries that must hold however the query is created. `setQueryData` builds a missing
 * query from the client's defaults for its key, not from its queryOptions: the bank written by the
 * offline download (offline-bank.tsx) must be kept out of the persisted cache as much as the fetched one.
 */
import type { QueryClient } from '@tanstack/react-query';
import { quizKeys } from './keys';

/** Registers the quiz's query defaults on the client (once, at start). */
export function registerQuizQueryDefaults(queryClient: QueryClient): void {
  // The bank is the largest object the app holds and has its own offline copy (get-bank.ts): persisting
  // it with the cache would rewrite megabytes on every change of anything else.
  queryClient.setQueryDefaults(quizKeys.bank(), { meta: { persist: false } });
  // The answer log grows with every answer (20,000 in a year of study): it has its own stored copy
  // (answer-log-store.ts), written only when it changes.
  queryClient.setQueryDefaults(quizKeys.history(), { meta: { persist: false } });
}
