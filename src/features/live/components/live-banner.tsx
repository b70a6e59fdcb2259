import './live-banner.css';
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@/components/link';
import { useTopic, type TopicStatus } from '@/lib/realtime';
import { getMyCohortIdsQueryOptions } from '../api/get-my-cohort-ids';
import { getMyLiveSessionsQueryOptions } from '../api/get-my-live-sessions';
import { liveKeys } from '../api/keys';
import { readCohortMessage } from '../model/live-state';

/**
 * "Live session — Join", on every signed-in page but the live screens themselves (`hidden`), for whoever
 * is a member of a cohort. After the page has settled, the user's cohorts are read and their topics
 * joined; the list of running sessions is read once they have answered, and again at once whenever a
 * topic says a session started or ended there, or rejoins after a drop (Realtime keeps nothing for absent
 * clients). Where Realtime is refused, the list is still read, and kept fresh by React Query's defaults.
 * The live region is always rendered so screen readers announce the banner when it appears.
 */
export function LiveBanner({ hidden }: { hidden: boolean }) {
  const queryClient = useQueryClient();
  // The app mounts this once the page has settled (app.tsx): no read, no WebSocket before.
  const cohorts = useQuery(getMyCohortIdsQueryOptions());
  // The list is read once every cohort topic has answered (joined, or refused): a session that starts
  // before a join is then in the list, one after it comes as a message. One read, not one per join.
  const [answered, setAnswered] = useState<ReadonlySet<string>>(() => new Set());
  const topicsAnswered = cohorts.data !== undefined && cohorts.data.length > 0 && cohorts.data.every((id) => answered.has(id));
  const sessions = useQuery({ ...getMyLiveSessionsQueryOptions(), enabled: topicsAnswered });
  // Several cohorts' messages at once make one read (a read in flight answers them all).
  const refresh = () => void queryClient.invalidateQueries({ queryKey: liveKeys.mine() }, { cancelRefetch: false });
  const onStatus = (cohortId: string, status: TopicStatus) => {
    if (status === 'connecting') return;
    setAnswered((a) => (a.has(cohortId) ? a : new Set(a).add(cohortId)));
    // A rejoin after a drop (the list was read before): sessions may have started meanwhile.
    if (status === 'live' && queryClient.getQueryData(liveKeys.mine()) !== undefined) refresh();
  };
  const session = sessions.data?.[0];

  return (
    <div role="status" aria-live="polite">
      {cohorts.data?.map((id) => <CohortTopic key={id} cohortId={id} onMessage={refresh} onStatus={(status) => onStatus(id, status)} />)}
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

/** Listens to one cohort's topic: a session started or ended there (`onMessage`); joined, dropped, refused (`onStatus`). */
function CohortTopic({ cohortId, onMessage, onStatus }: { cohortId: string; onMessage: () => void; onStatus: (status: TopicStatus) => void }) {
  useTopic(
    `cohort:${cohortId}`,
    (event, payload) => {
      if (readCohortMessage(event, payload)?.kind === 'live') onMessage();
    },
    onStatus,
  );
  return null;
}
