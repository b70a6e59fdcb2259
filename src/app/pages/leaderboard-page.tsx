import { LeaderboardScreen } from '@/features/leaderboard/components/leaderboard-screen';
import { ExportResultsButton } from '@/features/instructor/components/export-results-button';
import { useLocation } from '@/lib/router';

export default function LeaderboardPage() {
  const location = useLocation();
  // `?cohort=<id>` opens that cohort's board (the instructor's cohort page links here).
  const cohortId = new URLSearchParams(location.split('?')[1] ?? '').get('cohort') ?? undefined;
  return (
    <div className="stack">
      <h1>Leaderboard</h1>
      <LeaderboardScreen
        key={cohortId}
        initialCohortId={cohortId}
        renderActions={(cohort) => (cohort.isInstructor ? <ExportResultsButton cohortId={cohort.id} cohortName={cohort.name} /> : null)}
      />
    </div>
  );
}
