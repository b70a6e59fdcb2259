import './leaderboard.css';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { getLeaderboardCohortsQueryOptions, type LeaderboardCohort } from '@/features/leaderboard/api/get-leaderboard-cohorts';
import { leaderboardKeys, type LeaderboardPeriod } from '@/features/leaderboard/api/keys';
import { coalescedRefresh, type BoardRefresh } from '@/features/leaderboard/model/board-refresh';
import { LeaderboardList } from '@/features/leaderboard/components/leaderboard-list';
import { MyPosition } from '@/features/leaderboard/components/my-position';
import { PERIODS, PeriodTabs } from '@/features/leaderboard/components/period-tabs';
import { WidgetBoundary } from '@/components/error-boundaries';
import { useAfterIdle, useOnline } from '@/lib/live-updates';
import { useTopic, type TopicStatus } from '@/lib/realtime';

/**
 * The leaderboards of the cohorts the caller belongs to or runs: a cohort picker, period tabs, the
 * virtualised board and (for students) their own pinned row. `renderActions` lets the app add
 * instructor-only actions (the CSV export) without this feature knowing about them.
 */
export function LeaderboardScreen({
  initialCohortId,
  renderActions,
}: {
  initialCohortId?: string | undefined;
  renderActions?: (cohort: LeaderboardCohort) => ReactNode;
}) {
  const cohorts = useQuery({ ...getLeaderboardCohortsQueryOptions(), throwOnError: (_e, q) => q.state.data === undefined });
  const [picked, setPicked] = useState(initialCohortId);
  const [period, setPeriod] = useState<LeaderboardPeriod>('week');
  const selectId = useId();
  const panelId = useId();
  const tabPrefix = useId();
  const headingId = useId();

  if (cohorts.data === undefined) {
    return (
      <p role="status" className="muted">
        Loading your cohorts…
      </p>
    );
  }
  if (cohorts.data.length === 0) {
    return <p className="muted">You're not in a cohort yet. Join one with your instructor's code in Settings to see its leaderboard.</p>;
  }
  const cohort = cohorts.data.find((c) => c.id === picked) ?? cohorts.data[0];
  if (!cohort) return null;
  const periodLabel = PERIODS.find((p) => p.id === period)?.label ?? '';

  return (
    <div className="stack">
      <div className="row board-toolbar">
        <div className="field">
          <label htmlFor={selectId}>Cohort</label>
          <select id={selectId} value={cohort.id} onChange={(e) => setPicked(e.target.value)}>
            {cohorts.data.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
                {c.isInstructor ? ' (you teach)' : ''}
              </option>
            ))}
          </select>
        </div>
        {renderActions?.(cohort)}
      </div>
      <PeriodTabs value={period} onChange={setPeriod} panelId={panelId} idPrefix={tabPrefix} />
      <section id={panelId} role="tabpanel" aria-labelledby={`${tabPrefix}-${period}`} className="card stack-sm board-panel">
        <h2 id={headingId}>
          {cohort.name} — {periodLabel}
        </h2>
        <LiveUpdates cohortId={cohort.id} />
        {cohort.isInstructor ? (
          <p className="muted">
            You teach this cohort: you see real names and students who hide from the board. Counts are first attempts: each
            student's first answer to each question.
          </p>
        ) : (
          <p className="muted">
            Classmates appear under their alias. Ranked by correct first attempts, then accuracy: only your first answer to
            each question counts here; retakes count in your own stats.
          </p>
        )}
        <WidgetBoundary title="The leaderboard">
          {/* key: a new board starts at the top, not at the old scroll offset. */}
          <LeaderboardList key={`${cohort.id}:${period}`} cohortId={cohort.id} period={period} labelledBy={headingId} />
        </WidgetBoundary>
        {cohort.isInstructor ? null : <MyPosition cohortId={cohort.id} period={period} />}
      </section>
    </div>
  );
}

/**
 * Keeps the shown board current while answers come in: the cohort's topic says when answers moved it
 * ('board', at most about one a second), and the board and the student's own place are read again about
 * a second later (coalesced: see model/board-refresh.ts); after a dropped connection they are read again
 * at once, since messages sent meanwhile are lost. Without Realtime the page is exactly as before (its
 * own reads), and says so calmly. Joins after the first paint, which Lighthouse measures.
 */
function LiveUpdates({ cohortId }: { cohortId: string }) {
  const queryClient = useQueryClient();
  const online = useOnline();
  const settled = useAfterIdle();
  const refresh = useRef<BoardRefresh | null>(null);
  useEffect(() => {
    const r = coalescedRefresh(() =>
      Promise.all(
        (['all', 'week'] as const).flatMap((period) => [
          // Both periods go stale; only the one on screen is read again now.
          queryClient.invalidateQueries({ queryKey: leaderboardKeys.board(cohortId, period) }),
          queryClient.invalidateQueries({ queryKey: leaderboardKeys.position(cohortId, period) }),
        ]),
      ),
    );
    refresh.current = r;
    return () => {
      r.dispose();
      refresh.current = null;
    };
  }, [queryClient, cohortId]);

  const previous = useRef<TopicStatus>('connecting');
  const status = useTopic(
    settled ? `cohort:${cohortId}` : null,
    (event) => {
      if (event === 'board') refresh.current?.request();
    },
    (next) => {
      if (next === 'live' && previous.current === 'unavailable') refresh.current?.request();
      previous.current = next;
    },
  );
  const state = !settled || status === 'connecting' ? null : online && status === 'live' ? 'live' : 'paused';
  return (
    <p role="status" className="muted board-live" data-state={state ?? 'connecting'}>
      {state === 'live' ? 'Live' : state === 'paused' ? 'Updates paused — showing the last board' : ''}
    </p>
  );
}
