/**
 * Picking a question set from the bank, shared by the new-assignment form and the live-session start
 * form: by filters (organ systems × disciplines, how many, a shuffle the preview shows exactly), by hand
 * (search and tick), or — where the form offers it — an existing assignment's questions. The state lives
 * in `useQuestionPicker`; <QuestionPicker> is the fieldset that edits it. Only published questions can be
 * picked (model/question-pick.ts): the server refuses the rest.
 */
import './assignments.css';
import { useId, useMemo, useState, type ReactNode } from 'react';
import { matchingQuestions, pickByFilters, pickFromAssignment, searchQuestions, truncateStem } from '@/features/instructor/model/question-pick';
import type { QuestionRow } from '@/features/instructor/model/question';
import { CheckboxGroup } from '@/components/checkbox-group';
import { plural } from '@/lib/format';
import { taxonomyLabel, taxonomyOptions } from '@/lib/taxonomy';

/** Hand-picking shows this many search results at a time; the search narrows the rest. */
const MAX_LISTED = 100;
const newSeed = () => Math.floor(Math.random() * 2 ** 32);

export type PickSource = 'filters' | 'hand' | 'assignment';

/** An assignment whose questions can be taken whole (the cohort's own). */
export interface SourceAssignment {
  id: string;
  title: string;
  question_ids: readonly number[];
}

/**
 * The picker's state over `bank`. `assignments` (optional) offers "From an assignment"; `maxFromAssignment`
 * caps what is taken from one (its first questions).
 */
export function useQuestionPicker(
  bank: readonly QuestionRow[],
  { initialHowMany, assignments = [], maxFromAssignment = Infinity }: { initialHowMany: string; assignments?: readonly SourceAssignment[]; maxFromAssignment?: number },
) {
  const published = useMemo(() => bank.filter((q) => q.published), [bank]);
  const systemOptions = useMemo(() => taxonomyOptions(published.map((q) => q.organ_system)), [published]);
  const disciplineOptions = useMemo(() => taxonomyOptions(published.map((q) => q.discipline)), [published]);

  const [source, setSource] = useState<PickSource>('filters');
  const [systems, setSystems] = useState<Set<string>>(() => new Set(systemOptions.map((o) => o.value)));
  const [disciplines, setDisciplines] = useState<Set<string>>(() => new Set(disciplineOptions.map((o) => o.value)));
  const [howMany, setHowMany] = useState(initialHowMany);
  const [seed, setSeed] = useState(newSeed);
  const [search, setSearch] = useState('');
  const [handPicked, setHandPicked] = useState<number[]>([]);
  const [assignmentId, setAssignmentId] = useState('');

  const matches = matchingQuestions(published, { systems, disciplines }).length;
  const wanted = /^\d+$/.test(howMany.trim()) ? Number(howMany) : null;
  const filterPick = useMemo(
    () => (source === 'filters' && wanted !== null ? pickByFilters(published, { systems, disciplines }, wanted, seed) : []),
    [source, published, systems, disciplines, wanted, seed],
  );
  const byId = useMemo(() => new Map(published.map((q) => [q.id, q])), [published]);
  const fromAssignment = assignments.find((a) => a.id === assignmentId) ?? null;
  const assignmentPick = useMemo(
    () => (fromAssignment ? pickFromAssignment(published, fromAssignment.question_ids, maxFromAssignment) : { picked: [], leftOut: 0 }),
    [fromAssignment, published, maxFromAssignment],
  );
  const picked: QuestionRow[] =
    source === 'filters' ? filterPick : source === 'hand' ? handPicked.flatMap((id) => byId.get(id) ?? []) : assignmentPick.picked;

  return {
    published,
    systemOptions,
    disciplineOptions,
    assignments,
    source,
    setSource,
    systems,
    setSystems,
    disciplines,
    setDisciplines,
    howMany,
    setHowMany,
    reshuffle: () => setSeed(newSeed()),
    search,
    setSearch,
    handPicked,
    setHandPicked,
    assignmentId,
    setAssignmentId,
    /** The chosen assignment when the questions are taken from one. */
    fromAssignment: source === 'assignment' ? fromAssignment : null,
    /** Filters: how many published questions match. */
    matches,
    /** Filters: the number typed, or null when it is not a whole number. */
    wanted,
    /** The questions that will be set, in order. */
    picked,
    /** From an assignment: its questions left out (beyond the cap, or unpublished since). */
    leftOut: source === 'assignment' ? assignmentPick.leftOut : 0,
  };
}

export type QuestionPickerState = ReturnType<typeof useQuestionPicker>;

/**
 * The "Questions" fieldset. `focusId` goes on the chosen source's radio (what a "pick questions" error
 * focuses); `noun` finishes the status line ("the session will have 12 questions").
 */
export function QuestionPicker({
  picker: p,
  focusId,
  error,
  errorId,
  howManyHint,
  maxCount,
  noun,
}: {
  picker: QuestionPickerState;
  focusId: string;
  error: string | undefined;
  errorId: string;
  howManyHint: string;
  maxCount: number;
  noun: string;
}) {
  const formId = useId();
  const count = p.picked.length;
  let status: string;
  if (p.source === 'filters') {
    if (p.systems.size === 0) status = 'Choose at least one organ system.';
    else if (p.disciplines.size === 0) status = 'Choose at least one discipline.';
    else if (p.matches === 0) status = 'No published questions match these filters.';
    else status = `${plural(p.matches, 'published question matches', 'published questions match')} — ${noun} will have ${plural(count, 'question', 'questions')}.`;
  } else if (p.source === 'hand') {
    status = `${plural(count, 'question', 'questions')} picked.`;
  } else if (p.fromAssignment === null) {
    status = 'Choose an assignment.';
  } else {
    status = `${plural(count, 'question', 'questions')} from “${p.fromAssignment.title}”${p.leftOut > 0 ? ` (${plural(p.leftOut, 'question', 'questions')} left out: beyond ${maxCount}, or no longer published)` : ''}.`;
  }

  const option = (value: PickSource, label: string, hint: string) => (
    <label className="as-option">
      <input type="radio" name={`${formId}-source`} checked={p.source === value} onChange={() => p.setSource(value)} id={p.source === value ? focusId : undefined} />
      <span>
        <span className="as-option-label">{label}</span>
        <span className="muted as-option-hint">{hint}</span>
      </span>
    </label>
  );

  return (
    <fieldset className="check-group" aria-describedby={error ? errorId : undefined}>
      <legend>Questions</legend>
      <div className="as-options">
        {option('filters', 'By filters', 'A random set from the systems and disciplines you choose.')}
        {option('hand', 'Hand-picked', 'Search the bank and tick the questions you want.')}
        {p.assignments.length > 0 ? option('assignment', 'From an assignment', "One of the cohort's assignments, its questions in order.") : null}
      </div>

      {p.source === 'filters' ? (
        <div className="stack-sm">
          <CheckboxGroup legend="Organ systems" options={p.systemOptions} selected={p.systems} onChange={p.setSystems} />
          <CheckboxGroup legend="Disciplines" options={p.disciplineOptions} selected={p.disciplines} onChange={p.setDisciplines} />
          <div className="field as-narrow">
            <label htmlFor={`${formId}-how-many`}>How many questions</label>
            <span className="muted" id={`${formId}-how-many-hint`}>
              {howManyHint}
            </span>
            <input
              id={`${formId}-how-many`}
              type="number"
              inputMode="numeric"
              min={1}
              max={maxCount}
              value={p.howMany}
              onChange={(e) => p.setHowMany(e.currentTarget.value)}
              aria-describedby={`${formId}-how-many-hint`}
            />
          </div>
        </div>
      ) : p.source === 'hand' ? (
        <HandPicker published={p.published} search={p.search} onSearch={p.setSearch} picked={p.handPicked} onPick={p.setHandPicked} />
      ) : (
        <div className="field as-wide">
          <label htmlFor={`${formId}-assignment`}>Assignment</label>
          <select id={`${formId}-assignment`} value={p.assignmentId} onChange={(e) => p.setAssignmentId(e.currentTarget.value)}>
            <option value="">Choose…</option>
            {p.assignments.map((a) => (
              <option key={a.id} value={a.id}>
                {a.title} ({plural(a.question_ids.length, 'question', 'questions')})
              </option>
            ))}
          </select>
        </div>
      )}

      <div className="as-summary stack-sm">
        <div className="row">
          <p role="status" className="as-status">
            {status}
          </p>
          {p.source === 'filters' ? (
            <button type="button" className="button" onClick={p.reshuffle} disabled={p.matches <= 1}>
              Reshuffle
            </button>
          ) : p.source === 'hand' && count > 0 ? (
            <button type="button" className="button" onClick={() => p.setHandPicked([])}>
              Clear picks
            </button>
          ) : null}
        </div>
        {error ? (
          <p id={errorId} className="form-error">
            {error}
          </p>
        ) : null}
        {count > 0 ? <Preview questions={p.picked} /> : null}
      </div>
    </fieldset>
  );
}

/** A labelled input with its hint and error (the input itself points at them). */
export function Field({
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
