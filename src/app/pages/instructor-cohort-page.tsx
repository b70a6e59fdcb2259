import { CohortDetail } from '@/features/instructor/components/cohort-detail';
import { InstructorOnly } from '@/features/instructor/components/instructor-only';
import { useLocation } from '@/lib/router';

export default function InstructorCohortPage({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  // `?student=<id>`: the analytics page's link to one student's row on the roster.
  const location = useLocation();
  const student = new URLSearchParams(location.split('?')[1] ?? '').get('student');
  return (
    <InstructorOnly>
      <CohortDetail key={id} cohortId={id} focusStudentId={student} />
    </InstructorOnly>
  );
}
