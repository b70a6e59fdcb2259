/**
 * "Start a live session" for one cohort: a title; the questions (by filters, by hand, or an assignment's
 * first 40 — the assignment form's picker); seconds per question and the choices delay. Checked as the
 * server checks (model/live-draft.ts), inserted with an id made once per form, then the host screen
 * opens with the timing in its address (a reload there keeps it).
 */
import './assignments.css';
import { useId, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { getCohortAssignmentsQueryOptions } from '@/features/instructor/api/get-assignments';
import { getInstructedCohortQueryOptions } from '@/features/instructor/api/get-instructed-cohorts';
import { getOpenLiveSessionQueryOptions } from '@/features/instructor/api/get-open-live-session';
import { getQuestionsQueryOptions } from '@/features/instructor/api/get-questions';
import { startLiveSessionMutationOptions } from '@/features/instructor/api/start-live-session';
import { Field, QuestionPicker, useQuestionPicker } from '@/features/instructor/components/question-picker';
import { checkLiveDraft, LIVE_TIMING_DEFAULTS, liveHostHref, MAX_LIVE_QUESTIONS, type LiveDraftErrors, type LiveDraftField } from '@/features/instructor/model/live-draft';
import type { QuestionRow } from '@/features/instructor/model/question';
import type { Assignment } from '@/features/instructor/api/get-assignments';
import { Link } from '@/components/link';
import { WriteError } from '@/components/write-failure';
import { plural } from '@/lib/format';
import { navigate } from '@/lib/router';

/**
 * The start page's body: the cohort's name, the running session if there is one (the server refuses a
 * second; the form says so in place if it was started meanwhile), then the form.
 */
export function NewLiveSession({ cohortId }: { cohortId: string }) {
  const cohort = useQuery({ ...getInstructedCohortQueryOptions(cohortId), throwOnError: (_e, q) => q.state.data === undefined });
  const questions = useQuery({ ...getQuestionsQueryOptions(), throwOnError: (_e, q) => q.state.data === undefined });
  const assignments = useQuery({ ...getCohortAssignmentsQueryOptions(cohortId), throwOnError: (_e, q) => q.state.data === undefined });
  const running = useQuery(getOpenLiveSessionQueryOptions(cohortId));
  if (cohort.data === undefined || questions.data === undefined || assignments.data === undefined) {
    return (
      <p role="status" className="muted">
        Loading the question bank…
      </p>
    );
  }
  if (cohort.data === null) {
    return (
      <section className="card stack-sm">
        <h1>Cohort not found</h1>
        <p>This cohort does not exist or is run by someone else.</p>
        <Link href="/instructor">Back to your cohorts</Link>
      </section>
    );
  }
  return (
    <div className="stack">
      <p>
        <Link href={`/instructor/cohorts/${cohortId}`}>← {cohort.data.name}</Link>
      </p>
      {running.data ? (
        <section className="card stack-sm" aria-labelledby="running-heading">
          <h2 id="running-heading">A live session is already running</h2>
          <p>
            “{running.data.title}” is running for {cohort.data.name}. End it on its host screen before starting another.
          </p>
          <div>
            <Link className="button button-primary" href={liveHostHref(running.data.id, LIVE_TIMING_DEFAULTS)}>
              Open the host screen
            </Link>
          </div>
        </section>
      ) : null}
      <LiveSessionForm cohortId={cohortId} cohortName={cohort.data.name} bank={questions.data} assignments={assignments.data} />
    </div>
  );
}

function LiveSessionForm({
  cohortId,
  cohortName,
  bank,
  assignments,
}: {
  cohortId: string;
  cohortName: string;
  bank: readonly QuestionRow[];
  assignments: readonly Assignment[];
}) {
  const [sessionId] = useState(() => crypto.randomUUID());
  const [title, setTitle] = useState('');
  const picker = useQuestionPicker(bank, { initialHowMany: '10', assignments, maxFromAssignment: MAX_LIVE_QUESTIONS });
  const [seconds, setSeconds] = useState(String(LIVE_TIMING_DEFAULTS.seconds));
  const [choicesAfterSeconds, setChoicesAfterSeconds] = useState(String(LIVE_TIMING_DEFAULTS.choicesAfterSeconds));
  const [tried, setTried] = useState(false);
  const start = useMutation(startLiveSessionMutationOptions());
  const options = startLiveSessionMutationOptions();

  const { source, wanted, picked, fromAssignment } = picker;
  const checked = checkLiveDraft(
    { title, questionIds: picked.map((q) => q.id), seconds, choicesAfterSeconds },
    { id: sessionId, cohortId, assignmentId: fromAssignment?.id ?? null },
  );
  const errors: LiveDraftErrors = tried && !checked.ok ? checked.errors : {};
  if (source === 'filters' && tried && wanted === null) errors.questions = 'Enter how many questions to show, as a whole number.';
  if (source === 'filters' && tried && wanted !== null && wanted > MAX_LIVE_QUESTIONS) errors.questions = `A live session has at most ${MAX_LIVE_QUESTIONS} questions.`;
  const hasErrors = Object.keys(errors).length > 0;

  const formId = useId();
  const fieldId = (f: LiveDraftField) => `${formId}-${f}`;
  const errorId = (f: LiveDraftField) => `${formId}-${f}-error`;
  const serverErrorId = `${formId}-server-error`;
  const invalid = (f: LiveDraftField) => ({
    'aria-invalid': errors[f] ? true : undefined,
    'aria-describedby': errors[f] ? errorId(f) : undefined,
  });

  const submit = () => {
    setTried(true);
    const filterProblem = source === 'filters' && (wanted === null || wanted > MAX_LIVE_QUESTIONS);
    if (!checked.ok || filterProblem) {
      const first = (['title', 'questions', 'seconds', 'choicesAfterSeconds'] as const).find((f) =>
        checked.ok ? f === 'questions' : checked.errors[f] !== undefined || (f === 'questions' && filterProblem),
      );
      if (first) document.getElementById(fieldId(first))?.focus();
      return;
    }
    const { row, timing } = checked.value;
    start.mutate(row, { onSuccess: (s) => navigate(liveHostHref(s.id, timing)) });
  };

  return (
    <form
      className="stack assignment-form"
      aria-labelledby={`${formId}-heading`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h1 id={`${formId}-heading`}>Start a live session for {cohortName}</h1>
      <p className="muted">
        The class answers together: you show one question at a time on the projector, students answer on their phones, and you see the
        answers come in.
      </p>

      <Field wide label="Title" id={fieldId('title')} error={errors.title} errorId={errorId('title')}>
        <input id={fieldId('title')} type="text" value={title} maxLength={200} onChange={(e) => setTitle(e.currentTarget.value)} {...invalid('title')} />
      </Field>

      <QuestionPicker
        picker={picker}
        focusId={fieldId('questions')}
        error={errors.questions}
        errorId={errorId('questions')}
        howManyHint={`Up to ${MAX_LIVE_QUESTIONS}`}
        maxCount={MAX_LIVE_QUESTIONS}
        noun="the session"
      />

      <fieldset className="check-group">
        <legend>Timing</legend>
        <div className="as-grid">
          <Field label="Seconds per question" id={fieldId('seconds')} hint="5 to 600; counted from when the choices appear" error={errors.seconds} errorId={errorId('seconds')}>
            <input id={fieldId('seconds')} type="number" inputMode="numeric" min={5} max={600} value={seconds} onChange={(e) => setSeconds(e.currentTarget.value)} {...invalid('seconds')} />
          </Field>
          <Field
            label="Choices after (seconds)"
            id={fieldId('choicesAfterSeconds')}
            hint="0 to 30; the stem shows first, so everyone reads it"
            error={errors.choicesAfterSeconds}
            errorId={errorId('choicesAfterSeconds')}
          >
            <input
              id={fieldId('choicesAfterSeconds')}
              type="number"
              inputMode="numeric"
              min={0}
              max={30}
              value={choicesAfterSeconds}
              onChange={(e) => setChoicesAfterSeconds(e.currentTarget.value)}
              {...invalid('choicesAfterSeconds')}
            />
          </Field>
        </div>
      </fieldset>

      <div className="card stack-sm">
        <WriteError id={serverErrorId} error={start.error} meta={options.meta} />
        {tried && hasErrors ? (
          <p className="form-error" role="alert">
            Check the {plural(Object.keys(errors).length, 'field', 'fields')} marked above.
          </p>
        ) : null}
        <div className="row">
          <button type="submit" className="button button-primary" disabled={start.isPending} aria-describedby={serverErrorId}>
            {start.isPending ? 'Starting…' : 'Start the session'}
          </button>
          <Link className="button" href={`/instructor/cohorts/${cohortId}`}>
            Cancel
          </Link>
        </div>
      </div>
    </form>
  );
}
