import { queryOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { choiceSchema } from '@/answer-sync/shapes';
import { mediaPaths, questionMediaSchema } from '@/lib/question-media';
import { getMediaUrlsQueryOptions } from '@/lib/question-media-urls';
import { supabase } from '@/lib/supabase';
import { liveKeys } from './keys';

const liveQuestionContentSchema = z.object({
  id: z.number().int(),
  stem: z.string(),
  choices: z.array(z.string()).length(5),
  correct_choice: choiceSchema,
  explanation: z.string(),
  organ_system: z.string(),
  discipline: z.string(),
  media: questionMediaSchema,
});
export type LiveQuestionContent = z.infer<typeof liveQuestionContentSchema>;

/**
 * The stems, choices, keys and explanations of a session's questions (at most 40), read once when a
 * device joins. Keys are readable by every student (decision 002); the screens show them only after the
 * close.
 */
export function getLiveQuestionsQueryOptions(sessionId: string, questionIds: readonly number[]) {
  return queryOptions({
    queryKey: liveKeys.questions(sessionId),
    queryFn: async ({ signal }) => {
      const { data } = await supabase
        .from('questions')
        .select('id, stem, choices, correct_choice, explanation, organ_system, discipline, media')
        .in('id', [...questionIds])
        .abortSignal(signal)
        .throwOnError();
      const rows = z.array(liveQuestionContentSchema).parse(data);
      return new Map(rows.map((q) => [q.id, q]));
    },
    // A session's questions are fixed; an edit during the session shows on the next join.
    staleTime: Infinity,
    meta: { persist: false },
  });
}

/** Signed URLs of every image of the session's questions (one request), for QuestionImages. */
export function getLiveImageUrlsQueryOptions(questions: ReadonlyMap<number, LiveQuestionContent> | undefined) {
  return getMediaUrlsQueryOptions([...(questions?.values() ?? [])].flatMap((q) => mediaPaths(q.media)));
}
