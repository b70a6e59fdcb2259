import { quizKeys } from '@/features/quiz/api/keys';
import { JoinCohortForm } from '@/features/account/components/join-cohort-form';
import { MyCohorts } from '@/features/account/components/my-cohorts';
import { ProfileSettings } from '@/features/account/components/profile-settings';
import { leaderboardKeys } from '@/features/leaderboard/api/keys';
import { liveKeys } from '@/features/live/api/keys';
import { progressKeys } from '@/features/progress/api/keys';
import { WidgetBoundary } from '@/components/error-boundaries';

export default function SettingsPage() {
  return (
    <div className="stack">
      <h1>Settings</h1>
      <div className="card">
        <WidgetBoundary title="Your profile">
          <ProfileSettings />
        </WidgetBoundary>
      </div>
      <div className="card stack">
        {/* Membership changes the cohorts (and percentiles) on the home dashboard, and which boards the
            leaderboard offers (its cohort list is otherwise cached for minutes), and whose live sessions the
            join banner listens for. */}
        <JoinCohortForm alsoInvalidates={[progressKeys.all, leaderboardKeys.all, quizKeys.assignments(), liveKeys.all]} />
        <WidgetBoundary title="Your cohorts">
          <MyCohorts />
        </WidgetBoundary>
      </div>
    </div>
  );
}
