import { InstructorOnly } from '@/features/instructor/components/instructor-only';
import { QuestionEditor } from '@/features/instructor/components/question-editor';

export default function InstructorQuestionPage({ params }: { params: Record<string, string> }) {
  const raw = params.id ?? '';
  const id = raw === 'new' ? 'new' : Number(raw);
  return (
    <InstructorOnly>
      {id !== 'new' && !Number.isInteger(id) ? (
        <p>There is no question “{raw}”.</p>
      ) : (
        // key: moving from "new" to the created question's page (or between questions) starts a fresh form.
        <QuestionEditor key={raw} id={id} />
      )}
    </InstructorOnly>
  );
}
