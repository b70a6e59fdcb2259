import { InstructorOnly } from '@/features/instructor/components/instructor-only';
import { ActivitySection, StudentsAtRiskSection, TopicAccuracySection } from '@/features/instructor/components/cohort-analytics';
import { WidgetBoundary } from '@/components/error-boundaries';
import { Link } from '@/components/link';

export default function InstructorAnalyticsPage({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  return (
    <InstructorOnly>
      <div className="stack">
        <p>
          <Link href={`/instructor/cohorts/${id}`}>← Cohort</Link>
        </p>
        <h1>Cohort analytics</h1>
        {/* Each section fails on its own: a failing chart must not hide who needs help. */}
        <WidgetBoundary title="Students at risk">
          <StudentsAtRiskSection cohortId={id} />
        </WidgetBoundary>
        <WidgetBoundary title="Accuracy by topic">
          <TopicAccuracySection cohortId={id} />
        </WidgetBoundary>
        <WidgetBoundary title="Weekly activity">
          <ActivitySection cohortId={id} />
        </WidgetBoundary>
      </div>
    </InstructorOnly>
  );
}
