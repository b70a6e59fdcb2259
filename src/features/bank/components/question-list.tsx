import { useQuery } from '@tanstack/react-query';
import { getQuestionsQueryOptions } from '@/features/bank/api/get-questions';
import { getErrorMessage } from '@/lib/errors';

const STEM_PREVIEW_LENGTH = 160;

/** Cuts at a word boundary so previews never end mid-word. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

export function QuestionList({ limit = 20 }: { limit?: number }) {
  const query = useQuery(getQuestionsQueryOptions({ limit }));

  if (query.isPending) {
    return (
      <p role="status" className="muted">
        Loading questions…
      </p>
    );
  }

  if (query.isError) {
    return (
      <div role="alert" className="card stack">
        <p>{getErrorMessage(query.error)}</p>
        <button type="button" className="button" onClick={() => void query.refetch()} disabled={query.isFetching}>
          Try again
        </button>
      </div>
    );
  }

  if (query.data.length === 0) {
    return <p className="muted">No questions are published yet.</p>;
  }

  return (
    <ol className="question-list" aria-label="Questions">
      {query.data.map((q) => (
        <li key={q.id} className="question-card">
          <p className="question-stem">{truncate(q.stem, STEM_PREVIEW_LENGTH)}</p>
          <p className="question-meta">
            <span className="badge">{q.organ_system}</span>
            <span className="badge badge-alt">{q.discipline}</span>
            <span className="muted">Difficulty {q.difficulty} of 5</span>
          </p>
        </li>
      ))}
    </ol>
  );
}
