import { StatsPanel } from '@/features/progress/components/stats-panel';
import { RecentBlocks } from '@/features/quiz/components/recent-blocks';
import { OfflineBank } from '@/features/quiz/components/offline-bank';
import { WidgetBoundary } from '@/components/error-boundaries';
import { Link } from '@/components/link';

export default function HomePage() {
  return (
    <div className="stack">
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h1>Home</h1>
        <Link href="/blocks/new" className="button button-primary">
          Create a block
        </Link>
      </div>
      {/* Each widget fails on its own: broken stats must not hide the blocks the student wants to continue. */}
      <WidgetBoundary title="Your stats">
        <StatsPanel />
      </WidgetBoundary>
      <WidgetBoundary title="Your recent blocks">
        <RecentBlocks />
      </WidgetBoundary>
      <WidgetBoundary title="The offline question bank">
        <OfflineBank />
      </WidgetBoundary>
    </div>
  );
}
