import { AssignmentScreen } from '@/features/quiz/components/assignment-screen';

export default function AssignmentPage({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  return <AssignmentScreen key={id} assignmentId={id} />;
}
