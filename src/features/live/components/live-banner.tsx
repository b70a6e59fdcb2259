import './live-banner.css';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@/components/link';
import { useAfterIdle } from '@/lib/live-updates';
import { useTopic } from '@/lib/realtime';
import { getMyCohortIdsQueryOptions } from '../api/get-my-cohort-ids';
import { getMyLiveSessionsQueryOptions } from '../api/get-my-live-sessions';
import { liveKeys } from '../api/keys';
import { readCohortMessage } from '../model/live-state';

/**
 * "Live session — Join", on every signed-in page but the live screens themselves (`hidden`), for whoever
 * is a member of a cohort. The list of running sessions is read after the first paint; each of the
 * user's cohort topics says when a session starts or ends there, and the list is read again at once.
 * The live region is always rendered so screen readers announce the banner when it appears.
 */
export function LiveBanner({ hidden }: { hidden: boolean }) {
  const queryClient = useQueryClient();
  // Nothing before the page has settled: no read, no WebSocket (home's first paint is measured).
  const settled = useAfterIdle();
  const cohorts = useQuery({ ...getMyCohortIdsQueryOptions(), enabled: settled });
  const member = (cohorts.data?.length ?? 0) > 0;
  const sessions = useQuery({ ...getMyLiveSessionsQueryOptions(), enabled: settled && member });
  // One read for several cohorts' joins at once (a read in flight answers them all).
  const refresh = () => void queryClient.invalidateQueries({ queryKey: liveKeys.mine() }, { cancelRefetch: false });
  const session = sessions.data?.[0];

  return (
    <div role="status" aria-live="polite">
      {cohorts.data?.map((id) => <CohortTopic key={id} cohortId={id} onChange={refresh} />)}
      {session && !hidden ? (
        <div className="live-banner">
          <p>
            <strong>Live session</strong> — {session.title} <span className="live-banner-cohort">({session.cohort_name})</span>
          </p>
          <Link href={`/live/${session.id}`} className="button button-primary">
            Join
          </Link>
        </div>
      ) : null}
    </div>
  );
}

/**
 * Listens to one cohort's topic: a session started or ended there — re-read; or the topic was joined
 * (first time, or again after a drop) — re-read too, since a session may have started before the join
 * or while the topic was away (Realtime keeps nothing for absent clients).
 */
function CohortTopic({ cohortId, onChange }: { cohortId: string; onChange: () => void }) {
  useTopic(
    `cohort:${cohortId}`,
    (event, payload) => {
      if (readCohortMessage(event, payload)?.kind === 'live') onChange();
    },
    (status) => {
      if (status === 'live') onChange();
    },
  );
  return null;
}
