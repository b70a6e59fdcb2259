/**
 * Review of one finished block. Questions come from the cached bank (so review works offline once the
 * bank is on the device), the student's graded answers from the server. Answers given offline may not
 * have reached the server yet: the review re-reads them a few times, and for as long as this device's
 * outbox still holds answers of the block, and says so instead of calling them unanswered.
 */
import './review.css';
import { useId, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import type { Attempt } from '@/answer-sync/shapes';
import { useDeviceAnswers, useQueuedQuestionIds } from '@/answer-sync/use-block-sync';
import type { DeviceAnswer } from '@/answer-sync/block-ledger';
import {
  getAttemptAnswersQueryOptions,
  getAttemptQueryOptions,
  getChoiceDistributionQueryOptions,
  type StoredAnswer,
} from '@/features/quiz/api/attempts';
import { getBankQueryOptions, type Question } from '@/features/quiz/api/get-bank';
import { LoadingNote } from '@/components/loading-note';
import { mediaPaths } from '@/lib/question-media';
import { formatDateTime } from '@/lib/format';
import type { MyAssignment } from '@/features/quiz/api/get-my-assignments';
import { explanationsHeld } from '@/features/quiz/model/assignment';
import { useMyAssignment, useSittings } from '@/features/quiz/components/use-assignment';
import { ReviewQuestion, type PeerState } from '@/features/quiz/components/review/review-question';
import type { CardDeck } from '@/features/quiz/model/cards/deck';
import { WidgetBoundary } from '@/components/error-boundaries';
import { Link } from '@/components/link';

/** Re-reads of the answers while some are missing (initial read + 3), 2 s apart: enough for a queue to drain. */
const ANSWER_CHECKS = 4;
const ANSWER_CHECK_INTERVAL_MS = 2000;

const FILTERS = ['all', 'incorrect', 'marked'] as const;
type Filter = (typeof FILTERS)[number];

/** PostgREST's "no row" for `.single()`: the block does not exist or is not the caller's (RLS). */
const notFoundSchema = z.object({ code: z.literal('PGRST116') });
const isNotFound = (error: unknown) => notFoundSchema.safeParse(error).success;

/**
 * `deck`: the student's spaced-review cards — undefined while they are built (the list waits, so the
 * card sections never push the page down after it is shown), null when they cannot be (no cards shown).
 */
export function BlockReview({ attemptId, deck }: { attemptId: string; deck: CardDeck | null | undefined }) {
  const attempt = useQuery({
    ...getAttemptQueryOptions(attemptId),
    throwOnError: (error, q) => q.state.data === undefined && !isNotFound(error),
  });

  if (attempt.isError && attempt.data === undefined) {
    return (
      <section className="card stack">
        <h1>Block not found</h1>
        <p>This block doesn't exist or belongs to another account. Pick a block from your recent blocks on the home page.</p>
        <div>
          <Link href="/" className="button">
            Go home
          </Link>
        </div>
      </section>
    );
  }
  if (attempt.data === undefined) return <LoadingNote what="your block" failureReason={attempt.failureReason} />;
  if (attempt.data.completed_at === null && attempt.data.kind === 'live' && attempt.data.live_session_id !== null) {
    return (
      <section className="card stack">
        <h1>This live session is still running</h1>
        <p>Its answers and explanations are reviewed here once the session ends.</p>
        <div>
          <Link href={`/live/${attempt.data.live_session_id}`} className="button button-primary">
            Back to the live session
          </Link>
        </div>
      </section>
    );
  }
  if (attempt.data.completed_at === null) {
    return (
      <section className="card stack">
        <h1>This block isn't finished yet</h1>
        <p>Answers and explanations are reviewed once a block ends. Continue it where you left off.</p>
        <div>
          <Link href={`/blocks/${attemptId}`} className="button button-primary">
            Continue the block
          </Link>
        </div>
      </section>
    );
  }
  if (attempt.data.assignment_id !== null) return <AssignmentBlockReview attempt={attempt.data} deck={deck} />;
  return <ReviewContent attempt={attempt.data} deck={deck} holdExplanations={false} />;
}

/**
 * A section of an assignment: in exam mode its review waits until the whole sitting has ended (no
 * looking back at one section while another is still to come); explanations wait for the due date when
 * the instructor chose so.
 */
function AssignmentBlockReview({ attempt, deck }: { attempt: Attempt; deck: CardDeck | null | undefined }) {
  const { assignment, list } = useMyAssignment(attempt.assignment_id);
  if (assignment === undefined) {
    if (list.data === undefined) return <LoadingNote what="your assignment" failureReason={list.failureReason} />;
    // No longer one of the student's (removed, or they left the cohort): an ordinary block's review.
    return <ReviewContent attempt={attempt} deck={deck} holdExplanations={false} />;
  }
  return <AssignmentSectionReview assignment={assignment} attempt={attempt} deck={deck} />;
}

function AssignmentSectionReview({ assignment, attempt, deck }: { assignment: MyAssignment; attempt: Attempt; deck: CardDeck | null | undefined }) {
  const { sittings, now } = useSittings(assignment);
  const sitting = sittings.find((s) => s.sittingId === attempt.sitting_id);
  if (assignment.mode === 'exam' && sitting && !sitting.complete) {
    return (
      <section className="card stack">
        <h1>Reviews open at the end of the exam</h1>
        <p>Each section can be reviewed once every section of this sitting has ended.</p>
        <div>
          <Link href={`/assignments/${assignment.id}`} className="button button-primary">
            Back to the assignment
          </Link>
        </div>
      </section>
    );
  }
  return <ReviewContent attempt={attempt} deck={deck} holdExplanations={explanationsHeld(assignment, now)} />;
}

function ReviewContent({ attempt, deck, holdExplanations }: { attempt: Attempt; deck: CardDeck | null | undefined; holdExplanations: boolean }) {
  const queryClient = useQueryClient();
  const filterName = useId();
  const [filter, setFilter] = useState<Filter>('all');
  const expected = attempt.question_ids.length;

  // Answers of this block still waiting in this device's outbox (paused offline or in flight).
  const queuedQuestionIds = useQueuedQuestionIds(attempt.id);
  // Every answer this device gave in the block, for what the server does not have (yet) or cannot be reached for.
  const onDevice = useDeviceAnswers(attempt.id);

  const bank = useQuery({ ...getBankQueryOptions(), throwOnError: (_e, q) => q.state.data === undefined });
  const answers = useQuery({
    ...getAttemptAnswersQueryOptions(attempt.id),
    throwOnError: (_e, q) => q.state.data === undefined,
    refetchInterval: (q) => {
      const missing = expected - (q.state.data?.length ?? 0);
      if (missing <= 0) return false;
      return q.state.dataUpdateCount < ANSWER_CHECKS || queuedQuestionIds.size > 0 ? ANSWER_CHECK_INTERVAL_MS : false;
    },
  });
  // Not thrown: the questions are the point of the page; peer shares are extra (their failure is shown once, below).
  const distribution = useQuery(getChoiceDistributionQueryOptions(attempt.question_ids));
  // The block's images, signed in one request once the questions are known (offline: this device's
  // copies); the figures wait for the URLs, not the page.
  const imagePaths = useMemo(() => {
    const blockIds = new Set(attempt.question_ids);
    return (bank.data ?? []).filter((q) => blockIds.has(q.id)).flatMap((q) => mediaPaths(q.media));
  }, [bank.data, attempt.question_ids]);

  if (bank.data === undefined) return <LoadingNote what="the questions" failureReason={bank.failureReason} />;
  // Without the server's copy (offline), the answers this device gave stand in for it.
  if (answers.data === undefined && onDevice.length === 0) return <LoadingNote what="your answers" failureReason={answers.failureReason} />;
  if (deck === undefined) return <LoadingNote what="your review schedule" failureReason={null} />;

  const questions = new Map(bank.data.map((q) => [q.id, q]));
  const byQuestion = reviewedAnswers(answers.data ?? [], onDevice, questions);
  const shownAnswers = [...byQuestion.values()];
  const fromDevice = answers.data === undefined;
  const marked = new Set(attempt.marked_question_ids);
  const missing = attempt.question_ids.filter((id) => !byQuestion.has(id));
  const onServer = new Set((answers.data ?? []).map((a) => a.question_id));
  const syncing = attempt.question_ids.filter((id) => !onServer.has(id) && queuedQuestionIds.has(id)).length;
  // The observer result has no update count; reading dataUpdatedAt re-renders this after every re-read.
  const reads = answers.dataUpdatedAt > 0 ? (queryClient.getQueryState(getAttemptAnswersQueryOptions(attempt.id).queryKey)?.dataUpdateCount ?? 0) : 0;
  const stillChecking = missing.length > 0 && syncing === 0 && reads < ANSWER_CHECKS;
  const correct = shownAnswers.filter((a) => a.is_correct).length;
  const incorrectIds = attempt.question_ids.filter((id) => byQuestion.get(id)?.is_correct === false);

  const items = attempt.question_ids
    .map((id, index) => ({ id, position: index + 1 }))
    .filter(({ id }) => (filter === 'incorrect' ? byQuestion.get(id)?.is_correct === false : filter === 'marked' ? marked.has(id) : true));

  function peersFor(id: number): PeerState {
    if (distribution.data) return { status: 'ready', row: distribution.data.get(id) };
    return distribution.isError ? { status: 'unavailable' } : { status: 'loading' };
  }

  const counts: Record<Filter, number> = { all: expected, incorrect: incorrectIds.length, marked: marked.size };
  const labels: Record<Filter, string> = { all: 'All', incorrect: 'Incorrect', marked: 'Marked' };

  return (
    <div className="stack">
      <ReviewSummary
        attempt={attempt}
        answers={shownAnswers}
        correct={correct}
        unanswered={syncing > 0 || stillChecking ? 0 : missing.length}
      />

      {fromDevice ? (
        <p role="status" className="sync-note">
          Offline — these are the answers saved on this device, marked against the question's key; the server's copy loads when you
          reconnect.
        </p>
      ) : null}

      {syncing > 0 ? (
        <p role="status" className="sync-note">
          {syncing === 1 ? '1 answer is' : `${syncing} answers are`} still syncing — this review updates when{' '}
          {syncing === 1 ? 'it arrives' : 'they arrive'}.
        </p>
      ) : stillChecking ? (
        <p role="status" className="sync-note">
          Checking for {missing.length === 1 ? '1 answer' : `${missing.length} answers`} that may still be syncing…
        </p>
      ) : null}

      <WidgetBoundary title="How your cohort answered">
        <PeerDistributionStatus questionIds={attempt.question_ids} />
      </WidgetBoundary>

      <fieldset className="review-filter">
        <legend>Show</legend>
        {FILTERS.map((f) => (
          <label key={f}>
            <input type="radio" name={filterName} value={f} checked={filter === f} onChange={() => setFilter(f)} />
            {labels[f]} ({counts[f]})
          </label>
        ))}
      </fieldset>

      {items.length === 0 ? (
        <p className="muted">{filter === 'incorrect' ? 'No incorrect answers in this block — well done.' : 'You did not mark any questions in this block.'}</p>
      ) : (
        <ol className="review-list" aria-label={`${labels[filter]} questions`}>
          {items.map(({ id, position }) => (
            <li key={id}>
              <ReviewQuestion
                position={position}
                total={expected}
                questionId={id}
                question={questions.get(id)}
                answer={byQuestion.get(id)}
                marked={marked.has(id)}
                peers={peersFor(id)}
                card={deck?.get(id)}
                holdExplanation={holdExplanations}
                imagePaths={imagePaths}
              />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s} s`;
  return `${s} s`;
}

function ReviewSummary({ attempt, answers, correct, unanswered }: { attempt: Attempt; answers: StoredAnswer[]; correct: number; unanswered: number }) {
  const total = attempt.question_ids.length;
  const spent = answers.reduce((sum, a) => sum + a.time_spent_ms, 0);
  const pct = Math.round((100 * correct) / total);

  return (
    <section className="card stack-sm review-summary" aria-labelledby="review-heading">
      <h1 id="review-heading">Block review</h1>
      <p className="muted">
        {attempt.kind === 'live' ? 'Live session' : attempt.mode === 'timed' ? 'Timed block' : 'Tutor block'} · started <time dateTime={attempt.started_at}>{formatDateTime(new Date(attempt.started_at))}</time>
      </p>
      <dl className="review-stats">
        <div>
          <dt>Score</dt>
          <dd>
            {correct} of {total} correct ({pct}&nbsp;%)
          </dd>
        </div>
        <div>
          <dt>Time</dt>
          <dd>
            {formatDuration(spent)}
            {answers.length > 0 ? ` · ${formatDuration(spent / answers.length)} per question` : ''}
            {attempt.time_limit_seconds !== null ? ` · limit ${formatDuration(attempt.time_limit_seconds * 1000)}` : ''}
          </dd>
        </div>
        <div>
          <dt>Marked</dt>
          <dd>{attempt.marked_question_ids.length}</dd>
        </div>
        {unanswered > 0 ? (
          <div>
            <dt>Not answered</dt>
            <dd>{unanswered}</dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}

/**
 * The peer-distribution widget's visible part: one line about what the percentages mean. It shares
 * the query with the questions (one request); when that fails it throws here, so the student sees a
 * single "Try again" above the questions instead of one per question.
 */
function PeerDistributionStatus({ questionIds }: { questionIds: readonly number[] }) {
  const query = useQuery({
    ...getChoiceDistributionQueryOptions(questionIds),
    throwOnError: (_e, q) => q.state.data === undefined,
  });
  if (query.data === undefined) return <LoadingNote what="how your cohort answered" failureReason={query.failureReason} />;
  const shown = query.data.size;
  return (
    <p className="muted">
      {shown === 0
        ? 'Not enough peers yet — how your cohort answered appears once 5 classmates have answered a question.'
        : `Percentages next to the choices show how your cohort answered on their first try (${shown} of ${questionIds.length} questions have enough peers).`}
    </p>
  );
}

/**
 * The block's answers by question: the server's (graded there), and for a question it has no answer to
 * yet, the one this device gave — graded by the server's outcome when the device has it, else against the
 * question's key as the player does offline (display only: the server grades what it stores).
 */
function reviewedAnswers(server: readonly StoredAnswer[], onDevice: readonly DeviceAnswer[], questions: ReadonlyMap<number, Question>): Map<number, StoredAnswer> {
  const out = new Map<number, StoredAnswer>();
  for (const { answer, outcome } of onDevice) {
    const key = questions.get(answer.question_id)?.correct_choice;
    const isCorrect = outcome?.is_correct ?? (key === undefined ? null : key === answer.choice);
    if (isCorrect === null) continue;
    out.set(answer.question_id, {
      id: answer.id,
      question_id: answer.question_id,
      choice: answer.choice,
      is_correct: isCorrect,
      time_spent_ms: answer.time_spent_ms,
      answered_at: answer.answered_at,
    });
  }
  for (const a of server) out.set(a.question_id, a);
  return out;
}
