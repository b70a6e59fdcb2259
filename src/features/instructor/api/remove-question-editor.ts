import { mutationOptions } from '@tanstack/react-query';
import { supabase } from '@/lib/supabase';
import { getQuestionEditorsQueryOptions } from './get-question-editors';
import { instructorKeys, instructorMutationKeys } from './keys';

/** Stops an editor from editing the caller's questions (RLS: only the author deletes their rows). */
export async function removeQuestionEditor(editorId: string): Promise<void> {
  const { data: auth } = await supabase.auth.getSession();
  const me = auth.session?.user.id;
  if (!me) throw new Error('Not signed in');
  await supabase.from('question_editors').delete().eq('owner_id', me).eq('editor_id', editorId).throwOnError();
}

/** Removing an editor (the variable is their id): gone from the list at once, then the list refetches. */
export function removeQuestionEditorMutationOptions() {
  return mutationOptions({
    mutationKey: instructorMutationKeys.removeQuestionEditor,
    mutationFn: removeQuestionEditor,
    meta: { errorMessage: 'The editor was not removed.' },
    onSuccess: async (_data, editorId, _onMutateResult, { client }) => {
      client.setQueryData(getQuestionEditorsQueryOptions().queryKey, (old) => old?.filter((e) => e.editor_id !== editorId));
      await client.invalidateQueries({ queryKey: instructorKeys.questionEditors(), exact: true });
    },
  });
}
