import { AssignmentResultsView } from '@/features/instructor/components/assignment-results';
import { InstructorOnly } from '@/features/instructor/components/instructor-only';

export default function InstructorAssignmentPage({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  return (
    <InstructorOnly>
      <AssignmentResultsView key={id} assignmentId={id} />
    </InstructorOnly>
  );
}
