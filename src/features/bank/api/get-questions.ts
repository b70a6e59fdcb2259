import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';

export interface QuestionListFilters {
  limit: number;
}

/** Query keys of the question bank, general to specific, so invalidation can target any level. */
export const bankKeys = {
  all: ['bank'] as const,
  questions: () => [...bankKeys.all, 'questions'] as const,
  questionList: (filters: QuestionListFilters) => [...bankKeys.questions(), 'list', filters] as const,
};

const questionSummarySchema = z.object({
  id: z.number().int(),
  stem: z.string(),
  organ_system: z.string(),
  discipline: z.string(),
  difficulty: z.number().int().min(1).max(5),
});

export type QuestionSummary = z.infer<typeof questionSummarySchema>;

/** The first `limit` published questions by id: enough of each to list and pick one. */
export function getQuestionsQueryOptions(filters: QuestionListFilters) {
  return queryOptions({
    queryKey: bankKeys.questionList(filters),
    queryFn: async ({ signal }) => {
      const { data } = await supabase
        .from('questions')
        .select('id, stem, organ_system, discipline, difficulty')
        // RLS already hides drafts from students; the filter keeps instructors' lists to what students see.
        .eq('published', true)
        .order('id', { ascending: true })
        .limit(filters.limit)
        .abortSignal(signal)
        .throwOnError();
      return z.array(questionSummarySchema).parse(data);
    },
    // Questions change only when an instructor publishes a new version; an hour keeps the list from
    // refetching on every focus while a new version still shows up the same session.
    staleTime: 60 * 60 * 1000,
  });
}
