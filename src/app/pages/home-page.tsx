import { memo, useState } from 'react';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { getMyStatsQueryOptions } from '@/features/progress/api/get-my-stats';
import { StatsPanel } from '@/features/progress/components/stats-panel';
import { getRecentAttemptsQueryOptions } from '@/features/quiz/api/attempts';
import { RecentBlocks } from '@/features/quiz/components/recent-blocks';
import { Assigned } from '@/features/quiz/components/assigned';
import { getMyAssignmentsQueryOptions } from '@/features/quiz/api/get-my-assignments';
import { ReviewBanner, ReviewDue } from '@/features/quiz/components/review-due';
import type { DeckState } from '@/features/quiz/components/use-deck';
import { useStudentDeck } from '@/app/use-student-deck';
import { OfflineBank } from '@/features/quiz/components/offline-bank';
import { WidgetBoundary } from '@/components/error-boundaries';
import { Link } from '@/components/link';
import { LoadingNote } from '@/components/loading-note';

/** A query has something to show: data, an error for its boundary, or a failure its note explains. */
function hasAnswer(query: UseQueryResult<unknown>): boolean {
  return query.data !== undefined || query.isError || query.failureCount > 0 || query.fetchStatus === 'paused';
}

export default function HomePage() {
  // The dashboard appears in one piece. Revealed widget by widget, the stats (≈1,500 px of charts on a
  // phone) pushed the recent blocks and the offline bank down as they arrived: a layout shift of ~0.5
  // on a device with nothing cached yet (first visit, new device, cache expired). With the cache (every
  // later visit) the queries have data at the first render and nothing waits.
  // Once shown it stays: "Try again" on a failed widget resets that query, and the rest of home must
  // not disappear while it retries.
  const stats = useQuery(getMyStatsQueryOptions());
  const recent = useQuery(getRecentAttemptsQueryOptions());
  const assigned = useQuery(getMyAssignmentsQueryOptions());
  const deck = useStudentDeck();
  const [shown, setShown] = useState(false);
  // The deck is not waited for: it is built after the first paint (from this device's copy of the log,
  // read asynchronously), and its widgets never move what is already on screen (below).
  const ready = shown || (hasAnswer(stats) && hasAnswer(recent) && hasAnswer(assigned));
  if (ready && !shown) setShown(true);

  return (
    <div className="stack">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h1>Home</h1>
        <Link href="/blocks/new" className="button button-primary">
          Create a block
        </Link>
      </div>
      {/* One line of fixed height: it changes words, never size, when the deck is ready. */}
      <ReviewBanner state={deck} />
      {ready ? <Dashboard deck={deck} /> : <LoadingNote what="your dashboard" failureReason={null} />}
    </div>
  );
}

/**
 * Memoised: HomePage reads its queries' fetch status to know when to show the dashboard, so it
 * renders again each time one starts or finishes fetching (every start refetches both). Each widget
 * subscribes to what it shows; without the memo each of those renders re-rendered the whole dashboard
 * synchronously (query updates are never time-sliced), 15–20 ms a time on the project machine.
 */
const Dashboard = memo(function Dashboard({ deck }: { deck: DeckState }) {
  return (
    <>
      {/* Each widget fails on its own: broken stats must not hide the blocks the student wants to continue. */}
      {/* First: work an instructor set, due soonest first (nothing at all without assignments). */}
      <WidgetBoundary title="Your assignments">
        <Assigned />
      </WidgetBoundary>
      <WidgetBoundary title="Your stats">
        <StatsPanel />
      </WidgetBoundary>
      <WidgetBoundary title="Your recent blocks">
        <RecentBlocks />
      </WidgetBoundary>
      <WidgetBoundary title="The offline question bank">
        <OfflineBank />
      </WidgetBoundary>
      {/* Last: it appears when the deck is built, after the first paint, and below it nothing can move. */}
      <WidgetBoundary title="Spaced review">
        <ReviewDue state={deck} />
      </WidgetBoundary>
    </>
  );
});
