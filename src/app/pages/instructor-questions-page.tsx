import { InstructorOnly } from '@/features/instructor/components/instructor-only';
import { QuestionList } from '@/features/instructor/components/question-list';

export default function InstructorQuestionsPage() {
  return (
    <InstructorOnly>
      <div className="stack">
        <h1>Questions</h1>
        <QuestionList />
      </div>
    </InstructorOnly>
  );
}
