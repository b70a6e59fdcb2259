import './instructor.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getQuestionsQueryOptions } from '@/features/instructor/api/get-questions';
import { instructorKeys } from '@/features/instructor/api/keys';
import { setQuestionPublished, VersionConflictError } from '@/features/instructor/api/save-question';
import { Link } from '@/components/link';
import { taxonomyLabel } from '@/lib/taxonomy';
import { getErrorMessage } from '@/lib/errors';

/** The whole bank, drafts included, with publish/unpublish per question. */
export function QuestionList() {
  const queryClient = useQueryClient();
  const questions = useQuery({ ...getQuestionsQueryOptions(), throwOnError: (_e, q) => q.state.data === undefined });
  const publish = useMutation({
    mutationFn: setQuestionPublished,
    onSuccess: (row) => {
      queryClient.setQueryData(getQuestionsQueryOptions().queryKey, (old) => old?.map((q) => (q.id === row.id ? row : q)));
      queryClient.setQueryData(instructorKeys.question(row.id), row);
    },
    // A conflict means someone edited it meanwhile: show the current list so the next click is informed.
    onError: (error) => {
      if (error instanceof VersionConflictError) void queryClient.invalidateQueries({ queryKey: instructorKeys.questions() });
    },
  });

  return (
    <div className="stack">
      <div className="row">
        <Link className="button button-primary" href="/instructor/questions/new">
          New question
        </Link>
        <Link className="button" href="/instructor/import">
          Import questions
        </Link>
      </div>
      {publish.isError ? (
        <p className="form-error" role="alert">
          {publish.error instanceof VersionConflictError
            ? 'Someone changed that question since the list loaded; the list is refreshed — try again.'
            : getErrorMessage(publish.error)}
        </p>
      ) : null}
      {questions.data === undefined ? (
        <p role="status" className="muted">
          Loading questions…
        </p>
      ) : (
        <div className="table-scroll card" tabIndex={0} role="region" aria-label="Questions">
          <table className="data-table">
            <caption className="visually-hidden">Questions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">ID</th>
                <th scope="col">Stem</th>
                <th scope="col">Organ system</th>
                <th scope="col">Discipline</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {questions.data.map((q) => (
                <tr key={q.id}>
                  <td>{q.id}</td>
                  <th scope="row" className="stem-cell">
                    <Link href={`/instructor/questions/${q.id}`}>{q.stem.length > 110 ? `${q.stem.slice(0, 110)}…` : q.stem}</Link>
                  </th>
                  <td>{taxonomyLabel(q.organ_system)}</td>
                  <td>{taxonomyLabel(q.discipline)}</td>
                  <td>{q.published ? <span className="badge">Published</span> : <span className="badge badge-alt">Draft</span>}</td>
                  <td>
                    <button
                      type="button"
                      className="button"
                      disabled={publish.isPending && publish.variables.id === q.id}
                      onClick={() => publish.mutate({ id: q.id, expectedVersion: q.version, published: !q.published })}
                      aria-label={`${q.published ? 'Unpublish' : 'Publish'} question ${q.id}`}
                    >
                      {q.published ? 'Unpublish' : 'Publish'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
