/**
 * The student's page of one assignment: what it is and when it is due, where they stand (the server's
 * judgement: done, late, score), and the one thing to do next — start, continue a section, or, in exam
 * mode, take a break from the shared pool and start the next section. A section is an ordinary block
 * opened through openNewBlock (the one answer path); ended sections cannot be reopened (the player sends
 * a finished block to its review, and in exam mode a section's review waits for the end of the sitting).
 */
import './assignment.css';
import { useEffect, useId, useMemo } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { getAttemptScoresQueryOptions } from '@/features/quiz/api/get-attempt-scores';
import { getBlockQuestionsQueryOptions } from '@/features/quiz/api/get-block-questions';
import type { MyAssignment } from '@/features/quiz/api/get-my-assignments';
import { explanationsHeld, nextStep, sectionBlock, sectionsOf, type SittingState } from '@/features/quiz/model/assignment';
import { formatClock } from '@/features/quiz/model/player-view';
import { LoadingNote } from '@/components/loading-note';
import { Link } from '@/components/link';
import { formatDateTime, formatPercent, formatUtcOffset, plural } from '@/lib/format';
import { ASSIGNMENT_STATUS_LABELS, isOverdue } from '@/lib/assignment-plan';
import { navigate } from '@/lib/router';
import { openNewBlock } from './open-new-block';
import { useMyAssignment, useSittings } from './use-assignment';

export function AssignmentScreen({ assignmentId }: { assignmentId: string }) {
  const { assignment, list } = useMyAssignment(assignmentId);
  if (list.data === undefined) return <LoadingNote what="your assignment" failureReason={list.failureReason} />;
  if (!assignment) {
    return (
      <section className="card stack">
        <h1>Assignment not found</h1>
        <p>This assignment is not one of your cohorts&apos; — it may have been removed by its instructor.</p>
        <p>
          <Link href="/">Back to Home</Link>
        </p>
      </section>
    );
  }
  return <AssignmentDetail assignment={assignment} />;
}

const MODE_LABEL = { tutor: 'Tutor', timed: 'Timed', exam: 'Exam' } as const;

function AssignmentDetail({ assignment }: { assignment: MyAssignment }) {
  const queryClient = useQueryClient();
  // Memoised: the break countdown renders every second, and the prefetch below must run once.
  const sections = useMemo(() => sectionsOf(assignment), [assignment]);
  const { sittings, now } = useSittings(assignment);
  const step = nextStep(assignment, sittings, now);
  const due = new Date(assignment.due_at);
  const opens = new Date(assignment.opens_at);
  const held = explanationsHeld(assignment, now);

  // Taking it offline needs its questions on the device: fetched once here, kept with the cache.
  useEffect(() => {
    for (const ids of sections) void queryClient.prefetchQuery(getBlockQuestionsQueryOptions(ids));
  }, [queryClient, sections]);

  const open = (sittingId: string, section: number) => {
    openNewBlock(queryClient, sectionBlock(assignment, sittingId, section, Date.now(), crypto.randomUUID()));
  };

  const last = sittings.at(-1);
  const statusLabel = isOverdue(assignment.status, due, new Date(now)) ? 'Overdue' : ASSIGNMENT_STATUS_LABELS[assignment.status];

  return (
    <div className="stack assignment">
      <section className="card stack" aria-labelledby="assignment-title">
        <p className="muted">{assignment.cohort_name}</p>
        <h1 id="assignment-title">{assignment.title}</h1>
        <p>
          <span className="badge" data-status={statusLabel === 'Overdue' ? 'overdue' : assignment.status}>
            {statusLabel}
          </span>{' '}
          {MODE_LABEL[assignment.mode]} · {plural(assignment.question_ids.length, 'question', 'questions')}
          {assignment.mode === 'exam' && assignment.section_seconds !== null
            ? ` in ${plural(sections.length, 'section', 'sections')} of up to ${assignment.section_size} (${assignment.section_seconds / 60} min each, ${Math.round((assignment.break_seconds ?? 0) / 60)} min of break time to share)`
            : assignment.mode === 'timed' && assignment.time_limit_seconds !== null
              ? ` · ${Math.round(assignment.time_limit_seconds / 60)} min`
              : ''}
        </p>
        <dl className="assignment-dates">
          <dt>Opens</dt>
          <dd>
            <time dateTime={assignment.opens_at}>{formatDateTime(opens)}</time>
          </dd>
          <dt>Due</dt>
          <dd>
            <time dateTime={assignment.due_at}>{formatDateTime(due)}</time> <span className="muted">({formatUtcOffset(due)}, your time)</span>
          </dd>
          <dt>Attempts</dt>
          <dd>
            {assignment.sittings_used} of {assignment.max_attempts} used
          </dd>
        </dl>
        {assignment.status === 'done' || assignment.status === 'late' ? (
          <p className="assignment-result">
            Your result: <strong>{assignment.correct}</strong> of {assignment.question_ids.length} correct ({formatPercent(assignment.correct / assignment.question_ids.length)})
            {assignment.late > 0 ? ` · ${plural(assignment.late, 'answer', 'answers')} after the due date` : ''}
          </p>
        ) : null}
        {held ? <p className="muted">Explanations open after the due date.</p> : null}
      </section>

      <StepPanel step={step} assignment={assignment} sectionsCount={sections.length} onOpen={open} />

      {last?.complete ? <SittingSummary sitting={last} assignment={assignment} /> : null}
    </div>
  );
}

function StepPanel({
  step,
  assignment,
  sectionsCount,
  onOpen,
}: {
  step: ReturnType<typeof nextStep>;
  assignment: MyAssignment;
  sectionsCount: number;
  onOpen: (sittingId: string, section: number) => void;
}) {
  switch (step.kind) {
    case 'upcoming':
      return (
        <section className="card">
          <p>
            This assignment opens <time dateTime={assignment.opens_at}>{formatDateTime(new Date(assignment.opens_at))}</time>.
          </p>
        </section>
      );
    case 'used-up':
      return (
        <section className="card">
          <p>You have used {plural(assignment.max_attempts, 'attempt', 'attempts')} — all this assignment allows.</p>
        </section>
      );
    case 'start':
      return (
        <section className="card stack-sm">
          <p>
            {assignment.mode === 'exam'
              ? `Section 1 of ${sectionsCount} starts its clock as soon as you begin. Once you end a section you cannot go back to it.`
              : step.attemptNumber > 1
                ? `Attempt ${step.attemptNumber} of ${assignment.max_attempts}.`
                : 'It works offline too, once opened here.'}
          </p>
          <p>
            <button type="button" className="button button-primary" onClick={() => onOpen(crypto.randomUUID(), 0)}>
              {assignment.mode === 'exam' ? 'Start the exam' : step.attemptNumber > 1 ? 'Start again' : 'Start'}
            </button>
          </p>
        </section>
      );
    case 'continue':
      return (
        <section className="card stack-sm">
          <p>{sectionsCount > 1 ? `Section ${step.section.index + 1} of ${sectionsCount} is running.` : 'You have started this assignment.'}</p>
          <p>
            <button type="button" className="button button-primary" onClick={() => navigate(`/blocks/${step.section.attempt?.id ?? ''}`)}>
              Continue
            </button>
          </p>
        </section>
      );
    case 'next-section':
      return <BreakPanel sitting={step.sitting} nextIndex={step.section.index} sectionsCount={sectionsCount} onStart={() => onOpen(step.sitting.sittingId, step.section.index)} />;
  }
}

/** Between two exam sections: the shared break pool counting down, and the next section when ready. */
function BreakPanel({
  sitting,
  nextIndex,
  sectionsCount,
  onStart,
}: {
  sitting: SittingState;
  nextIndex: number;
  sectionsCount: number;
  onStart: () => void;
}) {
  const headingId = useId();
  const leftSeconds = (sitting.breakPoolMs - sitting.breakUsedMs) / 1000;
  const over = leftSeconds < 0;
  // Announced once a minute at most (the visible clock ticks every second).
  const spoken = over ? `Break time used up, ${Math.ceil(-leftSeconds / 60)} min over.` : `${Math.ceil(leftSeconds / 60)} min of break time left.`;
  return (
    <section className="card stack-sm assignment-break" aria-labelledby={headingId}>
      <h2 id={headingId}>
        Section {nextIndex} of {sectionsCount} ended — break
      </h2>
      <p className="assignment-break-clock" data-over={over || undefined}>
        {over ? `Break time used up (${formatClock(-leftSeconds)} over)` : `${formatClock(leftSeconds)} of break time left`}
      </p>
      <p className="visually-hidden" aria-live="polite">
        {spoken}
      </p>
      <p className="muted">
        The break time is shared by every gap between sections, and a section ended early adds its unused time to it, as in the real exam.
        Time over it is recorded.
      </p>
      <p>
        <button type="button" className="button button-primary" onClick={onStart}>
          Start section {nextIndex + 1}
        </button>
      </p>
    </section>
  );
}

/** The end of a sitting: each section's score (the server's, when it has them) and its review. */
function SittingSummary({ sitting, assignment }: { sitting: SittingState; assignment: MyAssignment }) {
  const ids = sitting.sections.flatMap((s) => (s.attempt ? [s.attempt.id] : []));
  const scores = useQuery(getAttemptScoresQueryOptions(ids));
  const headingId = useId();
  return (
    <section className="card stack-sm" aria-labelledby={headingId}>
      <h2 id={headingId}>Summary</h2>
      <table className="assignment-summary">
        <thead>
          <tr>
            <th scope="col">Section</th>
            <th scope="col">Questions</th>
            <th scope="col">Correct</th>
            <th scope="col">
              <span className="visually-hidden">Review</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sitting.sections.map((s) => {
            const score = s.attempt ? scores.data?.get(s.attempt.id) : undefined;
            return (
              <tr key={s.index}>
                <th scope="row">{s.index + 1}</th>
                <td>{s.questionIds.length}</td>
                <td>{score ? `${score.correct} (${formatPercent(score.correct / s.questionIds.length)})` : scores.isPending ? '…' : '—'}</td>
                <td>{s.attempt ? <Link href={`/blocks/${s.attempt.id}/review`}>Review section {s.index + 1}</Link> : null}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {assignment.mode === 'exam' ? <p className="muted">Break time taken: {formatClock(sitting.breakUsedMs / 1000)}.</p> : null}
    </section>
  );
}
