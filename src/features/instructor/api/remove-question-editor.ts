import { supabase } from '@/lib/supabase';

/** Stops an editor from editing the caller's questions (RLS: only the author deletes their rows). */
export async function removeQuestionEditor(editorId: string): Promise<void> {
  const { data: auth } = await supabase.auth.getSession();
  const me = auth.session?.user.id;
  if (!me) throw new Error('Not signed in');
  await supabase.from('question_editors').delete().eq('owner_id', me).eq('editor_id', editorId).throwOnError();
}
