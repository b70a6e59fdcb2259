import type { Assignment } from '@/features/instructor/api/get-assignments';
import { sectionCount } from '@/features/instructor/model/assignment-draft';
import { plural } from '@/lib/format';

/** "Tutor", "Timed · 60 min", "Exam · 3 sections of 40, 60 min each, 45 min break pool". */
export function describeMode(a: Pick<Assignment, 'mode' | 'question_ids' | 'time_limit_seconds' | 'section_size' | 'section_seconds' | 'break_seconds'>): string {
  switch (a.mode) {
    case 'tutor':
      return 'Tutor';
    case 'timed':
      return `Timed · ${Math.round((a.time_limit_seconds ?? 0) / 60)} min`;
    case 'exam': {
      const size = a.section_size ?? 40;
      const sections = sectionCount(a.question_ids.length, size);
      return `Exam · ${plural(sections, 'section', 'sections')} of up to ${size}, ${Math.round((a.section_seconds ?? 0) / 60)} min each, ${Math.round((a.break_seconds ?? 0) / 60)} min break pool`;
    }
  }
}
