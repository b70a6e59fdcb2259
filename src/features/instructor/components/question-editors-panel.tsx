import './instructor.css';
import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { addQuestionEditorMutationOptions, editorEmailSchema } from '@/features/instructor/api/add-question-editor';
import { getQuestionAuthorsQueryOptions } from '@/features/instructor/api/get-question-authors';
import { getQuestionEditorsQueryOptions } from '@/features/instructor/api/get-question-editors';
import { removeQuestionEditorMutationOptions } from '@/features/instructor/api/remove-question-editor';
import { WriteError } from '@/components/write-failure';

/**
 * The author's editors (instructors who may change and publish all of the author's questions): add one
 * by email, remove one; and whose questions the instructor may edit in turn.
 */
export function QuestionEditorsPanel() {
  const editors = useQuery({ ...getQuestionEditorsQueryOptions(), throwOnError: (_e, q) => q.state.data === undefined });
  const authors = useQuery(getQuestionAuthorsQueryOptions());
  const [email, setEmail] = useState('');
  const [localError, setLocalError] = useState('');
  const [notice, setNotice] = useState('');
  const inputId = useId();
  const errorId = useId();

  const addOptions = addQuestionEditorMutationOptions();
  const add = useMutation(addOptions);
  const remove = useMutation(removeQuestionEditorMutationOptions());

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setNotice('');
    const parsed = editorEmailSchema.safeParse(email);
    if (!parsed.success) {
      setLocalError(parsed.error.issues[0]?.message ?? 'Check the email address');
      return;
    }
    setLocalError('');
    add.mutate(parsed.data, {
      onSuccess: (editor) => {
        setEmail('');
        setNotice(`${editor.display_name} can now edit your questions.`);
      },
    });
  }

  const invalid = localError !== '' || add.isError;
  const editableFor = (authors.data ?? []).filter((a) => a.can_edit && !a.is_me);

  return (
    <section className="card stack-sm" aria-labelledby="question-editors-heading">
      <h2 id="question-editors-heading">Editors of your questions</h2>
      <p className="muted">Editors can change and publish all of your questions. Only instructors can be editors.</p>
      {editors.data === undefined ? (
        <p role="status" className="muted">
          Loading your editors…
        </p>
      ) : editors.data.length === 0 ? (
        <p className="muted">No editors yet: only you can change your questions.</p>
      ) : (
        <ul className="instructor-list" aria-label="Your editors">
          {editors.data.map((e) => (
            <li key={e.editor_id} className="row">
              <span>{e.display_name}</span>
              <button
                type="button"
                className="button"
                disabled={remove.isPending && remove.variables === e.editor_id}
                onClick={() => {
                  setNotice('');
                  remove.mutate(e.editor_id, { onSuccess: () => setNotice(`${e.display_name} can no longer edit your questions.`) });
                }}
                aria-label={`Remove ${e.display_name} as an editor`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="stack-sm" onSubmit={handleSubmit} noValidate aria-label="Add an editor">
        <div className="field">
          <label htmlFor={inputId}>Add an editor by email</label>
          <div className="row">
            <input
              id={inputId}
              type="email"
              autoComplete="off"
              value={email}
              maxLength={320}
              onChange={(e) => {
                setEmail(e.target.value);
                setLocalError('');
                if (!add.isPending) add.reset();
              }}
              aria-invalid={invalid ? true : undefined}
              aria-describedby={errorId}
            />
            <button type="submit" className="button button-primary" disabled={add.isPending || email.trim() === ''}>
              {add.isPending ? 'Adding…' : 'Add editor'}
            </button>
          </div>
          <WriteError id={errorId} error={add.error} meta={addOptions.meta} message={localError} />
        </div>
      </form>
      <p role="status">{notice}</p>
      {editableFor.length > 0 ? (
        <p className="muted">You are an editor of the questions of {editableFor.map((a) => a.display_name).join(', ')}.</p>
      ) : null}
    </section>
  );
}
