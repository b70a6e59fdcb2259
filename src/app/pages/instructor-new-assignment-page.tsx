import { NewAssignment } from '@/features/instructor/components/assignment-form';
import { InstructorOnly } from '@/features/instructor/components/instructor-only';

export default function InstructorNewAssignmentPage({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  return (
    <InstructorOnly>
      <NewAssignment key={id} cohortId={id} />
    </InstructorOnly>
  );
}
