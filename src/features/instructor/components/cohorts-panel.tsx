import './instructor.css';
import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { cohortNameSchema, createCohortMutationOptions } from '@/features/instructor/api/create-cohort';
import { getInstructedCohortsQueryOptions, type InstructedCohort } from '@/features/instructor/api/get-instructed-cohorts';
import { Link } from '@/components/link';
import { WriteError } from '@/components/write-failure';

/** The instructor's cohorts with their join codes, and the form to start a new one. */
export function CohortsPanel() {
  const cohorts = useQuery({ ...getInstructedCohortsQueryOptions(), throwOnError: (_e, q) => q.state.data === undefined });
  return (
    <div className="stack">
      <CreateCohortForm />
      <section className="card stack-sm" aria-labelledby="cohorts-heading">
        <h2 id="cohorts-heading">Your cohorts</h2>
        {cohorts.data === undefined ? (
          <p role="status" className="muted">
            Loading your cohorts…
          </p>
        ) : cohorts.data.length === 0 ? (
          <p className="muted">No cohorts yet. Create one above and share its join code with your students.</p>
        ) : (
          <ul className="instructor-list">
            {cohorts.data.map((c) => (
              <li key={c.id} className="row">
                <Link href={`/instructor/cohorts/${c.id}`}>{c.name}</Link>
                <span className="muted">
                  Join code <code className="join-code">{c.join_code}</code>
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function CreateCohortForm() {
  const [name, setName] = useState('');
  const [localError, setLocalError] = useState('');
  const [created, setCreated] = useState<InstructedCohort | null>(null);
  const inputId = useId();
  const errorId = useId();
  const options = createCohortMutationOptions();
  const mutation = useMutation(options);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = cohortNameSchema.safeParse(name);
    if (!parsed.success) {
      setLocalError(parsed.error.issues[0]?.message ?? 'Check the name');
      return;
    }
    setLocalError('');
    mutation.mutate(parsed.data, {
      onSuccess: (cohort) => {
        setCreated(cohort);
        setName('');
      },
    });
  }
  const invalid = localError !== '' || mutation.isError;

  return (
    <form className="card stack-sm" onSubmit={handleSubmit} aria-labelledby="create-cohort-heading" noValidate>
      <h2 id="create-cohort-heading">Create a cohort</h2>
      <div className="field">
        <label htmlFor={inputId}>Cohort name</label>
        <div className="row">
          <input
            id={inputId}
            type="text"
            value={name}
            maxLength={120}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={invalid ? true : undefined}
            aria-describedby={errorId}
          />
          <button type="submit" className="button button-primary" disabled={mutation.isPending}>
            {mutation.isPending ? 'Creating…' : 'Create cohort'}
          </button>
        </div>
        <WriteError id={errorId} error={mutation.error} meta={options.meta} message={localError} />
      </div>
      {created ? (
        <div className="created-cohort" role="status">
          <p>
            <strong>{created.name}</strong> is ready. Students join with the code{' '}
            <code className="join-code join-code-large">{created.join_code}</code>
          </p>
          <Link href={`/instructor/cohorts/${created.id}`}>Open {created.name}</Link>
        </div>
      ) : null}
    </form>
  );
}
