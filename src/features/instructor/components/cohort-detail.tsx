import './instructor.css';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { getCohortRosterQueryOptions, type RosterMember } from '@/features/instructor/api/get-cohort-roster';
import { getInstructedCohortQueryOptions, type InstructedCohort } from '@/features/instructor/api/get-instructed-cohorts';
import { removeCohortMemberMutationOptions } from '@/features/instructor/api/remove-cohort-member';
import { rotateJoinCodeMutationOptions } from '@/features/instructor/api/rotate-join-code';
import { CohortAssignments } from '@/features/instructor/components/cohort-assignments';
import { CohortLiveSession } from '@/features/instructor/components/cohort-live-session';
import { ExportResultsButton } from '@/features/instructor/components/export-results-button';
import { Link } from '@/components/link';
import { WidgetBoundary } from '@/components/error-boundaries';
import { formatDate } from '@/lib/format';

const pct = (correct: number, answered: number) => (answered === 0 ? '—' : `${Math.round((100 * correct) / answered)}%`);

/**
 * One cohort: its join code (rotatable), links to its boards, statistics and analytics, the export and the
 * roster. `focusStudentId` (from the analytics page's links) scrolls to that student's roster row and marks it.
 */
export function CohortDetail({ cohortId, focusStudentId = null }: { cohortId: string; focusStudentId?: string | null }) {
  const cohort = useQuery({ ...getInstructedCohortQueryOptions(cohortId), throwOnError: (_e, q) => q.state.data === undefined });
  if (cohort.data === undefined) {
    return (
      <p role="status" className="muted">
        Loading the cohort…
      </p>
    );
  }
  if (cohort.data === null) {
    return (
      <section className="card stack-sm">
        <h1>Cohort not found</h1>
        <p>This cohort does not exist or is run by someone else.</p>
        <Link href="/instructor">Back to your cohorts</Link>
      </section>
    );
  }
  const c = cohort.data;
  return (
    <div className="stack">
      <p>
        <Link href="/instructor">← Your cohorts</Link>
      </p>
      <h1>{c.name}</h1>
      <JoinCodeCard cohort={c} />
      <nav aria-label="Cohort tools" className="row">
        <Link className="button" href={`/leaderboard?cohort=${c.id}`}>
          Leaderboard
        </Link>
        <Link className="button" href={`/instructor/cohorts/${c.id}/items`}>
          Item statistics
        </Link>
        <Link className="button" href={`/instructor/cohorts/${c.id}/analytics`}>
          Analytics
        </Link>
        <ExportResultsButton cohortId={c.id} cohortName={c.name} />
      </nav>
      <WidgetBoundary title="The live session">
        <CohortLiveSession cohortId={c.id} />
      </WidgetBoundary>
      <WidgetBoundary title="The assignments">
        <CohortAssignments cohortId={c.id} />
      </WidgetBoundary>
      <WidgetBoundary title="The roster">
        <Roster cohortId={c.id} focusStudentId={focusStudentId} />
      </WidgetBoundary>
    </div>
  );
}

function JoinCodeCard({ cohort }: { cohort: InstructedCohort }) {
  const [confirming, setConfirming] = useState(false);
  const rotate = useMutation(rotateJoinCodeMutationOptions());
  return (
    <section className="card stack-sm" aria-labelledby="join-code-heading">
      <h2 id="join-code-heading">Join code</h2>
      <p>
        Students join with <code className="join-code join-code-large">{cohort.join_code}</code>
      </p>
      {confirming ? (
        <div className="row" role="group" aria-label="Confirm new join code">
          <span>The current code stops working at once. Students already in the cohort stay.</span>
          <button type="button" className="button button-primary" onClick={() => rotate.mutate(cohort, { onSuccess: () => setConfirming(false) })} disabled={rotate.isPending}>
            {rotate.isPending ? 'Rotating…' : 'Yes, make a new code'}
          </button>
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <div>
          <button type="button" className="button" onClick={() => setConfirming(true)}>
            Rotate code
          </button>
        </div>
      )}
    </section>
  );
}

function Roster({ cohortId, focusStudentId }: { cohortId: string; focusStudentId: string | null }) {
  const roster = useQuery({ ...getCohortRosterQueryOptions(cohortId), throwOnError: (_e, q) => q.state.data === undefined });
  const [confirmId, setConfirmId] = useState<string | null>(null);
  const remove = useMutation(removeCohortMemberMutationOptions());
  const focusRef = useRef<HTMLTableCellElement>(null);
  const loaded = roster.data !== undefined;
  useEffect(() => {
    // Once the rows are there: bring the student the link named into view, and keyboard focus with it.
    if (loaded) focusRef.current?.focus();
  }, [loaded, focusStudentId]);

  if (roster.data === undefined) {
    return (
      <p role="status" className="muted">
        Loading the roster…
      </p>
    );
  }
  return (
    <section className="card stack-sm" aria-labelledby="roster-heading">
      <h2 id="roster-heading">Roster ({roster.data.length})</h2>
      {roster.data.length === 0 ? (
        <p className="muted">Nobody has joined yet. Share the join code above.</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="roster-heading">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Joined</th>
                {/* From the leaderboard rollup: first attempts only (docs/decisions/017); the CSV export counts every answer. */}
                <th scope="col" className="num">
                  First attempts
                </th>
                <th scope="col" className="num">
                  First-attempt accuracy
                </th>
                <th scope="col">Last active</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {/* The first 500, and the student an analytics link named wherever they are in the list. */}
              {roster.data.filter((m, i) => i < 500 || m.user_id === focusStudentId).map((m) => (
                <RosterRow
                  key={m.user_id}
                  member={m}
                  focusRef={m.user_id === focusStudentId ? focusRef : undefined}
                  confirming={confirmId === m.user_id}
                  busy={remove.isPending && remove.variables.userId === m.user_id}
                  onAsk={() => setConfirmId(m.user_id)}
                  onCancel={() => setConfirmId(null)}
                  onConfirm={() => remove.mutate({ cohortId, userId: m.user_id }, { onSuccess: () => setConfirmId(null) })}
                />
              ))}
            </tbody>
          </table>
          {roster.data.length > 500 ? <p className="muted">Showing the first 500 students; download the CSV for everyone.</p> : null}
        </div>
      )}
    </section>
  );
}

function RosterRow({
  member: m,
  focusRef,
  confirming,
  busy,
  onAsk,
  onCancel,
  onConfirm,
}: {
  member: RosterMember;
  focusRef: RefObject<HTMLTableCellElement | null> | undefined;
  confirming: boolean;
  busy: boolean;
  onAsk: () => void;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  return (
    <tr className={focusRef ? 'roster-focus' : undefined}>
      <th scope="row" ref={focusRef} tabIndex={focusRef ? -1 : undefined}>
        {m.display_name}
      </th>
      <td>{m.email}</td>
      <td>{formatDate(new Date(m.joined_at))}</td>
      <td className="num">{m.answered}</td>
      <td className="num">{pct(m.correct, m.answered)}</td>
      <td>{m.last_active_at ? formatDate(new Date(m.last_active_at)) : '—'}</td>
      <td>
        {confirming ? (
          <span className="row" role="group" aria-label={`Confirm removing ${m.display_name}`}>
            <button type="button" className="button button-danger" onClick={onConfirm} disabled={busy}>
              {busy ? 'Removing…' : `Remove ${m.display_name}`}
            </button>
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" className="button" onClick={onAsk} aria-label={`Remove ${m.display_name} from the cohort`}>
            Remove
          </button>
        )}
      </td>
    </tr>
  );
}
