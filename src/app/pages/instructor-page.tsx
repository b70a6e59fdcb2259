import { CohortsPanel } from '@/features/instructor/components/cohorts-panel';
import { InstructorOnly } from '@/features/instructor/components/instructor-only';
import { Link } from '@/components/link';

export default function InstructorPage() {
  return (
    <InstructorOnly>
      <div className="stack">
        <div className="row" style={{ justifyContent: 'space-between' }}>
          <h1>Instructor</h1>
          <nav aria-label="Question bank" className="row">
            <Link href="/instructor/questions">Questions</Link>
            <Link href="/instructor/import">Import</Link>
          </nav>
        </div>
        <CohortsPanel />
      </div>
    </InstructorOnly>
  );
}
