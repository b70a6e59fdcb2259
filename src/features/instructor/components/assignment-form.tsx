/**
 * "New assignment" for one cohort: a title; the questions, picked by filters (organ systems ×
 * disciplines, how many, a shuffle the preview shows exactly) or by hand (search and tick); the mode
 * (tutor, timed, exam in sections with a break pool); opens/due in the viewer's time zone; explanations
 * after the due date; attempts allowed. Checked as the server checks (model/assignment-draft.ts) before
 * it is sent; the id is made once per form, so sending again after a failure cannot set it twice.
 */
import './assignments.css';
import { useId, useMemo, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { createAssignmentMutationOptions } from '@/features/instructor/api/create-assignment';
import { getInstructedCohortQueryOptions } from '@/features/instructor/api/get-instructed-cohorts';
import { getQuestionsQueryOptions } from '@/features/instructor/api/get-questions';
import {
  checkDraft,
  defaultTimedMinutes,
  EXAM_DEFAULTS,
  MAX_ATTEMPTS,
  MAX_BLOCK_QUESTIONS,
  MAX_EXAM_QUESTIONS,
  MAX_SECTIONS,
  sectionCount,
  type DraftErrors,
  type DraftField,
} from '@/features/instructor/model/assignment-draft';
import { defaultWindow, localInputToIso, localTimeZoneName } from '@/features/instructor/model/local-time';
import type { QuestionRow } from '@/features/instructor/model/question';
import { Field, QuestionPicker, useQuestionPicker } from '@/features/instructor/components/question-picker';
import type { AssignmentMode } from '@/lib/assignment-plan';
import { Link } from '@/components/link';
import { WriteError } from '@/components/write-failure';
import { formatUtcOffset, plural } from '@/lib/format';
import { navigate } from '@/lib/router';

const MODES: { value: AssignmentMode; label: string; hint: string }[] = [
  { value: 'tutor', label: 'Tutor', hint: 'The answer and explanation after each question. One block, up to 40 questions.' },
  { value: 'timed', label: 'Timed', hint: 'One timed block, up to 40 questions; results at the end.' },
  {
    value: 'exam',
    label: 'Exam',
    hint: `Like USMLE Step 1: timed sections of up to 40 (at most ${MAX_SECTIONS}), a break pool between them, no going back.`,
  },
];

/** The new-assignment page's body: the cohort's name, then the form (or why there is none). */
export function NewAssignment({ cohortId }: { cohortId: string }) {
  const cohort = useQuery({ ...getInstructedCohortQueryOptions(cohortId), throwOnError: (_e, q) => q.state.data === undefined });
  const questions = useQuery({ ...getQuestionsQueryOptions(), throwOnError: (_e, q) => q.state.data === undefined });
  if (cohort.data === undefined || questions.data === undefined) {
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
      <AssignmentForm cohortId={cohortId} cohortName={cohort.data.name} bank={questions.data} />
    </div>
  );
}

function AssignmentForm({ cohortId, cohortName, bank }: { cohortId: string; cohortName: string; bank: readonly QuestionRow[] }) {
  const [assignmentId] = useState(() => crypto.randomUUID());
  const [openedAt] = useState(() => new Date());
  const window0 = useMemo(() => defaultWindow(openedAt), [openedAt]);
  const [title, setTitle] = useState('');
  const picker = useQuestionPicker(bank, { initialHowMany: '20' });
  const [mode, setMode] = useState<AssignmentMode>('tutor');
  // null: follow the question count (90 s a question) until the instructor types a limit.
  const [timedMinutes, setTimedMinutes] = useState<string | null>(null);
  const [sectionSize, setSectionSize] = useState(String(EXAM_DEFAULTS.sectionSize));
  const [sectionMinutes, setSectionMinutes] = useState(String(EXAM_DEFAULTS.sectionMinutes));
  const [breakMinutes, setBreakMinutes] = useState(String(EXAM_DEFAULTS.breakMinutes));
  const [opensAt, setOpensAt] = useState(window0.opensAt);
  const [dueAt, setDueAt] = useState(window0.dueAt);
  const [explanationsAfterDue, setExplanationsAfterDue] = useState(false);
  const [maxAttempts, setMaxAttempts] = useState('1');
  // Errors show once a send was tried, then follow the fields as they change.
  const [tried, setTried] = useState(false);

  const create = useMutation(createAssignmentMutationOptions());
  const options = createAssignmentMutationOptions();

  const { source, wanted, picked } = picker;
  const count = picked.length;

  const draft = {
    title,
    questionIds: picked.map((q) => q.id),
    mode,
    timedMinutes: timedMinutes ?? String(defaultTimedMinutes(count)),
    sectionSize,
    sectionMinutes,
    breakMinutes,
    opensAt,
    dueAt,
    explanationsAfterDue,
    maxAttempts,
  };
  const checked = checkDraft(draft, { id: assignmentId, cohortId });
  const errors: DraftErrors = tried && !checked.ok ? checked.errors : {};
  if (source === 'filters' && tried && wanted === null) errors.questions = 'Enter how many questions to set, as a whole number.';

  const formId = useId();
  const fieldId = (f: DraftField) => `${formId}-${f}`;
  const errorId = (f: DraftField) => `${formId}-${f}-error`;
  const serverErrorId = `${formId}-server-error`;
  const invalid = (f: DraftField) => ({
    'aria-invalid': errors[f] ? true : undefined,
    'aria-describedby': errors[f] ? errorId(f) : undefined,
  });

  const submit = () => {
    setTried(true);
    if (!checked.ok || (source === 'filters' && wanted === null)) {
      const first = (['title', 'questions', 'timedMinutes', 'sectionSize', 'sectionMinutes', 'breakMinutes', 'opensAt', 'dueAt', 'maxAttempts'] as const).find(
        (f) => (checked.ok ? f === 'questions' : checked.errors[f] !== undefined),
      );
      if (first) document.getElementById(fieldId(first))?.focus();
      return;
    }
    create.mutate(checked.value, { onSuccess: (a) => navigate(`/instructor/assignments/${a.id}`) });
  };

  const zone = localTimeZoneName();
  // The offset on the opening date (daylight saving time may differ from today's).
  const opensIso = localInputToIso(opensAt);
  const offset = formatUtcOffset(opensIso ? new Date(opensIso) : openedAt);
  const maxForMode = mode === 'exam' ? MAX_EXAM_QUESTIONS : MAX_BLOCK_QUESTIONS;
  const examSections = mode === 'exam' && /^\d+$/.test(sectionSize) && Number(sectionSize) > 0 ? sectionCount(count, Number(sectionSize)) : null;

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
      <h1 id={`${formId}-heading`}>New assignment for {cohortName}</h1>

      <Field wide label="Title" id={fieldId('title')} error={errors.title} errorId={errorId('title')}>
        <input id={fieldId('title')} type="text" value={title} maxLength={200} onChange={(e) => setTitle(e.currentTarget.value)} {...invalid('title')} />
      </Field>

      <QuestionPicker
        picker={picker}
        focusId={fieldId('questions')}
        error={errors.questions}
        errorId={errorId('questions')}
        howManyHint={`Up to ${maxForMode} in ${mode} mode`}
        maxCount={maxForMode}
        noun="the assignment"
      />

      <fieldset className="check-group">
        <legend>Mode</legend>
        <div className="as-options">
          {MODES.map((m) => (
            <label key={m.value} className="as-option">
              <input type="radio" name="mode" value={m.value} checked={mode === m.value} onChange={() => setMode(m.value)} />
              <span>
                <span className="as-option-label">{m.label}</span>
                <span className="muted as-option-hint">{m.hint}</span>
              </span>
            </label>
          ))}
        </div>
        {mode === 'timed' ? (
          <Field label="Time limit (minutes)" id={fieldId('timedMinutes')} hint="90 s a question unless you change it" error={errors.timedMinutes} errorId={errorId('timedMinutes')}>
            <input
              id={fieldId('timedMinutes')}
              type="number"
              inputMode="numeric"
              min={1}
              value={draft.timedMinutes}
              onChange={(e) => setTimedMinutes(e.currentTarget.value)}
              {...invalid('timedMinutes')}
            />
          </Field>
        ) : null}
        {mode === 'exam' ? (
          <div className="as-grid">
            <Field label="Questions per section" id={fieldId('sectionSize')} hint="Up to 40" error={errors.sectionSize} errorId={errorId('sectionSize')}>
              <input id={fieldId('sectionSize')} type="number" inputMode="numeric" min={1} max={40} value={sectionSize} onChange={(e) => setSectionSize(e.currentTarget.value)} {...invalid('sectionSize')} />
            </Field>
            <Field label="Minutes per section" id={fieldId('sectionMinutes')} hint="Step 1: 60" error={errors.sectionMinutes} errorId={errorId('sectionMinutes')}>
              <input id={fieldId('sectionMinutes')} type="number" inputMode="numeric" min={1} value={sectionMinutes} onChange={(e) => setSectionMinutes(e.currentTarget.value)} {...invalid('sectionMinutes')} />
            </Field>
            <Field label="Break pool (minutes)" id={fieldId('breakMinutes')} hint="Shared by all breaks; Step 1: 45" error={errors.breakMinutes} errorId={errorId('breakMinutes')}>
              <input id={fieldId('breakMinutes')} type="number" inputMode="numeric" min={0} value={breakMinutes} onChange={(e) => setBreakMinutes(e.currentTarget.value)} {...invalid('breakMinutes')} />
            </Field>
            {examSections !== null && count > 0 ? (
              <p className="muted as-grid-note">
                {plural(count, 'question', 'questions')} make {plural(examSections, 'section', 'sections')}.
              </p>
            ) : null}
          </div>
        ) : null}
      </fieldset>

      <fieldset className="check-group">
        <legend>When</legend>
        <p className="muted" id={`${formId}-zone`}>
          Times are in your time zone{zone ? `, ${zone}` : ''} ({offset}); students see them in theirs.
        </p>
        <div className="as-grid">
          <Field label="Opens at" id={fieldId('opensAt')} error={errors.opensAt} errorId={errorId('opensAt')}>
            <input
              id={fieldId('opensAt')}
              type="datetime-local"
              value={opensAt}
              onChange={(e) => setOpensAt(e.currentTarget.value)}
              aria-invalid={errors.opensAt ? true : undefined}
              aria-describedby={[`${formId}-zone`, errors.opensAt ? errorId('opensAt') : ''].join(' ').trim()}
            />
          </Field>
          <Field label="Due at" id={fieldId('dueAt')} error={errors.dueAt} errorId={errorId('dueAt')}>
            <input
              id={fieldId('dueAt')}
              type="datetime-local"
              value={dueAt}
              onChange={(e) => setDueAt(e.currentTarget.value)}
              aria-invalid={errors.dueAt ? true : undefined}
              aria-describedby={[`${formId}-zone`, errors.dueAt ? errorId('dueAt') : ''].join(' ').trim()}
            />
          </Field>
        </div>
        <label className="check-group-option">
          <input type="checkbox" checked={explanationsAfterDue} onChange={(e) => setExplanationsAfterDue(e.currentTarget.checked)} />
          <span>Show explanations only after the due date</span>
        </label>
        <Field label="Attempts allowed" id={fieldId('maxAttempts')} hint={`1 to ${MAX_ATTEMPTS}; the best counted sitting is the result`} error={errors.maxAttempts} errorId={errorId('maxAttempts')}>
          <input id={fieldId('maxAttempts')} type="number" inputMode="numeric" min={1} max={MAX_ATTEMPTS} value={maxAttempts} onChange={(e) => setMaxAttempts(e.currentTarget.value)} {...invalid('maxAttempts')} />
        </Field>
      </fieldset>

      <div className="card stack-sm">
        <WriteError id={serverErrorId} error={create.error} meta={options.meta} />
        {tried && !checked.ok ? (
          <p className="form-error" role="alert">
            Check the {plural(Object.keys(errors).length, 'field', 'fields')} marked above.
          </p>
        ) : null}
        <div className="row">
          <button type="submit" className="button button-primary" disabled={create.isPending} aria-describedby={serverErrorId}>
            {create.isPending ? 'Setting…' : 'Set assignment'}
          </button>
          <Link className="button" href={`/instructor/cohorts/${cohortId}`}>
            Cancel
          </Link>
        </div>
      </div>
    </form>
  );
}
