import './instructor.css';
import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { deleteAssignmentMutationOptions } from '@/features/instructor/api/delete-assignment';
import { getCohortAssignmentsQueryOptions, type Assignment } from '@/features/instructor/api/get-assignments';
import { describeMode } from '@/features/instructor/components/assignment-labels';
import { Link } from '@/components/link';
import { formatDateTime, formatUtcOffset } from '@/lib/format';

/** The cohort's assignments (latest due first) with a link to set a new one, each to its results; delete asks first. */
export function CohortAssignments({ cohortId }: { cohortId: string }) {
  const assignments = useQuery({ ...getCohortAssignmentsQueryOptions(cohortId), throwOnError: (_e, q) => q.state.data === undefined });
  const [confirmId, setConfirmId] = useState<string | null>(null);
  const remove = useMutation(deleteAssignmentMutationOptions());

  return (
    <section className="card stack-sm" aria-labelledby="assignments-heading">
      <h2 id="assignments-heading">Assignments{assignments.data ? ` (${assignments.data.length})` : ''}</h2>
      <div>
        <Link className="button button-primary" href={`/instructor/cohorts/${cohortId}/assignments/new`}>
          New assignment
        </Link>
      </div>
      {assignments.data === undefined ? (
        <p role="status" className="muted">
          Loading assignments…
        </p>
      ) : assignments.data.length === 0 ? (
        <p className="muted">No assignments yet. Set the cohort questions with a due date, then follow who has done them.</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="assignments-heading">
          <table className="data-table">
            <caption className="visually-hidden">Assignments, latest due first; times in your time zone ({formatUtcOffset(new Date())})</caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Mode</th>
                <th scope="col" className="num">
                  Questions
                </th>
                <th scope="col">Opens</th>
                <th scope="col">Due</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {assignments.data.map((a) => (
                <AssignmentRow
                  key={a.id}
                  assignment={a}
                  confirming={confirmId === a.id}
                  busy={remove.isPending && remove.variables.id === a.id}
                  onAsk={() => setConfirmId(a.id)}
                  onCancel={() => setConfirmId(null)}
                  onConfirm={() => remove.mutate({ id: a.id, cohortId }, { onSuccess: () => setConfirmId(null) })}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function AssignmentRow({
  assignment: a,
  confirming,
  busy,
  onAsk,
  onCancel,
  onConfirm,
}: {
  assignment: Assignment;
  confirming: boolean;
  busy: boolean;
  onAsk: () => void;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  return (
    <tr>
      <th scope="row">
        <Link href={`/instructor/assignments/${a.id}`}>{a.title}</Link>
      </th>
      <td>{describeMode(a)}</td>
      <td className="num">{a.question_ids.length}</td>
      <td>{formatDateTime(new Date(a.opens_at))}</td>
      <td>{formatDateTime(new Date(a.due_at))}</td>
      <td>
        {confirming ? (
          <span className="row" role="group" aria-label={`Confirm deleting ${a.title}`}>
            <span className="small">Students keep their answers; the assignment and its results page go.</span>
            <button type="button" className="button button-danger" onClick={onConfirm} disabled={busy}>
              {busy ? 'Deleting…' : 'Yes, delete'}
            </button>
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" className="button" onClick={onAsk} aria-label={`Delete ${a.title}`}>
            Delete
          </button>
        )}
      </td>
    </tr>
  );
}
