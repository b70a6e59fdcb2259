import './recent-blocks.css';
import { useId } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Attempt } from '@/answer-sync/shapes';
import { getRecentAttemptsQueryOptions } from '@/features/quiz/api/attempts';
import { getAttemptScoresQueryOptions, type AttemptScore } from '@/features/quiz/api/get-attempt-scores';
import { LoadingNote } from '@/components/loading-note';
import { Link } from '@/components/link';
import { formatDateTime } from '@/lib/format';

/** The student's latest blocks: continue an unfinished one, review a finished one. */
export function RecentBlocks() {
  const attempts = useQuery({ ...getRecentAttemptsQueryOptions(), throwOnError: (_error, q) => q.state.data === undefined });
  const ids = attempts.data?.map((a) => a.id) ?? [];
  // Scores are a nice-to-have: if they fail, the list still renders without them (no throwOnError).
  const scores = useQuery(getAttemptScoresQueryOptions(ids));

  return (
    <section className="card stack recent-blocks" aria-labelledby="recent-blocks-heading">
      <h2 id="recent-blocks-heading">Recent blocks</h2>
      {attempts.data === undefined ? (
        <LoadingNote what="your recent blocks" failureReason={attempts.failureReason} />
      ) : attempts.data.length === 0 ? (
        <p className="muted">No blocks yet. Create your first block to start practising.</p>
      ) : (
        <ul className="block-list">
          {attempts.data.map((attempt) => (
            <BlockItem key={attempt.id} attempt={attempt} score={scores.data?.get(attempt.id)} />
          ))}
        </ul>
      )}
    </section>
  );
}

function BlockItem({ attempt, score }: { attempt: Attempt; score: AttemptScore | undefined }) {
  const titleId = useId();
  const size = attempt.question_ids.length;
  const finished = attempt.completed_at !== null;
  let detail: string;
  if (finished) {
    detail = score ? `${score.correct} of ${size} correct (${Math.round((100 * score.correct) / size)}\u00a0%)` : 'Finished';
  } else {
    detail = score ? `In progress · ${score.answered} of ${size} answered` : 'In progress';
  }

  return (
    <li className="block-item">
      <div className="block-text" id={titleId}>
        <p className="block-title">
          {attempt.kind === 'live' ? 'Live session' : attempt.mode === 'timed' ? 'Timed' : 'Tutor'} · {size} {size === 1 ? 'question' : 'questions'}
        </p>
        <p className="muted">
          <time dateTime={attempt.started_at}>{formatDateTime(new Date(attempt.started_at))}</time> · {detail}
        </p>
      </div>
      {/* aria-describedby tells the many "Review" links apart without changing their names. */}
      {finished || (attempt.kind === 'live' && attempt.live_session_id === null) ? (
        <Link href={`/blocks/${attempt.id}/review`} className="button" aria-describedby={titleId}>
          Review
        </Link>
      ) : attempt.kind === 'live' ? (
        // A live block is never continued in the player: back to its session while it runs.
        <Link href={`/live/${attempt.live_session_id}`} className="button button-primary" aria-describedby={titleId}>
          Rejoin
        </Link>
      ) : (
        <Link href={`/blocks/${attempt.id}`} className="button button-primary" aria-describedby={titleId}>
          Continue
        </Link>
      )}
    </li>
  );
}
