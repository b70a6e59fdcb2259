import { mutationOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { fetchAllRows } from '@/lib/paging';
import { QUESTION_COLUMNS, questionRowSchema, type QuestionRow } from '@/features/instructor/model/question';
import { instructorMutationKeys } from './keys';

export type QuestionExportFormat = 'moodle' | 'qti';

/** The caller's own questions (drafts included), oldest first: what "export my questions" exports. */
export async function getOwnQuestions(): Promise<QuestionRow[]> {
  const { data: auth } = await supabase.auth.getSession();
  const me = auth.session?.user.id;
  if (!me) throw new Error('Not signed in');
  const rows = await fetchAllRows((from, to) =>
    supabase.from('questions').select(QUESTION_COLUMNS).eq('created_by', me).order('id', { ascending: true }).range(from, to).throwOnError(),
  );
  return z.array(questionRowSchema).parse(rows);
}

/**
 * Exporting the instructor's own questions as Moodle XML or a QTI 2.1 package (the caller offers the
 * file as a download). Read fresh rather than from the list (a minute old), and text only until
 * questions carry images (the exporters take media already). The exporters load here, on use.
 */
export function exportQuestionsMutationOptions() {
  return mutationOptions({
    mutationKey: instructorMutationKeys.exportQuestions,
    mutationFn: async (format: QuestionExportFormat) => {
      const [rows, { exportQuestionsFile }] = await Promise.all([getOwnQuestions(), import('@/features/instructor/model/bank-export')]);
      return exportQuestionsFile(format, rows);
    },
    meta: { errorMessage: 'The questions could not be exported.' },
  });
}
