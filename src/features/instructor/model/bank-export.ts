/**
 * The one entry the question list loads, on use, to export: stored rows and their images' bytes → a
 * Moodle XML file (images embedded as base64 <file>s) or a QTI 2.1 package (images as files beside the
 * items, referenced by <img>), with its file name and type.
 */
import { fieldsOfRow, type QuestionRow } from '@/features/instructor/model/question';
import { toMoodleXml, type ExportQuestion } from '@/features/instructor/model/moodle-xml';
import { toQtiPackage } from '@/features/instructor/model/qti';
import { exportMedia } from '@/features/instructor/model/bank-images';

export interface ExportedFile {
  blob: Blob;
  fileName: string;
}

/**
 * `files` holds the bytes of every image's widest variant (`exportVariant`), by object path; a path it
 * lacks is a bug of the caller, not something to export silently without.
 */
export async function exportQuestionsFile(format: 'moodle' | 'qti', rows: QuestionRow[], files: ReadonlyMap<string, Uint8Array>): Promise<ExportedFile> {
  const bytesOf = (path: string) => {
    const bytes = files.get(path);
    if (!bytes) throw new Error(`The image ${path} was not downloaded.`);
    return bytes;
  };
  const questions: ExportQuestion[] = rows.map((row) => ({ id: row.id, ...fieldsOfRow(row), media: exportMedia(row.media, bytesOf) }));
  const date = new Date().toISOString().slice(0, 10);
  if (format === 'moodle') {
    return { blob: new Blob([toMoodleXml(questions)], { type: 'application/xml;charset=utf-8' }), fileName: `rounds-questions-${date}.xml` };
  }
  const zip = await toQtiPackage(questions);
  return { blob: new Blob([new Uint8Array(zip)], { type: 'application/zip' }), fileName: `rounds-questions-qti21-${date}.zip` };
}
