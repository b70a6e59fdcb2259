import { useQuery } from '@tanstack/react-query';
import { getOpenLiveSessionQueryOptions } from '@/features/instructor/api/get-open-live-session';
import { LIVE_TIMING_DEFAULTS, liveHostHref } from '@/features/instructor/model/live-draft';
import { Link } from '@/components/link';

/**
 * The cohort's live session: "Start a live session", or — while one runs (one at a time per cohort) —
 * "Live session running" with the way back to its host screen. Offline, or before the read, it offers
 * nothing it cannot do: starting needs the network.
 */
export function CohortLiveSession({ cohortId }: { cohortId: string }) {
  const running = useQuery(getOpenLiveSessionQueryOptions(cohortId));
  return (
    <section className="card stack-sm" aria-labelledby="live-heading">
      <h2 id="live-heading">Live session</h2>
      {running.data === undefined ? (
        <p role="status" className="muted">
          {running.isError ? 'Live sessions need the network — this comes back when the connection does.' : 'Checking for a running session…'}
        </p>
      ) : running.data ? (
        <>
          <p role="status">
            <strong>Live session running</strong> — “{running.data.title}”.
          </p>
          <div>
            <Link className="button button-primary" href={liveHostHref(running.data.id, LIVE_TIMING_DEFAULTS)}>
              Open the host screen
            </Link>
          </div>
        </>
      ) : (
        <>
          <p className="muted">Run the class through questions together: one at a time on the projector, answered on their phones.</p>
          <div>
            <Link className="button button-primary" href={`/instructor/cohorts/${cohortId}/live/new`}>
              Start a live session
            </Link>
          </div>
        </>
      )}
    </section>
  );
}
