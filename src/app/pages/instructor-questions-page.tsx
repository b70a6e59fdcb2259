import { InstructorOnly } from '@/features/instructor/components/instructor-only';
import { QuestionEditorsPanel } from '@/features/instructor/components/question-editors-panel';
import { QuestionList } from '@/features/instructor/components/question-list';

export default function InstructorQuestionsPage() {
  return (
    <InstructorOnly>
      <div className="stack">
        <h1>Questions</h1>
        <QuestionList />
        <QuestionEditorsPanel />
      </div>
    </InstructorOnly>
  );
}
