import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { instructorKeys } from './keys';

const authorSchema = z.object({
  author_id: z.string().uuid(),
  display_name: z.string(),
  can_edit: z.boolean(),
  is_me: z.boolean(),
});

/**
 * Who wrote the questions the instructor can read, and whether the instructor may edit each author's
 * questions (their own, or an author who named them an editor). Only a hint for the UI: the server
 * refuses any edit by someone else with 403 not_question_editor.
 */
export function getQuestionAuthorsQueryOptions() {
  return queryOptions({
    queryKey: instructorKeys.questionAuthors(),
    queryFn: async ({ signal }) => {
      const { data } = await supabase.rpc('get_question_authors').abortSignal(signal).throwOnError();
      return z.array(authorSchema).parse(data);
    },
    // Being named or removed as an editor is rare; a minute-old answer only shows a control the server
    // would refuse (the refusal refreshes this list), or hides one for a minute.
    staleTime: 60 * 1000,
  });
}
