/**
 * An assignment's results for its cohort's instructor: what was set and when, how many students have
 * not started / are in progress / are done / done late (and overdue), the score distribution, the class's
 * result per question with the spread over A–E, each student's result (a virtualised table: a cohort
 * may have 10,000 students), and a CSV export. Status, lateness and the counted sitting are the server's
 * judgement (get_assignment_results); this page only arranges it.
 */
import './assignments.css';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  getAssignmentResultsQueryOptions,
  type AssignmentQuestionResult,
  type AssignmentResults,
  type AssignmentStudentResult,
} from '@/features/instructor/api/get-assignment-results';
import { getAssignmentQuestionsQueryOptions, type AssignmentQuestion } from '@/features/instructor/api/get-assignment-questions';
import { getAssignmentQueryOptions, type Assignment } from '@/features/instructor/api/get-assignments';
import { describeMode } from '@/features/instructor/components/assignment-labels';
import { DistractorBars } from '@/features/instructor/components/distractor-bars';
import { downloadCsv, fileSlug } from '@/lib/download-csv';
import { ScoreHistogram } from '@/features/instructor/components/score-histogram';
import {
  scoreHistogram,
  scoreShare,
  sortStudents,
  statusCounts,
  type StudentSortKey,
} from '@/features/instructor/model/assignment-results';
import { truncateStem } from '@/features/instructor/model/question-pick';
import { WidgetBoundary } from '@/components/error-boundaries';
import { Link } from '@/components/link';
import { hasErrorCode } from '@/lib/errors';
import { formatDateTime, formatPercent, formatUtcOffset } from '@/lib/format';
import { ASSIGNMENT_STATUS_LABELS, isOverdue } from '@/lib/assignment-plan';
import { taxonomyLabel } from '@/lib/taxonomy';

/** The results page's body: the assignment (or why there is none), then its results. */
export function AssignmentResultsView({ assignmentId }: { assignmentId: string }) {
  const assignment = useQuery({ ...getAssignmentQueryOptions(assignmentId), throwOnError: (_e, q) => q.state.data === undefined });
  if (assignment.data === undefined) {
    return (
      <p role="status" className="muted">
        Loading the assignment…
      </p>
    );
  }
  if (assignment.data === null) {
    return (
      <section className="card stack-sm">
        <h1>Assignment not found</h1>
        <p>This assignment does not exist, was deleted, or is set for a cohort you do not run.</p>
        <Link href="/instructor">Back to your cohorts</Link>
      </section>
    );
  }
  const a = assignment.data;
  return (
    <div className="stack">
      <p>
        <Link href={`/instructor/cohorts/${a.cohort_id}`}>← The cohort</Link>
      </p>
      <h1>{a.title}</h1>
      <AssignmentFacts assignment={a} />
      <WidgetBoundary title="The results">
        <Results assignment={a} />
      </WidgetBoundary>
    </div>
  );
}

function AssignmentFacts({ assignment: a }: { assignment: Assignment }) {
  return (
    <section className="card" aria-label="What was set">
      <dl className="as-meta">
        <dt>Mode</dt>
        <dd>{describeMode(a)}</dd>
        <dt>Questions</dt>
        <dd>{a.question_ids.length}</dd>
        <dt>Opens</dt>
        <dd>{formatDateTime(new Date(a.opens_at))}</dd>
        <dt>Due</dt>
        <dd>
          {formatDateTime(new Date(a.due_at))} <span className="muted small">(your time, {formatUtcOffset(new Date(a.due_at))})</span>
        </dd>
        <dt>Explanations</dt>
        <dd>{a.explanations_after_due ? 'After the due date' : 'As in any block (no wait for the due date)'}</dd>
        <dt>Attempts allowed</dt>
        <dd>{a.max_attempts}</dd>
      </dl>
    </section>
  );
}

/** get_assignment_results' refusal: the assignment is gone (deleted elsewhere) or not of the caller's cohorts. */
const isRefused = (error: unknown) => hasErrorCode(error, '42501');

function Results({ assignment }: { assignment: Assignment }) {
  const queryClient = useQueryClient();
  const results = useQuery({
    ...getAssignmentResultsQueryOptions(assignment.id),
    throwOnError: (error, q) => q.state.data === undefined && !isRefused(error),
  });
  const refused = results.data === undefined && isRefused(results.error);
  // The assignment shown may be a stored copy of one deleted since: read it again, and the page says so.
  useEffect(() => {
    if (refused) void queryClient.invalidateQueries({ queryKey: getAssignmentQueryOptions(assignment.id).queryKey, exact: true });
  }, [refused, queryClient, assignment.id]);
  if (refused) {
    return (
      <p role="status" className="muted">
        The results are not available: checking whether this assignment still exists…
      </p>
    );
  }
  if (results.data === undefined) {
    return (
      <p role="status" className="muted">
        Loading results…
      </p>
    );
  }
  const dueAt = new Date(assignment.due_at);
  // "Now" for overdue is the moment the results were read, so the counts, the table and the CSV agree.
  const now = new Date(results.dataUpdatedAt);
  return (
    <>
      <Summary results={results.data} assignment={assignment} now={now} />
      <WidgetBoundary title="The questions">
        <QuestionTable assignment={assignment} questions={results.data.questions} />
      </WidgetBoundary>
      <StudentTable results={results.data} assignment={assignment} dueAt={dueAt} now={now} />
    </>
  );
}

function Summary({ results, assignment, now }: { results: AssignmentResults; assignment: Assignment; now: Date }) {
  const dueAt = new Date(assignment.due_at);
  const counts = statusCounts(results.students, dueAt, now);
  const bins = scoreHistogram(results.students, results.total);
  return (
    <section className="card stack-sm" aria-labelledby="summary-heading">
      <h2 id="summary-heading">Where the class is</h2>
      <ul className="as-counts">
        {(['not_started', 'in_progress', 'done', 'late'] as const).map((s) => (
          <li key={s}>
            <span className="as-count">{counts[s]}</span>
            <span className="muted">{ASSIGNMENT_STATUS_LABELS[s]}</span>
          </li>
        ))}
        <li className={counts.overdue > 0 ? 'as-count-overdue' : undefined}>
          <span className="as-count">{counts.overdue}</span>
          <span className="muted" title="Not done by the due date">
            Overdue
          </span>
        </li>
      </ul>
      <ScoreHistogram title="Scores of finished students" bins={bins} />
    </section>
  );
}

function QuestionTable({ assignment, questions }: { assignment: Assignment; questions: readonly AssignmentQuestionResult[] }) {
  const info = useQuery({
    ...getAssignmentQuestionsQueryOptions(assignment.id, assignment.question_ids),
    throwOnError: (_e, q) => q.state.data === undefined,
  });
  const byId = useMemo(() => new Map((info.data ?? []).map((q) => [q.id, q])), [info.data]);
  return (
    <section className="card stack-sm" aria-labelledby="questions-heading">
      <h2 id="questions-heading">By question</h2>
      <p className="muted">Each student's result sitting; the key is highlighted in the spread.</p>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="questions-heading">
        <table className="data-table">
          <caption className="visually-hidden">Results by question, in the assignment's order</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                #
              </th>
              <th scope="col">Question</th>
              <th scope="col" className="num">
                Answered
              </th>
              <th scope="col" className="num">
                Correct
              </th>
              <th scope="col">Answers A–E</th>
            </tr>
          </thead>
          <tbody>
            {questions.map((q, i) => (
              <QuestionRowView key={q.question_id} position={i + 1} result={q} question={byId.get(q.question_id)} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function QuestionRowView({ position, result: q, question }: { position: number; result: AssignmentQuestionResult; question: AssignmentQuestion | undefined }) {
  return (
    <tr>
      <td className="num">{position}</td>
      <th scope="row" className="stem-cell">
        <Link href={`/instructor/questions/${q.question_id}`}>Q{q.question_id}</Link>
        {question ? (
          <>
            <div className="muted small">
              {taxonomyLabel(question.organ_system)} · {taxonomyLabel(question.discipline)}
            </div>
            <div className="small">{truncateStem(question.stem, 90)}</div>
          </>
        ) : null}
      </th>
      <td className="num">{q.answered}</td>
      <td className="num">{q.answered === 0 ? '—' : formatPercent(q.correct / q.answered)}</td>
      <td>
        <DistractorBars label={`Answers for Q${q.question_id}`} counts={[q.a, q.b, q.c, q.d, q.e]} correctChoice={question?.correct_choice ?? null} />
      </td>
    </tr>
  );
}

const STUDENT_COLUMNS: { key: StudentSortKey; label: string; numeric: boolean }[] = [
  { key: 'display_name', label: 'Name', numeric: false },
  { key: 'status', label: 'Status', numeric: false },
  { key: 'score', label: 'Score', numeric: true },
  { key: 'late', label: 'Late answers', numeric: true },
  { key: 'sittings', label: 'Sittings', numeric: true },
];
/** Row height estimate (px) for the virtualiser; rows are measured as they render. */
const ROW_ESTIMATE = 41;
const OVERSCAN = 10;
/** .student-scroll's max-height in assignments.css, min(32rem, 70vh), with 16 px rem. */
const initialRect = () => ({ width: 0, height: Math.floor(Math.min(32 * 16, 0.7 * window.innerHeight)) });

function StudentTable({ results, assignment, dueAt, now }: { results: AssignmentResults; assignment: Assignment; dueAt: Date; now: Date }) {
  const [sort, setSort] = useState<{ key: StudentSortKey; dir: 'ascending' | 'descending' }>({ key: 'status', dir: 'ascending' });
  const rows = useMemo(() => sortStudents(results.students, sort.key, sort.dir, results.total), [results, sort]);
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- useVirtualizer returns fresh functions each render by design; this component does not memoise them.
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: OVERSCAN,
    initialRect: initialRect(),
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  const exportCsv = useMutation({
    mutationFn: async () => {
      const { toAssignmentCsv } = await import('@/features/instructor/model/assignment-csv');
      return toAssignmentCsv(rows, { total: results.total, dueAt, now });
    },
    meta: { errorMessage: 'The CSV was not made.' },
    onSuccess: (csv) => downloadCsv(csv, `${fileSlug(assignment.title, 'assignment')}-results-${new Date().toISOString().slice(0, 10)}.csv`),
  });

  return (
    <section className="card stack-sm" aria-labelledby="students-heading">
      <h2 id="students-heading">Students ({rows.length})</h2>
      <div>
        <button type="button" className="button" onClick={() => exportCsv.mutate()} disabled={exportCsv.isPending}>
          {exportCsv.isPending ? 'Preparing CSV…' : 'Download CSV'}
        </button>
      </div>
      {rows.length === 0 ? (
        <p className="muted">Nobody has joined this cohort yet.</p>
      ) : (
        <div ref={scrollRef} className="table-scroll student-scroll" tabIndex={0} role="region" aria-label="Student results, scrollable">
          <table className="data-table" aria-rowcount={rows.length + 1}>
            <caption className="visually-hidden">Each student's result, sortable by column</caption>
            <thead>
              <tr aria-rowindex={1}>
                {STUDENT_COLUMNS.map((col) => (
                  <th key={col.key} scope="col" className={col.numeric ? 'num' : undefined} aria-sort={sort.key === col.key ? sort.dir : undefined}>
                    <button
                      type="button"
                      className="sort-button"
                      onClick={() => setSort((s) => ({ key: col.key, dir: s.key === col.key && s.dir === 'ascending' ? 'descending' : 'ascending' }))}
                    >
                      {col.label}
                      <span aria-hidden="true">{sort.key === col.key ? (sort.dir === 'ascending' ? ' ▲' : ' ▼') : ''}</span>
                    </button>
                  </th>
                ))}
                <th scope="col">Finished</th>
              </tr>
            </thead>
            <tbody>
              {padTop > 0 ? (
                <tr aria-hidden="true">
                  <td colSpan={STUDENT_COLUMNS.length + 1} style={{ height: padTop, padding: 0, border: 0 }} />
                </tr>
              ) : null}
              {items.map((item) => {
                const s = rows[item.index];
                return s ? (
                  <StudentRow key={s.user_id} index={item.index} measure={virtualizer.measureElement} student={s} total={results.total} overdue={isOverdue(s.status, dueAt, now)} />
                ) : null;
              })}
              {padBottom > 0 ? (
                <tr aria-hidden="true">
                  <td colSpan={STUDENT_COLUMNS.length + 1} style={{ height: padBottom, padding: 0, border: 0 }} />
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function StudentRow({
  index,
  measure,
  student: s,
  total,
  overdue,
}: {
  index: number;
  measure: (el: Element | null) => void;
  student: AssignmentStudentResult;
  total: number;
  overdue: boolean;
}) {
  const finished = s.status === 'done' || s.status === 'late';
  return (
    <tr ref={measure} data-index={index} aria-rowindex={index + 2}>
      <th scope="row">{s.display_name}</th>
      <td>
        <span className={s.status === 'late' ? 'badge status-badge-late' : 'badge'}>{ASSIGNMENT_STATUS_LABELS[s.status]}</span>
        {overdue ? (
          <>
            {' '}
            <span className="badge status-badge-overdue">Overdue</span>
          </>
        ) : null}
      </td>
      <td className="num">
        {finished ? (
          <>
            {formatPercent(scoreShare(s.correct, total))} <span className="muted small">({s.correct}/{total})</span>
          </>
        ) : s.answered > 0 ? (
          <span className="muted small">{s.answered} answered</span>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="num">{s.late}</td>
      <td className="num">{s.sittings}</td>
      <td>{s.completed_at ? formatDateTime(new Date(s.completed_at)) : <span className="muted">—</span>}</td>
    </tr>
  );
}
