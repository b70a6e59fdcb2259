import './account.css';
import { useId, useState, type FormEvent } from 'react';
import { useMutation, type QueryKey } from '@tanstack/react-query';
import { joinCohortMutationOptions } from '@/features/account/api/join-cohort';
import { isInstructorCannotJoinError, normaliseJoinCode } from '@/features/account/model/join-code';
import { WriteError } from '@/components/write-failure';
import { describeWriteFailure } from '@/lib/errors';

/**
 * Join a cohort by the code an instructor shared. `alsoInvalidates` lets the app refresh what other
 * features derive from membership (stats, percentiles) without this feature knowing them.
 */
export function JoinCohortForm({ alsoInvalidates }: { alsoInvalidates?: readonly QueryKey[] }) {
  const [code, setCode] = useState('');
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();

  const options = joinCohortMutationOptions(alsoInvalidates);
  const mutation = useMutation(options);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (code === '' || mutation.isPending) return;
    mutation.mutate(code, { onSuccess: () => setCode('') });
  }

  // An instructor's attempt is not a mistake to fix: it gets the server's explanation as a calm note.
  const isNote = mutation.isError && isInstructorCannotJoinError(mutation.error);
  const error = isNote ? null : mutation.error;
  const status = mutation.isSuccess ? `You joined ${mutation.data.name}.` : isNote ? describeWriteFailure(mutation.error, options.meta) : '';

  return (
    <form className="stack" onSubmit={handleSubmit} aria-labelledby="join-cohort-heading">
      <h2 id="join-cohort-heading">Join a cohort</h2>
      <div className="field">
        <label htmlFor={inputId}>Join code</label>
        <div className="row">
          <input
            id={inputId}
            className="join-code-input"
            type="text"
            inputMode="text"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            value={code}
            onChange={(e) => {
              setCode(normaliseJoinCode(e.target.value));
              if (!mutation.isPending) mutation.reset();
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${hintId} ${errorId}` : hintId}
          />
          <button type="submit" className="button button-primary" disabled={mutation.isPending || code === ''}>
            {mutation.isPending ? 'Joining…' : 'Join'}
          </button>
        </div>
        <p id={hintId} className="muted">
          Your instructor shares this code, e.g. ROUNDS28. Spaces and case don't matter.
        </p>
      </div>
      <p role="status">{status}</p>
      <WriteError id={errorId} error={error} meta={options.meta} />
    </form>
  );
}
