/**
 * What the results page makes of get_assignment_results: counts by status (and overdue: not done by the
 * due date), each student's score, the score distribution in bins of 10 %, and the order of the student
 * table. The server judges status, lateness and which sitting counts; this only arranges its answer.
 */
import { compareText } from '@/lib/format';
import { isOverdue, type AssignmentStatus as StudentStatus } from '@/lib/assignment-plan';

/** What these helpers need of a student's result (the RPC's students[] has it). */
export interface StudentResult {
  display_name: string;
  status: StudentStatus;
  answered: number;
  correct: number;
  late: number;
  sittings: number;
  started_at: string | null;
  completed_at: string | null;
}

/** A finished student's score: correct of all the assignment's questions (unanswered ones count as wrong). */
export const scoreShare = (correct: number, total: number) => (total === 0 ? 0 : correct / total);

export type StatusCounts = Record<StudentStatus | 'overdue', number>;

export function statusCounts(students: readonly Pick<StudentResult, 'status'>[], dueAt: Date, now: Date): StatusCounts {
  const counts: StatusCounts = { not_started: 0, in_progress: 0, done: 0, late: 0, overdue: 0 };
  for (const s of students) {
    counts[s.status] += 1;
    if (isOverdue(s.status, dueAt, now)) counts.overdue += 1;
  }
  return counts;
}

export interface HistogramBin {
  /** Lowest score in the bin, in percent (0, 10, … 90). */
  from: number;
  /** Highest, inclusive: 9, 19, … 89, and 100 for the last bin. */
  to: number;
  label: string;
  count: number;
}

/**
 * Finished students (done or late) by score in ten bins of 10 %: 0–9 %, 10–19 %, … 90–100 % (a full
 * score is in the last bin). The bin is computed from the integers, so 7 of 10 is 70 %, never 69.99….
 */
export function scoreHistogram(students: readonly Pick<StudentResult, 'status' | 'correct'>[], total: number): HistogramBin[] {
  const bins: HistogramBin[] = Array.from({ length: 10 }, (_, i) => ({
    from: i * 10,
    to: i === 9 ? 100 : i * 10 + 9,
    label: i === 9 ? '90–100 %' : `${i * 10}–${i * 10 + 9} %`,
    count: 0,
  }));
  if (total <= 0) return bins;
  for (const s of students) {
    if (s.status !== 'done' && s.status !== 'late') continue;
    const index = Math.min(9, Math.max(0, Math.floor((10 * s.correct) / total)));
    const bin = bins[index];
    if (bin) bin.count += 1;
  }
  return bins;
}

export type StudentSortKey = 'display_name' | 'status' | 'score' | 'late' | 'sittings';

/** Most in need of a look first: not started, in progress, late, done (overdue is all the unfinished alike). */
const STATUS_ORDER: Record<StudentStatus, number> = { not_started: 1, in_progress: 2, late: 3, done: 4 };

/**
 * The student table's order. By status (the default): not started, in progress, late, done, by name within
 * each. Other keys: ascending or descending, ties by name.
 */
export function sortStudents<S extends StudentResult>(
  students: readonly S[],
  key: StudentSortKey,
  dir: 'ascending' | 'descending',
  total: number,
): S[] {
  const value = (s: S): number | string => {
    switch (key) {
      case 'display_name':
        return s.display_name.toLowerCase();
      case 'status':
        return STATUS_ORDER[s.status];
      case 'score':
        return s.status === 'done' || s.status === 'late' ? scoreShare(s.correct, total) : -1;
      case 'late':
        return s.late;
      case 'sittings':
        return s.sittings;
    }
  };
  const sign = dir === 'ascending' ? 1 : -1;
  return [...students].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const primary = x < y ? -1 : x > y ? 1 : 0;
    return sign * primary || compareText(a.display_name, b.display_name);
  });
}
