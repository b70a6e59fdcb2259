import { mutationOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { instructorKeys, instructorMutationKeys } from './keys';

/** The server's own check (add_question_editor), so most typos are caught before a round trip. */
export const editorEmailSchema = z
  .string()
  .trim()
  .regex(/^[^@\s]+@[^@\s]+$/, 'Enter an email address, e.g. colleague@school.edu')
  .max(320, 'That email address is too long');

const addedSchema = z.object({ editor_id: z.string().uuid(), display_name: z.string() });
export type AddedEditor = z.infer<typeof addedSchema>;

/**
 * Names the instructor with this email an editor of all the caller's questions (idempotent). The server
 * answers 400 editor_not_found for an address that is not an instructor's (students included), and
 * rate-limits the look-up.
 */
export async function addQuestionEditor(email: string): Promise<AddedEditor> {
  const { data } = await supabase.rpc('add_question_editor', { p_email: editorEmailSchema.parse(email) }).throwOnError();
  return addedSchema.parse(data);
}

/** Naming an editor; the form shows a refusal in the server's words ("No instructor has the email …"). */
export function addQuestionEditorMutationOptions() {
  return mutationOptions({
    mutationKey: instructorMutationKeys.addQuestionEditor,
    mutationFn: addQuestionEditor,
    meta: { errorInline: true, serverWording: true },
    onSuccess: (_editor, _email, _onMutateResult, { client }) => client.invalidateQueries({ queryKey: instructorKeys.questionEditors(), exact: true }),
  });
}
