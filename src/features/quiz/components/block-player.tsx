/**
 * The block player (USMLE-like): vignette, five choices, mark, strike-out, lab values, question grid,
 * tutor verdicts or a timed countdown, all keyboard-first.
 *
 * Persistence and sync contract:
 * - The player state lives in a pure reducer (model/player.ts). After every change it is handed to
 *   answer sync (src/answer-sync/hand-off.ts), which queues each submitted answer exactly once — and the
 *   completion once the block has ended — and saves the block's ledger in localStorage, so a reload or a
 *   crash never loses given answers or marks (the screen comes back from it: model/player-session.ts).
 *   The persisted outbox sends the answers with their block, in batches, retrying until the server has
 *   them. The answer id is generated when the student submits, inside the reducer action.
 * - Tutor verdicts are graded at once from the cached key; when the server's outcome arrives it wins.
 */
import { useEffect, useEffectEvent, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { loadBlockLedger, type BlockLedger } from '@/answer-sync/block-ledger';
import { handOff } from '@/answer-sync/hand-off';
import { confidenceSchema, type AnswerOutcome, type Attempt, type Confidence } from '@/answer-sync/shapes';
import { useBlockOutcomes, useBlockSyncErrors } from '@/answer-sync/use-block-sync';
import { getAttemptQueryOptions } from '@/features/quiz/api/attempts';
import { getBankQueryOptions, type Question } from '@/features/quiz/api/get-bank';
import { blockQuestionsFromBank, getBlockQuestionsQueryOptions } from '@/features/quiz/api/get-block-questions';
import {
  currentQuestionId,
  initialPlayerState,
  keyIntent,
  playerReducer,
  type KeyIntent,
} from '@/features/quiz/model/player';
import { restorablePlayer } from '@/features/quiz/model/player-session';
import type { MyAssignment } from '@/features/quiz/api/get-my-assignments';
import { explanationsHeld, sectionsOf } from '@/features/quiz/model/assignment';
import { blockSummary, tutorVerdict } from '@/features/quiz/model/player-view';
import { setActiveBlock } from '@/lib/active-block';
import { BlockQuestionImages } from '@/components/question-images';
import { mediaPaths } from '@/lib/question-media';
import { isChoice, type Choice } from '@/lib/taxonomy';
import { getErrorMessage } from '@/lib/errors';
import { navigate } from '@/lib/router';
import { BlockTimer } from './block-timer';
import { ChoiceList } from './choice-list';
import { EndBlockDialog } from './end-block-dialog';
import { LabValuesDialog } from './lab-values-dialog';
import { QuestionGrid } from './question-grid';
import { useMyAssignment } from './use-assignment';
import './player.css';

const reviewPath = (attemptId: string) => `/blocks/${attemptId}/review`;
/** Where a block goes when it has ended: its review, or for an assignment's section the assignment (its next step). */
const afterEndPath = (attempt: Attempt) => (attempt.assignment_id !== null ? `/assignments/${attempt.assignment_id}` : reviewPath(attempt.id));
/** A live block is taken on its session's screen while the session runs, and reviewed afterwards; never here. */
const liveBlockPath = (attempt: Attempt) =>
  attempt.completed_at === null && attempt.live_session_id !== null ? `/live/${attempt.live_session_id}` : reviewPath(attempt.id);
const NO_OUTCOMES: readonly AnswerOutcome[] = [];

export function BlockPlayer({ attemptId }: { attemptId: string }) {
  const [stored] = useState(() => loadBlockLedger(window.localStorage, attemptId));
  // The attempt comes from the cache (put there by the create page) or from this device's saved copy,
  // and is fetched only when neither has it (another device, cleared storage).
  const { data: attempt } = useSuspenseQuery({ ...getAttemptQueryOptions(attemptId), initialData: stored?.attempt });
  if (attempt.kind === 'live') return <Redirect to={liveBlockPath(attempt)} />;
  // An ended block is never reopened: its answers are final (an exam section is closed for good).
  if (attempt.completed_at) return <Redirect to={afterEndPath(attempt)} />;
  return <BlockQuestions attempt={attempt} stored={stored} />;
}

/** Loads the block's questions (only those: see get-block-questions.ts), then the player. */
function BlockQuestions({ attempt, stored }: { attempt: Attempt; stored: BlockLedger | null }) {
  const queryClient = useQueryClient();
  const ids = attempt.question_ids;
  const { data: questions } = useSuspenseQuery({
    ...getBlockQuestionsQueryOptions(ids),
    // Started from the create page, the bank is cached: no request, and it is as fresh as the bank.
    initialData: () => blockQuestionsFromBank(queryClient, ids),
    initialDataUpdatedAt: () => queryClient.getQueryState(getBankQueryOptions().queryKey)?.dataUpdatedAt,
  });
  return <PlayerScreen attempt={attempt} questions={questions} stored={stored} />;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return (
    <p role="status" className="muted">
      This block has ended — opening what comes next…
    </p>
  );
}

function PlayerScreen({ attempt, questions: rows, stored }: { attempt: Attempt; questions: Question[]; stored: BlockLedger | null }) {
  const queryClient = useQueryClient();
  // An assignment's section: its title, and whether its explanations wait for the due date (held while
  // the assignment is not known yet — an instructor's choice is not overridden by a slow line).
  const { assignment, list: assignments } = useMyAssignment(attempt.assignment_id);
  const [openedAt] = useState(() => Date.now());
  const holdExplanations = attempt.assignment_id !== null && (assignment ? explanationsHeld(assignment, openedAt) : assignments.data === undefined);
  const questions = useMemo(() => new Map(rows.map((q) => [q.id, q])), [rows]);
  // Every image of the block signed in one request (offline: the copies this device holds); the figures
  // wait for the URLs, not this screen.
  const imagePaths = useMemo(() => rows.flatMap((q) => mediaPaths(q.media)), [rows]);
  const timed = attempt.mode === 'timed';

  // The stored ledger counts only if its player state is this block's; otherwise the block starts afresh.
  const [restored] = useState(() => {
    const player = restorablePlayer(stored, attempt);
    return stored && player ? { ...stored, player } : null;
  });
  const [state, setState] = useState(() => restored?.player ?? initialPlayerState(attempt.id, attempt.mode, attempt.question_ids, Date.now()));
  const dispatch = (action: Parameters<typeof playerReducer>[1]) => setState((s) => playerReducer(s, action));
  // What was already handed to the outbox (hand-off.ts returns it after each hand-off).
  const handed = useRef({ sentAnswerIds: restored?.sentAnswerIds ?? [], completionSent: restored?.completionSent ?? false });

  // Server outcomes: the ones saved in the ledger plus those arriving now.
  const outcomes = useBlockOutcomes(attempt.id, restored?.outcomes ?? NO_OUTCOMES);
  const syncErrors = useBlockSyncErrors(attempt.id);
  const rejected = [...outcomes.values()].filter((o) => o.status === 'rejected').length;

  // Hand new answers (and, once, the completion) to the outbox with the ledger, and leave when ended.
  useEffect(() => {
    const ledger = handOff(
      queryClient,
      { version: 1, attempt, player: state, ...handed.current, outcomes: [...outcomes.values()] },
      getAttemptQueryOptions(attempt.id).queryKey,
    );
    handed.current = { sentAnswerIds: ledger.sentAnswerIds, completionSent: ledger.completionSent };
    if (state.endedAt !== null) navigate(afterEndPath(attempt), { replace: true });
  }, [state, attempt, outcomes, queryClient]);

  // While a block runs, an app update waits (a service-worker reload mid-block would cost focus and time).
  useEffect(() => {
    setActiveBlock(attempt.id);
    return () => setActiveBlock(null);
  }, [attempt.id]);

  const [labsOpen, setLabsOpen] = useState(false);
  const [endOpen, setEndOpen] = useState(false);
  const [live, setLive] = useState({ text: '', n: 0 });
  const announce = (text: string) => setLive((l) => ({ text, n: l.n + 1 }));

  // Moving to another question puts focus on its heading, so screen readers read where they are and
  // focus never stays on a choice of the question that was left.
  const headingRef = useRef<HTMLHeadingElement>(null);
  const firstIndex = useRef(true);
  useEffect(() => {
    if (firstIndex.current) {
      firstIndex.current = false;
      return;
    }
    headingRef.current?.focus();
  }, [state.index]);

  const qid = currentQuestionId(state);
  const question = questions.get(qid);
  const number = state.index + 1;
  const total = state.questionIds.length;
  const submitted = state.submitted[qid];
  const selected = submitted?.choice ?? state.selected[qid];
  const struck = state.struck[qid] ?? [];
  const isMarked = state.marked.includes(qid);
  const summary = blockSummary(state);

  const verdict = !timed && submitted ? tutorVerdict(submitted.choice, question?.correct_choice, outcomes.get(submitted.id)) : null;

  const select = (choice: Choice) => {
    if (submitted) return announce('This question is already submitted.');
    if (struck.includes(choice)) return announce(`Choice ${choice} is struck out. Restore it to choose it.`);
    dispatch({ type: 'select', choice });
  };

  const submit = () => {
    if (submitted) return announce('This question is already submitted.');
    const choice = state.selected[qid];
    if (!choice) return announce('Select an answer first.');
    dispatch({ type: 'submit', now: Date.now(), answerId: crypto.randomUUID() });
    if (timed || !question) return announce('Answer submitted.');
    announce(choice === question.correct_choice ? 'Answer submitted. Correct.' : `Answer submitted. Incorrect — the correct answer is ${question.correct_choice}.`);
  };

  const strike = (choice: Choice) => {
    if (submitted) return;
    dispatch({ type: 'toggleStrike', choice });
    announce(struck.includes(choice) ? `Choice ${choice} restored.` : `Choice ${choice} struck out.`);
  };

  const setConfidence = (confidence: Confidence) => {
    if (submitted) return announce('This question is already submitted.');
    const cleared = state.confidence[qid] === confidence;
    dispatch({ type: 'setConfidence', confidence });
    announce(cleared ? 'Confidence cleared.' : `Confidence: ${CONFIDENCE_LABELS[confidence].toLowerCase()}.`);
  };

  const toggleMark = () => {
    dispatch({ type: 'toggleMark' });
    announce(isMarked ? `Question ${number} unmarked.` : `Question ${number} marked for review.`);
  };

  const go = (type: 'next' | 'previous') => {
    if (type === 'next' && state.index === total - 1) return announce('This is the last question. End the block when you are ready.');
    if (type === 'previous' && state.index === 0) return announce('This is the first question.');
    dispatch({ type, now: Date.now() });
  };

  const endBlock = () => {
    setEndOpen(false);
    setLabsOpen(false);
    // One id per pending selection: ending submits them like Enter would.
    const answerIds = Object.keys(state.selected).map(() => crypto.randomUUID());
    dispatch({ type: 'end', now: Date.now(), answerIds });
  };

  const act = (intent: KeyIntent) => {
    switch (intent.type) {
      case 'select':
        return select(intent.choice);
      case 'submit':
        return submit();
      case 'next':
      case 'previous':
        return go(intent.type);
      case 'toggleMark':
        return toggleMark();
      case 'strike': {
        // The focused choice (its radio or strike button), else the selected one.
        const focused = document.activeElement instanceof HTMLElement ? document.activeElement.closest('[data-choice]')?.getAttribute('data-choice') : null;
        const target = focused && isChoice(focused) ? focused : state.selected[qid];
        if (!target) return announce('Focus or select a choice to strike it out.');
        return strike(target);
      }
      case 'confidence':
        return setConfidence(intent.confidence);
      case 'labs':
        return setLabsOpen(true);
    }
  };

  const onKeyDown = useEffectEvent((e: KeyboardEvent) => {
    if (e.defaultPrevented || e.repeat || e.isComposing || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    if (isTypingTarget(e.target)) return;
    const intent = keyIntent(e.key);
    if (!intent || endOpen) return;
    if (labsOpen) {
      // L toggles the sheet; every other shortcut waits until it is closed.
      if (intent.type === 'labs') {
        e.preventDefault();
        setLabsOpen(false);
      }
      return;
    }
    const target = e.target instanceof HTMLElement ? e.target : null;
    // Enter on a button or link activates that control, not "submit answer".
    if (intent.type === 'submit' && target?.closest('button, a, summary')) return;
    // Arrow keys inside the radio group move between choices (native behaviour).
    if (e.key.startsWith('Arrow') && target instanceof HTMLInputElement && target.type === 'radio') return;
    e.preventDefault();
    act(intent);
  });
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKeyDown(e);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  // BlockTimer calls this from an effect event, so it always sees the current state.
  const onTimeUp = () => {
    if (state.endedAt !== null) return;
    announce('Time is up. The block has ended.');
    endBlock();
  };

  const alerts: ReactNode[] = [];
  const creationError = syncErrors.creation;
  if (creationError !== undefined) {
    alerts.push(
      <p key="create">
        <strong>This block could not be saved to your account.</strong> {getErrorMessage(creationError)} Your answers are kept on this device.
      </p>,
    );
  }
  const answerErrors = syncErrors.answers;
  if (answerErrors.length > 0 || rejected > 0) {
    const n = answerErrors.length + rejected;
    alerts.push(
      <p key="answers">
        <strong>
          {n} {n === 1 ? 'answer was' : 'answers were'} not saved to your account.
        </strong>{' '}
        {answerErrors[0] !== undefined ? getErrorMessage(answerErrors[0]) : 'The server did not accept them.'}
      </p>,
    );
  }

  return (
    <div className="player" data-mode={attempt.mode}>
      <header className="card player-bar">
        <div className="player-bar-main">
          <h1 className="player-title">{blockTitle(attempt, assignment)}</h1>
          <div
            role="progressbar"
            aria-label="Block progress"
            aria-valuemin={0}
            aria-valuemax={total}
            aria-valuenow={summary.answered}
            aria-valuetext={`Question ${number} of ${total}, ${summary.answered} answered`}
            className="player-progress"
          >
            <span className="player-progress-fill" style={{ width: `${(summary.answered / total) * 100}%` }} />
          </div>
          <p className="muted player-progress-text">
            {summary.answered} of {total} answered
          </p>
        </div>
        {timed && attempt.time_limit_seconds !== null ? (
          <BlockTimer startedAtMs={Date.parse(attempt.started_at)} limitSeconds={attempt.time_limit_seconds} onExpire={onTimeUp} onWarning={announce} />
        ) : null}
        <div className="row player-tools">
          {/* A toggle keeps one name; its state is aria-pressed (and the "Marked" badge by the heading). */}
          <button type="button" className="button player-mark-toggle" aria-pressed={isMarked} aria-keyshortcuts="M" onClick={toggleMark}>
            Mark <kbd>M</kbd>
          </button>
          <button type="button" className="button" aria-haspopup="dialog" aria-keyshortcuts="L" onClick={() => setLabsOpen(true)}>
            Lab values <kbd>L</kbd>
          </button>
          <button type="button" className="button" aria-haspopup="dialog" onClick={() => setEndOpen(true)}>
            End block
          </button>
        </div>
      </header>

      {alerts.length > 0 ? (
        <div role="alert" className="card player-alert stack-sm">
          {alerts}
        </div>
      ) : null}

      <section className="card player-question stack" aria-labelledby="player-question-heading">
        <h2 id="player-question-heading" ref={headingRef} tabIndex={-1} className="player-question-heading">
          Question {number} of {total}
          {isMarked ? <span className="badge player-marked-badge">Marked</span> : null}
        </h2>
        {question ? (
          <>
            <p className="player-stem">{question.stem}</p>
            <BlockQuestionImages media={question.media} placement="stem" paths={imagePaths} />
            <ChoiceList
              questionId={qid}
              questionNumber={number}
              choices={question.choices}
              selected={selected}
              struck={struck}
              locked={Boolean(submitted)}
              verdict={verdict}
              onSelect={select}
              onStrike={strike}
              images={(c) => <BlockQuestionImages media={question.media} placement="choice" choice={c} paths={imagePaths} />}
            />
            <ConfidencePicker value={submitted ? (submitted.confidence ?? undefined) : state.confidence[qid]} locked={Boolean(submitted)} onPick={setConfidence} />
          </>
        ) : (
          <p>This question is no longer in the question bank. Move on to the next one.</p>
        )}

        <div className="row player-nav">
          <button type="button" className="button" aria-keyshortcuts="P ArrowLeft" onClick={() => go('previous')}>
            Previous <kbd>P</kbd>
          </button>
          <button type="button" className="button button-primary" aria-keyshortcuts="Enter" onClick={submit} aria-disabled={Boolean(submitted) || !selected}>
            {submitted ? 'Submitted' : 'Submit'} <kbd>Enter</kbd>
          </button>
          <button type="button" className="button" aria-keyshortcuts="N ArrowRight" onClick={() => go('next')}>
            Next <kbd>N</kbd>
          </button>
        </div>

        {submitted && timed ? <p className="muted">Answer submitted — you will see the results when the block ends.</p> : null}
        {verdict && question ? (
          <section className="player-feedback" data-correct={verdict.correct} aria-labelledby="player-feedback-heading">
            <h3 id="player-feedback-heading">{verdict.correct ? 'Correct' : 'Incorrect'}</h3>
            <p>
              {verdict.correct ? `You chose ${verdict.chosen}.` : `You chose ${verdict.chosen}; the correct answer is ${verdict.key}.`}
            </p>
            <h4>Explanation</h4>
            {holdExplanations ? (
              <p className="muted">Explanations for this assignment open after its due date.</p>
            ) : (
              <>
                <p className="player-explanation">{question.explanation}</p>
                <BlockQuestionImages media={question.media} placement="explanation" paths={imagePaths} />
              </>
            )}
          </section>
        ) : null}
      </section>

      <QuestionGrid state={state} onGoto={(index) => dispatch({ type: 'goto', index, now: Date.now() })} />

      <p className="muted player-keys">
        Keys: <kbd>A</kbd>–<kbd>E</kbd> choose · <kbd>Enter</kbd> submit · <kbd>N</kbd>/<kbd>→</kbd> next · <kbd>P</kbd>/<kbd>←</kbd> previous ·{' '}
        <kbd>M</kbd> mark · <kbd>X</kbd> strike out · <kbd>S</kbd>/<kbd>U</kbd>/<kbd>G</kbd> sure, unsure, guessed · <kbd>L</kbd> lab values
      </p>

      <p role="status" aria-live="polite" className="visually-hidden">
        <span key={live.n}>{live.text}</span>
      </p>

      <LabValuesDialog open={labsOpen} onClose={() => setLabsOpen(false)} />
      <EndBlockDialog open={endOpen} summary={summary} timed={timed} onCancel={() => setEndOpen(false)} onConfirm={endBlock} />
    </div>
  );
}

function blockTitle(attempt: Attempt, assignment: MyAssignment | undefined): string {
  if (attempt.kind === 'assignment') {
    const title = assignment?.title ?? 'Assignment';
    const sections = assignment ? sectionsOf(assignment).length : 1;
    return sections > 1 && attempt.section !== null ? `${title} — section ${attempt.section + 1} of ${sections}` : title;
  }
  if (attempt.kind === 'live') return 'Live session';
  return attempt.kind === 'review' ? 'Review block' : attempt.mode === 'timed' ? 'Timed block' : 'Tutor block';
}

/** Text entry where letters must stay letters (radios and checkboxes are not typing). */
function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['radio', 'checkbox', 'button', 'submit', 'reset'].includes(target.type);
}

const CONFIDENCE_LABELS: Record<Confidence, string> = { sure: 'Sure', unsure: 'Unsure', guessed: 'Guessed' };
const CONFIDENCE_KEYS: Record<Confidence, string> = { sure: 'S', unsure: 'U', guessed: 'G' };

/**
 * "How sure are you?" — optional, said before submitting and sent with the answer: spaced review
 * schedules a guessed right answer like a miss and an unsure one sooner (docs/decisions/021-spaced-review.md).
 */
function ConfidencePicker({ value, locked, onPick }: { value: Confidence | undefined; locked: boolean; onPick: (c: Confidence) => void }) {
  return (
    <div role="group" aria-label="How sure are you? (optional)" className="row player-confidence">
      <span className="muted" aria-hidden="true">
        How sure are you?
      </span>
      {confidenceSchema.options.map((c) => (
        <button
          key={c}
          type="button"
          className="button"
          aria-pressed={value === c}
          aria-disabled={locked}
          aria-keyshortcuts={CONFIDENCE_KEYS[c]}
          onClick={() => onPick(c)}
        >
          {CONFIDENCE_LABELS[c]} <kbd>{CONFIDENCE_KEYS[c]}</kbd>
        </button>
      ))}
    </div>
  );
}
