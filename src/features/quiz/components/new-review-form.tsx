/**
 * "Start a review": a block of the student's due cards — most overdue first, as many as they choose,
 * filtered by organ system and discipline like a block, or only the ones they missed. It is a normal
 * block (same player, keys, marks, lab values, review page) tagged `kind: 'review'`: its answers go
 * through the one answer path (startBlock → the outbox → submit_answers), move the cards on this device
 * at once, and never count for rank. Built from the cached bank and history, so it works offline.
 */
import { useId, useMemo, useState } from 'react';
import { useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { NOT_ASSIGNED, type Attempt } from '@/answer-sync/shapes';
import { getBankQueryOptions } from '@/features/quiz/api/get-bank';
import { MAX_BLOCK_SIZE, MIN_BLOCK_SIZE, parseBlockSize, SECONDS_PER_QUESTION, timeLimitSeconds, type Mode } from '@/features/quiz/model/block-builder';
import type { CardDeck } from '@/features/quiz/model/cards/deck';
import { dueCards } from '@/features/quiz/model/cards/due';
import { taxonomyOptions } from '@/lib/taxonomy';
import { plural } from '@/lib/format';
import { CheckboxGroup } from '@/components/checkbox-group';
import { openNewBlock } from './open-new-block';
import type { DeckState } from './use-deck';
import './new-block.css';

const MODES: { value: Mode; label: string; hint: string }[] = [
  { value: 'tutor', label: 'Tutor', hint: 'See the answer and explanation right after each question.' },
  { value: 'timed', label: 'Timed', hint: `${SECONDS_PER_QUESTION} s per question; results at the end.` },
];

const DEFAULT_REVIEW_SIZE = 20;



export function NewReviewForm({ state }: { state: DeckState }) {
  if (state.status === 'error') throw state.error;
  if (state.status === 'pending') {
    return (
      <p role="status" className="muted">
        Counting your due questions…
      </p>
    );
  }
  return <ReviewForm deck={state.deck} />;
}

function ReviewForm({ deck }: { deck: CardDeck }) {
  const { data: bank } = useSuspenseQuery(getBankQueryOptions());
  const queryClient = useQueryClient();
  const [attemptId] = useState(() => crypto.randomUUID());
  // Due now, when the form opened: the list does not shift under the student while they choose.
  const [now] = useState(() => Date.now());

  const systemOptions = useMemo(() => taxonomyOptions(bank.map((q) => q.organ_system)), [bank]);
  const disciplineOptions = useMemo(() => taxonomyOptions(bank.map((q) => q.discipline)), [bank]);
  const [mode, setMode] = useState<Mode>('tutor');
  const [sizeText, setSizeText] = useState(String(DEFAULT_REVIEW_SIZE));
  const [systems, setSystems] = useState<Set<string>>(() => new Set(systemOptions.map((o) => o.value)));
  const [disciplines, setDisciplines] = useState<Set<string>>(() => new Set(disciplineOptions.map((o) => o.value)));
  const [missedOnly, setMissedOnly] = useState(false);
  const [starting, setStarting] = useState(false);

  // Only questions still in the bank can be asked again (an unpublished one drops out of review).
  const questionIds = useMemo(
    () => new Set(bank.filter((q) => systems.has(q.organ_system) && disciplines.has(q.discipline)).map((q) => q.id)),
    [bank, systems, disciplines],
  );
  const due = dueCards(deck, now, { missedOnly, questionIds });
  const size = parseBlockSize(sizeText);
  const reviewSize = Math.min(size ?? 0, due.length);
  const canStart = size !== null && due.length > 0 && !starting;

  const ids = { size: useId(), sizeHint: useId(), sizeError: useId(), status: useId(), missed: useId(), missedHint: useId() };

  const start = () => {
    if (!canStart) return;
    setStarting(true);
    const question_ids = due.slice(0, reviewSize).map((c) => c.questionId);
    const attempt: Attempt = {
      id: attemptId,
      mode,
      kind: 'review',
      question_ids,
      time_limit_seconds: timeLimitSeconds(mode, question_ids.length),
      marked_question_ids: [],
      filters: {
        systems: systems.size === systemOptions.length ? [] : [...systems],
        disciplines: disciplines.size === disciplineOptions.length ? [] : [...disciplines],
        missed_only: missedOnly,
        size: size ?? reviewSize,
      },
      started_at: new Date().toISOString(),
      completed_at: null,
      ...NOT_ASSIGNED,
    };
    openNewBlock(queryClient, attempt);
  };

  let status: string;
  if (systems.size === 0) status = 'Choose at least one organ system.';
  else if (disciplines.size === 0) status = 'Choose at least one discipline.';
  else if (due.length === 0) status = missedOnly ? 'No missed question is due with these filters.' : 'Nothing is due with these filters. Come back when the next questions are due.';
  else if (size === null) status = `${plural(due.length, 'question is', 'questions are')} due.`;
  else status = `${plural(due.length, 'question is', 'questions are')} due — your review will have ${plural(reviewSize, 'question', 'questions')}, most overdue first.`;

  return (
    <form
      className="stack nb-form"
      aria-labelledby="new-review-heading"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        start();
      }}
    >
      <h1 id="new-review-heading">Start a review</h1>
      <p className="muted">Questions come back when you are about to forget them. Your review answers count in your own stats, never on leaderboards.</p>

      <div className="field nb-size">
        <label htmlFor={ids.size}>Number of questions</label>
        <span id={ids.sizeHint} className="muted">
          {MIN_BLOCK_SIZE}–{MAX_BLOCK_SIZE}
        </span>
        <input
          id={ids.size}
          type="number"
          inputMode="numeric"
          min={MIN_BLOCK_SIZE}
          max={MAX_BLOCK_SIZE}
          step={1}
          value={sizeText}
          aria-invalid={size === null}
          aria-describedby={size === null ? `${ids.sizeHint} ${ids.sizeError}` : ids.sizeHint}
          onChange={(e) => setSizeText(e.currentTarget.value)}
        />
        {size === null ? (
          <p id={ids.sizeError} className="form-error">
            Enter a whole number from {MIN_BLOCK_SIZE} to {MAX_BLOCK_SIZE}.
          </p>
        ) : null}
      </div>

      <div className="checkbox-field">
        <input id={ids.missed} type="checkbox" checked={missedOnly} onChange={(e) => setMissedOnly(e.target.checked)} aria-describedby={ids.missedHint} />
        <div>
          <label htmlFor={ids.missed}>Missed only</label>
          <p id={ids.missedHint} className="muted">
            Only questions whose last answer was wrong.
          </p>
        </div>
      </div>

      <fieldset className="nb-fieldset">
        <legend>Mode</legend>
        <div className="nb-options">
          {MODES.map((m) => (
            <label key={m.value} className="nb-option">
              <input type="radio" name="mode" value={m.value} checked={mode === m.value} onChange={() => setMode(m.value)} />
              <span>
                <span className="nb-option-label">{m.label}</span>
                <span className="muted nb-option-hint">{m.hint}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      <CheckboxGroup
        legend="Organ systems"
        options={systemOptions}
        selected={systems}
        onChange={setSystems}
        error={systems.size === 0 ? 'Choose at least one organ system.' : null}
      />
      <CheckboxGroup
        legend="Disciplines"
        options={disciplineOptions}
        selected={disciplines}
        onChange={setDisciplines}
        error={disciplines.size === 0 ? 'Choose at least one discipline.' : null}
      />

      <div className="card stack-sm nb-summary">
        <p id={ids.status} role="status" className={due.length === 0 ? 'nb-status nb-status-empty' : 'nb-status'}>
          {status}
        </p>
        <div>
          <button type="submit" className="button button-primary" disabled={!canStart} aria-describedby={ids.status}>
            Start review
          </button>
        </div>
      </div>
    </form>
  );
}
