import { CohortDetail } from '@/features/instructor/components/cohort-detail';
import { InstructorOnly } from '@/features/instructor/components/instructor-only';

export default function InstructorCohortPage({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  return (
    <InstructorOnly>
      <CohortDetail key={id} cohortId={id} />
    </InstructorOnly>
  );
}
