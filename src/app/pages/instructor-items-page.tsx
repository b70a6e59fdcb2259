import { InstructorOnly } from '@/features/instructor/components/instructor-only';
import { ItemStatisticsTable, SystemAccuracyTable } from '@/features/instructor/components/item-statistics';
import { WidgetBoundary } from '@/components/error-boundaries';
import { Link } from '@/components/link';

export default function InstructorItemsPage({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  return (
    <InstructorOnly>
      <div className="stack">
        <p>
          <Link href={`/instructor/cohorts/${id}`}>← Cohort</Link>
        </p>
        <h1>Item statistics</h1>
        {/* Each table fails on its own: a failing pivot must not hide the item analysis. */}
        <WidgetBoundary title="Item statistics">
          <ItemStatisticsTable cohortId={id} />
        </WidgetBoundary>
        <WidgetBoundary title="Accuracy by organ system">
          <SystemAccuracyTable cohortId={id} />
        </WidgetBoundary>
      </div>
    </InstructorOnly>
  );
}
