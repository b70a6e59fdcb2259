/**
 * An assignment's results as CSV, one line per student. Loaded with a dynamic import only when the
 * instructor clicks "Download CSV", so papaparse stays out of every page's first load (as results-csv.ts).
 */
import Papa from 'papaparse';
import { isOverdue } from '@/lib/assignment-plan';
import { scoreShare, type StudentResult } from './assignment-results';

/**
 * Name, status (as the server judged it), whether overdue, answered/correct of `total`, score (percent,
 * one decimal, finished students only), late answers, sittings, and when the result sitting started and
 * ended (UTC ISO). Cells a spreadsheet would run as a formula (=, +, -, @) are escaped.
 */
export function toAssignmentCsv(students: readonly StudentResult[], context: { total: number; dueAt: Date; now: Date }): string {
  const fields = ['name', 'status', 'overdue', 'answered', 'correct', 'questions', 'score_pct', 'late_answers', 'sittings', 'started_at', 'completed_at'];
  const data = students.map((s) => [
    s.display_name,
    s.status,
    isOverdue(s.status, context.dueAt, context.now) ? 'yes' : 'no',
    s.answered,
    s.correct,
    context.total,
    s.status === 'done' || s.status === 'late' ? (scoreShare(s.correct, context.total) * 100).toFixed(1) : '',
    s.late,
    s.sittings,
    s.started_at ?? '',
    s.completed_at ?? '',
  ]);
  return Papa.unparse({ fields, data }, { escapeFormulae: true, newline: '\r\n' });
}
