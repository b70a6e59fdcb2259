import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { instructorKeys } from './keys';

const editorSchema = z.object({ editor_id: z.string().uuid(), display_name: z.string(), added_at: z.string() });

/** The instructors the signed-in author has named as editors of all their questions, oldest first. */
export function getQuestionEditorsQueryOptions() {
  return queryOptions({
    queryKey: instructorKeys.questionEditors(),
    queryFn: async ({ signal }) => {
      const { data } = await supabase.rpc('get_question_editors').abortSignal(signal).throwOnError();
      return z.array(editorSchema).parse(data);
    },
    // Only the author changes this list, from this page, which updates the cache itself.
    staleTime: 5 * 60 * 1000,
  });
}
