/**
 * "Create a block": mode, size, content (organ systems × disciplines) and pool, with a live count of the
 * matching questions. Everything is computed from the cached bank and history, so a block can be built
 * offline; starting one never waits for the network (the attempt is queued, the player reads it from
 * the cache).
 */
import { useId, useMemo, useState } from 'react';
import { useQueryClient, useSuspenseQueries } from '@tanstack/react-query';
import { NOT_ASSIGNED, type Attempt } from '@/answer-sync/shapes';
import { getBankQueryOptions } from '@/features/quiz/api/get-bank';
import { getHistoryQueryOptions } from '@/features/quiz/api/get-history';
import {
  DEFAULT_BLOCK_SIZE,
  MAX_BLOCK_SIZE,
  MIN_BLOCK_SIZE,
  parseBlockSize,
  SECONDS_PER_QUESTION,
  matchingQuestions,
  pickBlock,
  timeLimitSeconds,
  type BlockFilters,
  type Mode,
  type Pool,
} from '@/features/quiz/model/block-builder';
import { localHistory } from '@/features/quiz/model/player-session';
import { taxonomyOptions } from '@/lib/taxonomy';
import { plural } from '@/lib/format';
import { CheckboxGroup } from '@/components/checkbox-group';
import { openNewBlock } from './open-new-block';
import './new-block.css';

const MODES: { value: Mode; label: string; hint: string }[] = [
  { value: 'tutor', label: 'Tutor', hint: 'See the answer and explanation right after each question.' },
  { value: 'timed', label: 'Timed', hint: `${SECONDS_PER_QUESTION} s per question, like the exam; results at the end.` },
];

const POOLS: { value: Pool; label: string; hint: string }[] = [
  { value: 'unused', label: 'Unused', hint: 'Questions you have never answered.' },
  { value: 'incorrect', label: 'Incorrect', hint: 'Your last answer was wrong.' },
  { value: 'marked', label: 'Marked', hint: 'You marked them in an earlier block.' },
  { value: 'all', label: 'All', hint: 'Every question, answered or not.' },
];




export function NewBlockForm() {
  const [{ data: bank }, { data: serverHistory }] = useSuspenseQueries({ queries: [getBankQueryOptions(), getHistoryQueryOptions()] });
  // Blocks taken on this device but not yet synced count too (offline pools must be right).
  const history = useMemo(() => {
    const byId = new Map(bank.map((q) => [q.id, q]));
    const local = localHistory(window.localStorage, (id) => byId.get(id));
    return { answers: [...serverHistory.answers, ...local.answers], marked: new Set([...serverHistory.marked, ...local.marked]) };
  }, [bank, serverHistory]);
  const queryClient = useQueryClient();

  // The id of the block this form will start, made on the device (the server's idempotency key for it).
  const [attemptId] = useState(() => crypto.randomUUID());

  const systemOptions = useMemo(() => taxonomyOptions(bank.map((q) => q.organ_system)), [bank]);
  const disciplineOptions = useMemo(() => taxonomyOptions(bank.map((q) => q.discipline)), [bank]);

  const [mode, setMode] = useState<Mode>('tutor');
  const [sizeText, setSizeText] = useState(String(DEFAULT_BLOCK_SIZE));
  const [systems, setSystems] = useState<Set<string>>(() => new Set(systemOptions.map((o) => o.value)));
  const [disciplines, setDisciplines] = useState<Set<string>>(() => new Set(disciplineOptions.map((o) => o.value)));
  const [pool, setPool] = useState<Pool>('unused');
  const [starting, setStarting] = useState(false);

  const size = parseBlockSize(sizeText);
  // Every option ticked means "no restriction" (BlockFilters: empty = all), so questions in a system
  // added to the bank later are included too.
  const filters: BlockFilters = {
    mode,
    size: size ?? DEFAULT_BLOCK_SIZE,
    systems: systems.size === systemOptions.length ? [] : [...systems],
    disciplines: disciplines.size === disciplineOptions.length ? [] : [...disciplines],
    pool,
  };
  const nothingChosen = systems.size === 0 || disciplines.size === 0;
  const matches = nothingChosen ? 0 : matchingQuestions(bank, filters, history).length;
  const blockSize = Math.min(size ?? 0, matches);
  const canStart = size !== null && matches > 0 && !starting;

  const sizeId = useId();
  const sizeHintId = useId();
  const sizeErrorId = useId();
  const statusId = useId();

  const start = () => {
    if (!canStart) return;
    setStarting(true);
    const question_ids = pickBlock(bank, filters, history);
    const time_limit_seconds = timeLimitSeconds(mode, question_ids.length);
    const started_at = new Date().toISOString();
    const stored = { systems: [...filters.systems], disciplines: [...filters.disciplines], pool, size: filters.size };
    const attempt: Attempt = {
      id: attemptId,
      mode,
      kind: 'practice',
      question_ids,
      time_limit_seconds,
      marked_question_ids: [],
      filters: stored,
      started_at,
      completed_at: null,
      ...NOT_ASSIGNED,
    };
    openNewBlock(queryClient, attempt);
  };

  let status: string;
  if (systems.size === 0) status = 'Choose at least one organ system.';
  else if (disciplines.size === 0) status = 'Choose at least one discipline.';
  else if (matches === 0) status = 'No questions match these filters. Choose more systems or disciplines, or another pool, to start a block.';
  else if (size === null) status = `${plural(matches, 'question matches', 'questions match')}.`;
  else status = `${plural(matches, 'question matches', 'questions match')} — your block will have ${plural(blockSize, 'question', 'questions')}.`;

  return (
    <form
      className="stack nb-form"
      aria-labelledby="new-block-heading"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        start();
      }}
    >
      <h1 id="new-block-heading">Create a block</h1>

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

      <div className="field nb-size">
        <label htmlFor={sizeId}>Number of questions</label>
        <span id={sizeHintId} className="muted">
          {MIN_BLOCK_SIZE}–{MAX_BLOCK_SIZE}
        </span>
        <input
          id={sizeId}
          type="number"
          inputMode="numeric"
          min={MIN_BLOCK_SIZE}
          max={MAX_BLOCK_SIZE}
          step={1}
          value={sizeText}
          aria-invalid={size === null}
          aria-describedby={size === null ? `${sizeHintId} ${sizeErrorId}` : sizeHintId}
          onChange={(e) => setSizeText(e.currentTarget.value)}
        />
        {size === null ? (
          <p id={sizeErrorId} className="form-error">
            Enter a whole number from {MIN_BLOCK_SIZE} to {MAX_BLOCK_SIZE}.
          </p>
        ) : null}
      </div>

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

      <fieldset className="nb-fieldset">
        <legend>Questions from</legend>
        <div className="nb-options">
          {POOLS.map((p) => (
            <label key={p.value} className="nb-option">
              <input type="radio" name="pool" value={p.value} checked={pool === p.value} onChange={() => setPool(p.value)} />
              <span>
                <span className="nb-option-label">{p.label}</span>
                <span className="muted nb-option-hint">{p.hint}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      <div className="card stack-sm nb-summary">
        <p id={statusId} role="status" className={matches === 0 ? 'nb-status nb-status-empty' : 'nb-status'}>
          {status}
        </p>
        <div>
          <button type="submit" className="button button-primary" disabled={!canStart} aria-describedby={statusId}>
            Start block
          </button>
        </div>
      </div>
    </form>
  );
}
