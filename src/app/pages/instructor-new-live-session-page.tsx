import { InstructorOnly } from '@/features/instructor/components/instructor-only';
import { NewLiveSession } from '@/features/instructor/components/live-session-form';

export default function InstructorNewLiveSessionPage({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  return (
    <InstructorOnly>
      <NewLiveSession key={id} cohortId={id} />
    </InstructorOnly>
  );
}
