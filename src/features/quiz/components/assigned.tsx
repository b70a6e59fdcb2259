/**
 * Home's "Assigned": the work the student's instructors set, to do first and soonest due first, overdue
 * marked, each opening its page. Nothing at all for a student with no assignments.
 */
import './assignment.css';
import { useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { getMyAssignmentsQueryOptions, type MyAssignment } from '@/features/quiz/api/get-my-assignments';
import { assignmentWindow, orderAssigned } from '@/features/quiz/model/assignment';
import { Link } from '@/components/link';
import { formatDateTime, plural } from '@/lib/format';
import { ASSIGNMENT_STATUS_LABELS, isOverdue } from '@/lib/assignment-plan';

/** Shown until the student asks for all (the order puts what is to do first, so it is never hidden). */
const SHOWN = 8;

export function Assigned() {
  const query = useQuery({ ...getMyAssignmentsQueryOptions(), throwOnError: (_e, q) => q.state.data === undefined });
  // The clock as Home opened: what is due or overdue does not need to change while it is read.
  const [now] = useState(() => Date.now());
  const [all, setAll] = useState(false);
  if (!query.data || query.data.length === 0) return null;
  const ordered = orderAssigned(query.data, now);
  const list = all ? ordered : ordered.slice(0, SHOWN);
  return (
    <section className="card stack" aria-labelledby="assigned-heading">
      <h2 id="assigned-heading">Assigned</h2>
      <ul className="assigned-list">
        {list.map((a) => (
          <AssignedItem key={a.id} assignment={a} now={now} />
        ))}
      </ul>
      {ordered.length > list.length ? (
        <p>
          <button type="button" className="button" onClick={() => setAll(true)}>
            Show all {ordered.length} assignments
          </button>
        </p>
      ) : null}
    </section>
  );
}

function AssignedItem({ assignment: a, now }: { assignment: MyAssignment; now: number }) {
  const titleId = useId();
  const window_ = assignmentWindow(a, now);
  const finished = a.status === 'done' || a.status === 'late';
  const overdue = isOverdue(a.status, new Date(a.due_at), new Date(now));
  const when =
    window_ === 'upcoming'
      ? `opens ${formatDateTime(new Date(a.opens_at))}`
      : `due ${formatDateTime(new Date(a.due_at))}`;
  return (
    <li className="assigned-item">
      <div id={titleId}>
        <p>
          <strong>{a.title}</strong>{' '}
          <span className="badge" data-status={overdue ? 'overdue' : a.status}>
            {overdue ? 'Overdue' : ASSIGNMENT_STATUS_LABELS[a.status]}
          </span>
        </p>
        <p className="muted">
          {a.cohort_name} · {plural(a.question_ids.length, 'question', 'questions')} · {when}
          {finished ? ` · ${a.correct} of ${a.question_ids.length} correct` : ''}
        </p>
      </div>
      <Link href={`/assignments/${a.id}`} className={finished || window_ === 'upcoming' ? 'button' : 'button button-primary'} aria-describedby={titleId}>
        {finished ? 'Result' : a.status === 'in_progress' ? 'Continue' : 'Open'}
      </Link>
    </li>
  );
}
