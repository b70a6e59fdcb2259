import './account.css';
import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { joinCohort, type JoinedCohort } from '@/features/account/api/join-cohort';
import { getJoinCohortErrorMessage, isInstructorCannotJoinError, normaliseJoinCode } from '@/features/account/model/join-code';
import { accountKeys, accountMutationKeys } from '@/features/account/api/keys';

/**
 * Join a cohort by the code an instructor shared. `onJoined` lets the app refresh what other features
 * derive from membership (stats, percentiles, leaderboards) without this feature knowing them.
 */
export function JoinCohortForm({ onJoined }: { onJoined?: (cohort: JoinedCohort) => Promise<unknown> | void }) {
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();

  const mutation = useMutation({
    mutationKey: accountMutationKeys.joinCohort,
    mutationFn: joinCohort,
    onSuccess: async (cohort) => {
      setCode('');
      await Promise.all([queryClient.invalidateQueries({ queryKey: accountKeys.cohorts() }), onJoined?.(cohort)]);
    },
  });

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (code === '' || mutation.isPending) return;
    mutation.mutate(code);
  }

  // An instructor's attempt is not a mistake to fix: it gets the server's explanation as a calm note.
  const isNote = mutation.isError && isInstructorCannotJoinError(mutation.error);
  const errorMessage = mutation.isError && !isNote ? getJoinCohortErrorMessage(mutation.error) : '';
  const status = mutation.isSuccess ? `You joined ${mutation.data.name}.` : isNote ? getJoinCohortErrorMessage(mutation.error) : '';

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
            aria-invalid={errorMessage ? true : undefined}
            aria-describedby={errorMessage ? `${hintId} ${errorId}` : hintId}
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
      <p id={errorId} role="alert" className="form-error">
        {errorMessage}
      </p>
    </form>
  );
}
