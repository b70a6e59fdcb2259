import type { ReactNode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { queryClient } from '@/lib/query-client';
import { registerQuizMutations } from '@/features/quiz/api/mutations';

// Mutation defaults are registered at module load, before any persisted mutation could be restored
// (STYLE: offline mutations are first-class).
registerQuizMutations(queryClient);

export function AppProviders({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
