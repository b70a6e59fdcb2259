import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { QUESTION_COLUMNS, questionRowSchema } from '@/features/instructor/model/question';
import { fetchAllRows } from '@/lib/paging';
import { instructorKeys } from './keys';

/**
 * The questions the instructor can read, newest first: every published one, and the drafts of the
 * instructor and of authors who named them an editor (RLS: drafts are their author's and editors').
 */
export function getQuestionsQueryOptions() {
  return queryOptions({
    queryKey: instructorKeys.questions(),
    queryFn: async ({ signal }) => {
      const rows = await fetchAllRows((from, to) =>
        supabase.from('questions').select(QUESTION_COLUMNS).order('id', { ascending: false }).range(from, to).abortSignal(signal).throwOnError(),
      );
      return z.array(questionRowSchema).parse(rows);
    },
    // Editors change an author's questions too, but a list a minute old is fine: saving is guarded by
    // versions, not by how fresh this list is.
    staleTime: 60 * 1000,
  });
}

/** One question, for the editor. */
export function getQuestionQueryOptions(id: number) {
  return queryOptions({
    queryKey: instructorKeys.question(id),
    queryFn: async ({ signal }) => {
      const { data } = await supabase.from('questions').select(QUESTION_COLUMNS).eq('id', id).abortSignal(signal).maybeSingle().throwOnError();
      return questionRowSchema.nullable().parse(data);
    },
    // The editor keeps the version it loaded; a stale copy is caught by the 409 on save, so do not
    // refetch under the instructor's hands (a refetch would not change the form anyway).
    staleTime: Infinity,
    // …but never from a stored copy: with staleTime Infinity a persisted version would be the editor's
    // base after every reload (a save made just before it, or another editor's since, not shown). Each
    // opening of the editor reads the question; editing needs the network anyway.
    meta: { persist: false },
  });
}
