import { mutationOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { fetchAllRows } from '@/lib/paging';
import { MEDIA_BUCKET } from '@/lib/question-media';
import { QUESTION_COLUMNS, questionRowSchema, type QuestionRow } from '@/features/instructor/model/question';
import { exportVariant } from '@/features/instructor/model/bank-images';
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

/** Images downloaded at once: enough to keep the link busy, few enough not to hold many in flight. */
const PARALLEL = 4;

/**
 * The bytes of every image's widest variant (the one an export embeds), by object path, downloaded with
 * the user's session through the bucket's policies (decision 025).
 */
export async function downloadExportImages(rows: readonly QuestionRow[]): Promise<Map<string, Uint8Array>> {
  const wanted = rows.flatMap((row) => row.media.flatMap((m) => exportVariant(m)?.path ?? []));
  const files = new Map<string, Uint8Array>();
  for (let i = 0; i < wanted.length; i += PARALLEL) {
    await Promise.all(
      wanted.slice(i, i + PARALLEL).map(async (path) => {
        // A failed download fails the export (offline, 403…): never a file silently without an image.
        const { data, error } = await supabase.storage.from(MEDIA_BUCKET).download(path);
        if (error) throw error;
        files.set(path, new Uint8Array(await data.arrayBuffer()));
      }),
    );
  }
  return files;
}

/**
 * Exporting the instructor's own questions as Moodle XML or a QTI 2.1 package (the caller offers the
 * file as a download), images included (the widest width of each, downloaded from Storage). Read fresh
 * rather than from the list (a minute old). The exporters load here, on use.
 */
export function exportQuestionsMutationOptions() {
  return mutationOptions({
    mutationKey: instructorMutationKeys.exportQuestions,
    mutationFn: async (format: QuestionExportFormat) => {
      const [rows, { exportQuestionsFile }] = await Promise.all([getOwnQuestions(), import('@/features/instructor/model/bank-export')]);
      return exportQuestionsFile(format, rows, await downloadExportImages(rows));
    },
    meta: { errorMessage: 'The questions and their images could not be exported.' },
  });
}
