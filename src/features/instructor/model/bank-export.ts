/**
 * The one entry the question list loads, on use, to export: stored rows → a Moodle XML file or a QTI 2.1
 * package, with its file name and type.
 */
import { fieldsOfRow, type QuestionRow } from '@/features/instructor/model/question';
import { toMoodleXml, type ExportQuestion } from '@/features/instructor/model/moodle-xml';
import { toQtiPackage } from '@/features/instructor/model/qti';

export interface ExportedFile {
  blob: Blob;
  fileName: string;
}

export async function exportQuestionsFile(format: 'moodle' | 'qti', rows: QuestionRow[]): Promise<ExportedFile> {
  const questions: ExportQuestion[] = rows.map((row) => ({ id: row.id, ...fieldsOfRow(row) }));
  const date = new Date().toISOString().slice(0, 10);
  if (format === 'moodle') {
    return { blob: new Blob([toMoodleXml(questions)], { type: 'application/xml;charset=utf-8' }), fileName: `rounds-questions-${date}.xml` };
  }
  const zip = await toQtiPackage(questions);
  return { blob: new Blob([new Uint8Array(zip)], { type: 'application/zip' }), fileName: `rounds-questions-qti21-${date}.zip` };
}
