/**
 * The cohort results export as CSV. Loaded with a dynamic import only when an instructor clicks
 * "Download CSV", so papaparse never ships in the student bundle.
 */
import Papa from 'papaparse';

/** What the CSV needs of a student's results (the export's rows, api/export-cohort-results.ts, have it). */
interface ResultRow {
  display_name: string;
  email: string;
  joined_at: string;
  answered: number;
  correct: number;
  accuracy: number | null;
  by_system: Record<string, { answered: number; correct: number; accuracy: number }>;
}

/**
 * One line per student: totals, then answered/correct/accuracy for each organ system anyone answered
 * (columns sorted by name, empty where a student has not answered that system). Accuracy is a percentage
 * with one decimal. Cells that a spreadsheet would run as a formula (=, +, -, @) are escaped.
 */
export function toResultsCsv(results: readonly ResultRow[]): string {
  const systems = [...new Set(results.flatMap((r) => Object.keys(r.by_system)))].sort();
  const pct = (share: number | null | undefined) => (share === null || share === undefined ? '' : (share * 100).toFixed(1));
  const fields = [
    'name',
    'email',
    'joined_at',
    'answered',
    'correct',
    'accuracy_pct',
    ...systems.flatMap((s) => [`${s}_answered`, `${s}_correct`, `${s}_accuracy_pct`]),
  ];
  const data = results.map((r) => [
    r.display_name,
    r.email,
    r.joined_at,
    r.answered,
    r.correct,
    pct(r.accuracy),
    ...systems.flatMap((s) => {
      const cell = r.by_system[s];
      return cell ? [cell.answered, cell.correct, pct(cell.accuracy)] : ['', '', ''];
    }),
  ]);
  return Papa.unparse({ fields, data }, { escapeFormulae: true, newline: '\r\n' });
}
