/**
 * "New assignment" for one cohort: a title; the questions, picked by filters (organ systems ×
 * disciplines, how many, a shuffle the preview shows exactly) or by hand (search and tick); the mode
 * (tutor, timed, exam in sections with a break pool); opens/due in the viewer's time zone; explanations
 * after the due date; attempts allowed. Checked as the server checks (model/assignment-draft.ts) before
 * it is sent; the id is made once per form, so sending again after a failure cannot set it twice.
 */
import './assignments.css';
import { useId, useMemo, useState, type ReactNode } from 'react';
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
import { matchingQuestions, pickByFilters, searchQuestions, truncateStem } from '@/features/instructor/model/question-pick';
import type { QuestionRow } from '@/features/instructor/model/question';
import { CheckboxGroup } from '@/components/checkbox-group';
import type { AssignmentMode } from '@/lib/assignment-plan';
import { Link } from '@/components/link';
import { WriteError } from '@/components/write-failure';
import { formatUtcOffset, plural } from '@/lib/format';
import { navigate } from '@/lib/router';
import { taxonomyLabel, taxonomyOptions } from '@/lib/taxonomy';

const MODES: { value: AssignmentMode; label: string; hint: string }[] = [
  { value: 'tutor', label: 'Tutor', hint: 'The answer and explanation after each question. One block, up to 40 questions.' },
  { value: 'timed', label: 'Timed', hint: 'One timed block, up to 40 questions; results at the end.' },
  {
    value: 'exam',
    label: 'Exam',
    hint: `Like USMLE Step 1: timed sections of up to 40 (at most ${MAX_SECTIONS}), a break pool between them, no going back.`,
  },
];
/** Hand-picking shows this many search results at a time; the search narrows the rest. */
const MAX_LISTED = 100;
const newSeed = () => Math.floor(Math.random() * 2 ** 32);

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
  const published = useMemo(() => bank.filter((q) => q.published), [bank]);
  const systemOptions = useMemo(() => taxonomyOptions(published.map((q) => q.organ_system)), [published]);
  const disciplineOptions = useMemo(() => taxonomyOptions(published.map((q) => q.discipline)), [published]);

  const [title, setTitle] = useState('');
  const [source, setSource] = useState<'filters' | 'hand'>('filters');
  const [systems, setSystems] = useState<Set<string>>(() => new Set(systemOptions.map((o) => o.value)));
  const [disciplines, setDisciplines] = useState<Set<string>>(() => new Set(disciplineOptions.map((o) => o.value)));
  const [howMany, setHowMany] = useState('20');
  const [seed, setSeed] = useState(newSeed);
  const [search, setSearch] = useState('');
  const [handPicked, setHandPicked] = useState<number[]>([]);
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

  const filters = { systems, disciplines };
  const matches = matchingQuestions(published, filters).length;
  const wanted = /^\d+$/.test(howMany.trim()) ? Number(howMany) : null;
  const filterPick = useMemo(
    () => (source === 'filters' && wanted !== null ? pickByFilters(published, { systems, disciplines }, wanted, seed) : []),
    [source, published, systems, disciplines, wanted, seed],
  );
  const byId = useMemo(() => new Map(published.map((q) => [q.id, q])), [published]);
  const picked: QuestionRow[] = source === 'filters' ? filterPick : handPicked.flatMap((id) => byId.get(id) ?? []);
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

  let status: string;
  if (source === 'filters') {
    if (systems.size === 0) status = 'Choose at least one organ system.';
    else if (disciplines.size === 0) status = 'Choose at least one discipline.';
    else if (matches === 0) status = 'No published questions match these filters.';
    else status = `${plural(matches, 'published question matches', 'published questions match')} — the assignment will have ${plural(count, 'question', 'questions')}.`;
  } else {
    status = `${plural(count, 'question', 'questions')} picked.`;
  }

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

      <fieldset className="check-group" aria-describedby={errors.questions ? errorId('questions') : undefined}>
        <legend>Questions</legend>
        <div className="as-options">
          <label className="as-option">
            <input type="radio" name="source" checked={source === 'filters'} onChange={() => setSource('filters')} id={source === 'filters' ? fieldId('questions') : undefined} />
            <span>
              <span className="as-option-label">By filters</span>
              <span className="muted as-option-hint">A random set from the systems and disciplines you choose.</span>
            </span>
          </label>
          <label className="as-option">
            <input type="radio" name="source" checked={source === 'hand'} onChange={() => setSource('hand')} id={source === 'hand' ? fieldId('questions') : undefined} />
            <span>
              <span className="as-option-label">Hand-picked</span>
              <span className="muted as-option-hint">Search the bank and tick the questions you want.</span>
            </span>
          </label>
        </div>

        {source === 'filters' ? (
          <div className="stack-sm">
            <CheckboxGroup legend="Organ systems" options={systemOptions} selected={systems} onChange={setSystems} />
            <CheckboxGroup legend="Disciplines" options={disciplineOptions} selected={disciplines} onChange={setDisciplines} />
            <div className="field as-narrow">
              <label htmlFor={`${formId}-how-many`}>How many questions</label>
              <span className="muted" id={`${formId}-how-many-hint`}>
                Up to {maxForMode} in {mode} mode
              </span>
              <input
                id={`${formId}-how-many`}
                type="number"
                inputMode="numeric"
                min={1}
                max={maxForMode}
                value={howMany}
                onChange={(e) => setHowMany(e.currentTarget.value)}
                aria-describedby={`${formId}-how-many-hint`}
              />
            </div>
          </div>
        ) : (
          <HandPicker
            published={published}
            search={search}
            onSearch={setSearch}
            picked={handPicked}
            onPick={setHandPicked}
          />
        )}

        <div className="as-summary stack-sm">
          <div className="row">
            <p role="status" className="as-status">
              {status}
            </p>
            {source === 'filters' ? (
              <button type="button" className="button" onClick={() => setSeed(newSeed())} disabled={matches <= 1}>
                Reshuffle
              </button>
            ) : count > 0 ? (
              <button type="button" className="button" onClick={() => setHandPicked([])}>
                Clear picks
              </button>
            ) : null}
          </div>
          {errors.questions ? (
            <p id={errorId('questions')} className="form-error">
              {errors.questions}
            </p>
          ) : null}
          {count > 0 ? <Preview questions={picked} /> : null}
        </div>
      </fieldset>

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

/** A labelled input with its hint and error (the input itself points at them). */
function Field({
  label,
  id,
  hint,
  error,
  errorId,
  wide = false,
  children,
}: {
  label: string;
  id: string;
  hint?: string;
  error: string | undefined;
  errorId: string;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={wide ? 'field as-wide' : 'field as-narrow'}>
      <label htmlFor={id}>{label}</label>
      {hint ? <span className="muted small">{hint}</span> : null}
      {children}
      {error ? (
        <p id={errorId} className="form-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The questions that will be set, in the order students get them (stems shortened). */
function Preview({ questions }: { questions: readonly QuestionRow[] }) {
  const headingId = useId();
  return (
    <div className="stack-sm">
      <h2 id={headingId} className="small-heading">
        Preview ({questions.length})
      </h2>
      <ol className="as-preview" aria-labelledby={headingId}>
        {questions.map((q) => (
          <li key={q.id}>
            <span className="muted small">
              Q{q.id} · {taxonomyLabel(q.organ_system)} · {taxonomyLabel(q.discipline)}
            </span>{' '}
            {truncateStem(q.stem)}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** Search the published bank and tick questions; the picks keep the order they were ticked in. */
function HandPicker({
  published,
  search,
  onSearch,
  picked,
  onPick,
}: {
  published: readonly QuestionRow[];
  search: string;
  onSearch: (s: string) => void;
  picked: readonly number[];
  onPick: (ids: number[]) => void;
}) {
  const searchId = useId();
  const listId = useId();
  const found = useMemo(() => searchQuestions(published, search), [published, search]);
  const chosen = new Set(picked);
  const toggle = (id: number, on: boolean) => onPick(on ? [...picked.filter((x) => x !== id), id] : picked.filter((x) => x !== id));
  return (
    <div className="stack-sm">
      <div className="field">
        <label htmlFor={searchId}>Search questions</label>
        <input id={searchId} type="search" value={search} onChange={(e) => onSearch(e.currentTarget.value)} placeholder="Words of the stem, a system, Q12…" aria-describedby={listId} />
        <span id={listId} className="muted small">
          {found.length > MAX_LISTED ? `Showing ${MAX_LISTED} of ${found.length} matches; search to narrow them.` : plural(found.length, 'match', 'matches')}
        </span>
      </div>
      <ul className="as-pick-list" aria-label="Questions to pick from">
        {found.slice(0, MAX_LISTED).map((q) => (
          <li key={q.id}>
            <label className="as-pick">
              <input type="checkbox" checked={chosen.has(q.id)} onChange={(e) => toggle(q.id, e.currentTarget.checked)} />
              <span>
                <span className="muted small">
                  Q{q.id} · {taxonomyLabel(q.organ_system)} · {taxonomyLabel(q.discipline)}
                </span>{' '}
                {truncateStem(q.stem)}
              </span>
            </label>
          </li>
        ))}
      </ul>
    </div>
  );
}
