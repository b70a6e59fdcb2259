import './instructor.css';
import { useMutation, useQuery } from '@tanstack/react-query';
import { getQuestionAuthorsQueryOptions } from '@/features/instructor/api/get-question-authors';
import { getQuestionsQueryOptions } from '@/features/instructor/api/get-questions';
import { setQuestionPublishedMutationOptions, VersionConflictError } from '@/features/instructor/api/save-question';
import { exportQuestionsMutationOptions, type QuestionExportFormat } from '@/features/instructor/api/export-questions';
import { downloadBlob } from '@/lib/download-csv';
import { authorLabel, ownershipOf } from '@/features/instructor/model/ownership';
import { Link } from '@/components/link';
import { WriteError } from '@/components/write-failure';
import { taxonomyLabel } from '@/lib/taxonomy';

/**
 * The bank as the instructor can read it (published questions, and the drafts of authors they edit for),
 * with who wrote each, and publish/unpublish where they may change it.
 */
export function QuestionList() {
  const questions = useQuery({ ...getQuestionsQueryOptions(), throwOnError: (_e, q) => q.state.data === undefined });
  const authors = useQuery({ ...getQuestionAuthorsQueryOptions(), throwOnError: (_e, q) => q.state.data === undefined });
  const options = setQuestionPublishedMutationOptions();
  const publish = useMutation(options);
  const exportQuestions = useMutation(exportQuestionsMutationOptions());
  const ownCount = questions.data && authors.data ? questions.data.filter((q) => ownershipOf(q.created_by, authors.data).kind === 'mine').length : 0;
  const exportButton = (format: QuestionExportFormat, label: string) => (
    <button
      type="button"
      className="button"
      disabled={ownCount === 0 || exportQuestions.isPending}
      onClick={() => exportQuestions.mutate(format, { onSuccess: ({ blob, fileName }) => downloadBlob(blob, fileName) })}
    >
      {exportQuestions.isPending && exportQuestions.variables === format ? 'Preparing…' : label}
    </button>
  );

  return (
    <div className="stack">
      <div className="row">
        <Link className="button button-primary" href="/instructor/questions/new">
          New question
        </Link>
        <Link className="button" href="/instructor/import">
          Import questions
        </Link>
        {exportButton('moodle', 'Export Moodle XML')}
        {exportButton('qti', 'Export QTI 2.1 (.zip)')}
      </div>
      <p className="muted small">
        {ownCount === 0
          ? 'Export covers your own questions; you have none yet.'
          : `Export covers your own ${ownCount === 1 ? 'question' : `${ownCount} questions`}, drafts included, with their images.`}
      </p>
      <WriteError
        error={publish.error}
        meta={options.meta}
        message={publish.error instanceof VersionConflictError ? 'Someone changed that question since the list loaded; the list is refreshed — try again.' : ''}
      />
      {questions.data === undefined || authors.data === undefined ? (
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
                <th scope="col">Author</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {questions.data.map((q) => {
                const ownership = ownershipOf(q.created_by, authors.data);
                return (
                  <tr key={q.id}>
                    <td>{q.id}</td>
                    <th scope="row" className="stem-cell">
                      <Link href={`/instructor/questions/${q.id}`}>{q.stem.length > 110 ? `${q.stem.slice(0, 110)}…` : q.stem}</Link>
                    </th>
                    <td>{taxonomyLabel(q.organ_system)}</td>
                    <td>{taxonomyLabel(q.discipline)}</td>
                    <td>{authorLabel(ownership)}</td>
                    <td>{q.published ? <span className="badge">Published</span> : <span className="badge badge-alt">Draft</span>}</td>
                    <td>
                      {ownership.canEdit ? (
                        <button
                          type="button"
                          className="button"
                          disabled={publish.isPending && publish.variables.id === q.id}
                          onClick={() => publish.mutate({ id: q.id, expectedVersion: q.version, published: !q.published })}
                          aria-label={`${q.published ? 'Unpublish' : 'Publish'} question ${q.id}`}
                        >
                          {q.published ? 'Unpublish' : 'Publish'}
                        </button>
                      ) : (
                        <span className="muted small">Read only</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
