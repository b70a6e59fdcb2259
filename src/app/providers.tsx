import type { ReactNode } from 'react';
import { PersistQueryClientProvider } from '@tanstack/react-query-persist-client';
import { queryClient } from '@/lib/query-client';
import { createPersister, dehydrateOptions, flushPersistence, PERSIST_MAX_AGE_MS, type PersistConfig } from '@/lib/persist';
import { registerAnswerSync } from '@/answer-sync/mutations';
import { installOutboxTriggers } from '@/answer-sync/outbox';
import { answerSyncOutbox } from '@/answer-sync/queue';
import { requeueUnconfirmedAnswers } from '@/answer-sync/reconcile';
import { progressKeys } from '@/features/progress/api/keys';
import { quizKeys } from '@/features/quiz/api/keys';
import { registerQuizQueryDefaults } from '@/features/quiz/api/query-defaults';
import { forgetAnswerLog } from '@/features/quiz/api/answer-log-store';
import { supabase } from '@/lib/supabase';

// Mutation defaults are registered at module load, before the persisted cache (and the answer outbox in
// it) is restored: a restored mutation without its default mutationFn could never be resumed.
registerAnswerSync(queryClient, {
  onBlockCreated: () => queryClient.invalidateQueries({ queryKey: quizKeys.attempts() }),
  onBlockCompleted: () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: quizKeys.attempts() }),
      queryClient.invalidateQueries({ queryKey: quizKeys.history() }),
      // Home's dashboard counts completed blocks.
      queryClient.invalidateQueries({ queryKey: progressKeys.all }),
      // An assignment's status and result change when one of its blocks ends.
      queryClient.invalidateQueries({ queryKey: quizKeys.assignments() }),
    ]),
});
registerQuizQueryDefaults(queryClient);
installOutboxTriggers(queryClient);
// The answer log's stored copy goes with the student (the query cache is cleared by useSession).
supabase.auth.onAuthStateChange((event) => {
  if (event === 'SIGNED_OUT') void forgetAnswerLog();
});

// A new build may change the shape of cached data: its id busts the persisted queries. The outbox's
// pending mutations survive a new build and a long absence (keepOutbox in lib/persist).
const persistConfig: PersistConfig = { buster: __BUILD_ID__, outbox: answerSyncOutbox };
const persistOptions = {
  persister: createPersister(persistConfig),
  maxAge: PERSIST_MAX_AGE_MS,
  buster: persistConfig.buster,
  dehydrateOptions: dehydrateOptions(persistConfig.outbox),
};

// Write the cache (and so the outbox) at once when the page is hidden or closed, not 100 ms later.
const flush = () => void flushPersistence(queryClient, persistConfig);
window.addEventListener('pagehide', flush);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') flush();
});

export function AppProviders({ children }: { children: ReactNode }) {
  return (
    <PersistQueryClientProvider
      client={queryClient}
      persistOptions={persistOptions}
      onSuccess={() => {
        // Restored answers and block updates resume (not awaited: offline they stay paused until the
        // network returns); answers this device gave but never saw confirmed — the app may have been
        // killed before the outbox reached storage — are queued again.
        void queryClient.resumePausedMutations();
        requeueUnconfirmedAnswers(queryClient);
        void queryClient.invalidateQueries();
      }}
    >
      {children}
    </PersistQueryClientProvider>
  );
}
