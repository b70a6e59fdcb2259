/**
 * A live session's report as CSV, one line per student (real names, as get_live_report gives them), most
 * correct first. Loaded with a dynamic import only when the instructor clicks "Download CSV", so
 * papaparse stays out of the host screen's first load.
 */
import Papa from 'papaparse';
import type { LiveReport } from './protocol';

/**
 * name, correct, answered, questions (shown), the seconds taken to answer correctly (the podium's
 * tie-break, one decimal), then per shown question `q<n>` (the letter chosen, empty when none) and
 * `q<n>_correct` (yes / no / empty). Cells a spreadsheet would run as a formula are escaped.
 */
export function toLiveReportCsv(report: LiveReport): string {
  const shown = [...report.questions].sort((a, b) => a.position - b.position);
  const fields = ['name', 'correct', 'answered', 'questions', 'correct_seconds', ...shown.flatMap((q) => [`q${q.position + 1}`, `q${q.position + 1}_correct`])];
  const data = report.students.map((s) => {
    const byPosition = new Map(s.answers.map((a) => [a.position, a]));
    return [
      s.name,
      s.correct,
      s.answered,
      shown.length,
      (s.ms / 1000).toFixed(1),
      ...shown.flatMap((q) => {
        const a = byPosition.get(q.position);
        return a ? [a.choice, a.is_correct ? 'yes' : 'no'] : ['', ''];
      }),
    ];
  });
  return Papa.unparse({ fields, data }, { escapeFormulae: true, newline: '\r\n' });
}
