/**
 * The student's live session screen (`/live/:id`): lobby, the stem, five big choices with a countdown,
 * the result with the key, the class's spread and the student's rank, and the podium at the end.
 *
 * Contract:
 * - State: the server's snapshot (get_live_session) in the query cache, moved on by the `live:<id>`
 *   messages (applyLiveMessage); re-read whenever the topic is (re)joined, when a message cannot be
 *   followed, and every 2 s while Realtime is not live and the device is online. Times are the server's,
 *   read through the offset of this device's clock (every message carries the server's `now`).
 * - Answers: a live block is an ordinary block. Its ledger (src/answer-sync/block-ledger.ts, id derived
 *   from the session and the user, so every phone of the student shares it) is made on the first visit
 *   of this device and its creation queued (a second one is ignored by the server); an answer is written
 *   into the ledger's `player.submitted` and handed to the outbox by `handOff`, exactly as the block
 *   player does. The server decides whether it was in time (a refusal comes back as the outcome
 *   `too_late`: shown calmly, never retried). The end of the session ends the block once (`endedAt`).
 */
import './live.css';
import { useEffect, useEffectEvent, useRef, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { loadBlockLedger, newBlockLedger, saveBlockLedger, type BlockLedger, type GivenAnswers } from '@/answer-sync/block-ledger';
import { handOff, startBlock } from '@/answer-sync/hand-off';
import type { AnswerOutcome, Attempt } from '@/answer-sync/shapes';
import { useBlockOutcomes } from '@/answer-sync/use-block-sync';
import { Link } from '@/components/link';
import { LoadingNote } from '@/components/loading-note';
import { QuestionImages } from '@/components/question-images';
import type { MediaUrls } from '@/lib/question-media-urls';
import { requireCurrentUserId } from '@/lib/current-user';
import { getErrorMessage, hasErrorCode } from '@/lib/errors';
import { useOnline } from '@/lib/live-updates';
import { useTopic, type TopicStatus } from '@/lib/realtime';
import { CHOICES, isChoice, type Choice } from '@/lib/taxonomy';
import { getLiveImageUrlsQueryOptions, getLiveQuestionsQueryOptions, type LiveQuestionContent } from '../api/get-live-questions';
import { getLiveSessionQueryOptions } from '../api/get-live-session';
import { applyLiveMessage } from '../model/live-state';
import { liveView, myAnswer, myCorrect, rankLine, type LiveView, type MyAnswer, type Verdict } from '../model/live-view';
import { clockOffsetMs, liveBlockId, liveQuestionSchema, type LiveSnapshot } from '../model/protocol';

/** Re-reads of the snapshot while Realtime is not live (and, briefly, while a timed-out question waits for its key). */
const POLL_MS = 2000;
/** How often the countdown moves. */
const TICK_MS = 250;
const NO_OUTCOMES: readonly AnswerOutcome[] = [];

/**
 * `attemptQueryKey`: where the app caches an attempt row (the block's review reads it there), given by
 * the app because that key belongs to another feature.
 */
export function LiveScreen({ sessionId, attemptQueryKey }: { sessionId: string; attemptQueryKey: (attemptId: string) => QueryKey }) {
  const queryClient = useQueryClient();
  const online = useOnline();
  const sessionKey = getLiveSessionQueryOptions(sessionId).queryKey;
  const [offsetMs, setOffsetMs] = useState(0);

  const refetch = () => void queryClient.invalidateQueries({ queryKey: sessionKey, exact: true });
  const status = useTopic(
    `live:${sessionId}`,
    (event, payload) => {
      const q = event === 'question' ? liveQuestionSchema.safeParse(payload) : null;
      if (q?.success) setOffsetMs(clockOffsetMs(q.data.now, Date.now()));
      const current = queryClient.getQueryData<LiveSnapshot>(sessionKey);
      if (!current) return refetch();
      const update = applyLiveMessage(current, event, payload);
      if (update.kind === 'state') queryClient.setQueryData(sessionKey, update.state);
      else if (update.kind === 'refetch') refetch();
    },
    // Realtime keeps nothing for a device that was away: every (re)join re-reads the whole state.
    (s) => {
      if (s === 'live') refetch();
    },
  );

  const snapshot = useQuery({
    ...getLiveSessionQueryOptions(sessionId),
    refetchInterval: (q) => (online && needsPoll(q.state.data, status, Date.now() + offsetMs) ? POLL_MS : false),
  });

  // The server's clock, read from the snapshot (a message's `now` updates it too, above).
  const readAt = snapshot.dataUpdatedAt;
  const serverNow = snapshot.data?.now;
  const lastRead = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (serverNow === undefined || serverNow === lastRead.current) return;
    lastRead.current = serverNow;
    setOffsetMs(clockOffsetMs(serverNow, readAt));
  }, [serverNow, readAt]);

  // The block's id is derived from the session and the user: the same on every phone of the student.
  const [blockId, setBlockId] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    void requireCurrentUserId()
      .then((me) => liveBlockId(sessionId, me))
      .then((id) => {
        if (current) setBlockId(id);
      });
    return () => {
      current = false;
    };
  }, [sessionId]);

  const data = snapshot.data;
  if (data === undefined) {
    if (snapshot.isError) {
      return (
        <section className="card stack">
          <h1>This live session isn't available</h1>
          <p>
            {hasErrorCode(snapshot.error, '42501')
              ? "It isn't running in any of your cohorts. Check the link with your instructor, or join their cohort in Settings."
              : getErrorMessage(snapshot.error)}
          </p>
          <div>
            <Link href="/" className="button">
              Go home
            </Link>
          </div>
        </section>
      );
    }
    if (snapshot.fetchStatus === 'paused' || !online) {
      return (
        <p role="status" className="muted">
          You're offline — the live session will appear here when you're back online.
        </p>
      );
    }
    return <LoadingNote what="the live session" failureReason={snapshot.failureReason} />;
  }
  if (blockId === null) return <LoadingNote what="the live session" failureReason={null} />;
  return (
    <LiveBlock
      key={blockId}
      blockId={blockId}
      snapshot={data}
      offsetMs={offsetMs}
      online={online}
      status={status}
      attemptQueryKey={attemptQueryKey(blockId)}
    />
  );
}

/** Whether to re-read the snapshot now and then: Realtime is not live, or a timed-out question still has no key. */
function needsPoll(s: LiveSnapshot | undefined, status: TopicStatus, serverNowMs: number): boolean {
  if (s?.session.status === 'ended') return false;
  if (status !== 'live') return true;
  const q = s?.question;
  // The host closes at the timer's end; if that close never comes (the host's screen went away), the
  // server still calls it closed two seconds later and the snapshot then has the key.
  return q != null && q.closed_at === null && s?.results == null && serverNowMs > Date.parse(q.closes_at) + 2000;
}

/** This device's ledger of the live block: the stored one, or a new one (and its creation queued) while the session is open. */
function useLedger(blockId: string, snapshot: LiveSnapshot, attemptQueryKey: QueryKey): BlockLedger | null {
  const queryClient = useQueryClient();
  const open = snapshot.session.status === 'open';
  const [ledger] = useState(() => {
    const stored = loadBlockLedger(window.localStorage, blockId);
    // The session's instructor (the snapshot carries their count) runs it; they have no block to answer in.
    if (stored || !open || snapshot.host !== null) return stored;
    const attempt: Attempt = {
      id: blockId,
      kind: 'live',
      live_session_id: snapshot.session.id,
      mode: 'tutor',
      question_ids: snapshot.session.question_ids,
      time_limit_seconds: null,
      filters: {},
      started_at: new Date().toISOString(),
      completed_at: null,
      marked_question_ids: [],
      assignment_id: null,
      sitting_id: null,
      section: null,
    };
    const player: GivenAnswers = { attemptId: blockId, questionIds: attempt.question_ids, submitted: {}, marked: [], endedAt: null };
    return newBlockLedger(attempt, player);
  });
  // Saved and queued in an effect (not during render); a ledger already stored was queued by its first visit.
  const created = useRef(false);
  useEffect(() => {
    if (!ledger || created.current || loadBlockLedger(window.localStorage, blockId)) return;
    created.current = true;
    saveBlockLedger(window.localStorage, ledger);
    queryClient.setQueryData(attemptQueryKey, ledger.attempt);
    startBlock(queryClient, ledger.attempt);
  }, [ledger, blockId, queryClient, attemptQueryKey]);
  return ledger;
}

function LiveBlock({
  blockId,
  snapshot,
  offsetMs,
  online,
  status,
  attemptQueryKey,
}: {
  blockId: string;
  snapshot: LiveSnapshot;
  offsetMs: number;
  online: boolean;
  status: TopicStatus;
  attemptQueryKey: QueryKey;
}) {
  const queryClient = useQueryClient();
  const ledger = useLedger(blockId, snapshot, attemptQueryKey);
  const [given, setGiven] = useState<GivenAnswers | null>(() => ledger?.player ?? null);
  // What handOff recorded last (its ledger's attempt too: the completion ends it), carried into the next call.
  const handed = useRef({ sentAnswerIds: ledger?.sentAnswerIds ?? [], completionSent: ledger?.completionSent ?? false, attempt: ledger?.attempt });
  const outcomes = useBlockOutcomes(blockId, ledger?.outcomes ?? NO_OUTCOMES);

  // The player's path: every change of the given answers goes to the outbox through handOff, once.
  useEffect(() => {
    if (!ledger || !given) return;
    const { attempt, ...sent } = handed.current;
    const next = handOff(queryClient, { ...ledger, attempt: attempt ?? ledger.attempt, player: given, ...sent, outcomes: [...outcomes.values()] }, attemptQueryKey);
    handed.current = { sentAnswerIds: next.sentAnswerIds, completionSent: next.completionSent, attempt: next.attempt };
  }, [ledger, given, outcomes, queryClient, attemptQueryKey]);

  // The session's end ends the block at the server's end time (its completion is handed over once).
  const ended = snapshot.session.status === 'ended';
  if (ended && given && given.endedAt === null) setGiven({ ...given, endedAt: Date.parse(snapshot.session.ended_at ?? snapshot.now) });

  // The countdown's clock: this device's time moved to the server's.
  const [now, setNow] = useState(() => Date.now());
  const ticking = !ended && snapshot.question !== null && snapshot.question.closed_at === null;
  useEffect(() => {
    if (!ticking) return;
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, TICK_MS);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [ticking, snapshot.question?.position]);
  const serverNowMs = now + offsetMs;

  const content = useQuery(getLiveQuestionsQueryOptions(snapshot.session.id, snapshot.session.question_ids));
  const imageUrls = useQuery(getLiveImageUrlsQueryOptions(content.data)).data;
  const q = snapshot.question;
  const local = q && given ? given.submitted[q.question_id] : undefined;
  const fromServer = q ? snapshot.mine.find((m) => m.question_id === q.question_id) : undefined;
  const answer = myAnswer(local ? { choice: local.choice, outcome: outcomes.get(local.id) } : undefined, fromServer, online);
  const view = liveView(snapshot, serverNowMs, answer);

  // This phone's accepted outcomes by question (for the correct count behind the rank).
  const acceptedByQuestion = new Map<number, AnswerOutcome>();
  for (const [qid, a] of Object.entries(given?.submitted ?? {})) {
    const o = outcomes.get(a.id);
    if (o && o.status !== 'rejected') acceptedByQuestion.set(Number(qid), o);
  }
  const correct = myCorrect(snapshot.mine, acceptedByQuestion);

  const choose = (choice: Choice) => {
    if (view.screen !== 'open' || !view.canAnswer || !q || !given || given.endedAt !== null) return;
    const at = Date.now();
    setGiven((g) =>
      g && !g.submitted[q.question_id]
        ? {
            ...g,
            submitted: {
              ...g.submitted,
              [q.question_id]: {
                id: crypto.randomUUID(),
                choice,
                answeredAt: new Date(at).toISOString(),
                timeSpentMs: Math.max(0, Math.round(at + offsetMs - Date.parse(q.choices_at))),
              },
            },
          }
        : g,
    );
  };

  // A–E and 1–5 answer while the choices are open.
  const onKeyDown = useEffectEvent((e: KeyboardEvent) => {
    if (e.defaultPrevented || e.repeat || e.altKey || e.ctrlKey || e.metaKey || e.isComposing) return;
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement) return;
    const key = e.key.toUpperCase();
    if (!/^[A-E1-5]$/.test(key) || view.screen !== 'open') return;
    const choice = isChoice(key) ? key : CHOICES[Number(key) - 1];
    if (!choice) return;
    e.preventDefault();
    choose(choice);
  });
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKeyDown(e);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  // A new question takes focus to its heading, so a screen reader starts there.
  const headingRef = useRef<HTMLHeadingElement>(null);
  const position = q?.position ?? null;
  const firstPosition = useRef(position);
  useEffect(() => {
    if (position === firstPosition.current) return;
    firstPosition.current = null;
    headingRef.current?.focus();
  }, [position]);

  const question = q ? content.data?.get(q.question_id) : undefined;
  const canReview = ledger !== null || snapshot.mine.length > 0;

  return (
    <div className="stack live">
      <header className="card stack-sm">
        <p className="muted live-kicker">Live session</p>
        <h1>{snapshot.session.title}</h1>
        <ConnectionNote online={online} status={status} ended={ended} />
        {snapshot.host !== null ? (
          <p className="live-connection">
            You run this session, so you don't answer here. <Link href={`/live/${snapshot.session.id}/host`}>Open the host screen</Link>
          </p>
        ) : null}
      </header>

      {view.screen === 'lobby' ? (
        <section className="card stack live-lobby" aria-labelledby="live-heading">
          <h2 id="live-heading" ref={headingRef} tabIndex={-1}>
            You're in — waiting for the first question
          </h2>
          <p className="muted">Keep this screen open: the question appears here when your instructor starts it.</p>
        </section>
      ) : view.screen === 'ended' ? (
        <Ended snapshot={snapshot} correct={correct} reviewHref={canReview ? `/blocks/${blockId}/review` : null} />
      ) : q ? (
        <section className="card stack" aria-labelledby="live-heading">
          <h2 id="live-heading" ref={headingRef} tabIndex={-1} className="live-position">
            Question {q.position + 1} of {q.count}
          </h2>
          {question ? (
            <>
              <p className={view.screen === 'stem' ? 'live-stem live-stem-big' : 'live-stem'}>{question.stem}</p>
              <QuestionImages media={question.media} placement="stem" urls={imageUrls} />
            </>
          ) : (
            <LoadingNote what="the question" failureReason={content.failureReason} />
          )}
          {view.screen === 'stem' ? (
            <p className="live-countdown" aria-live="off">
              Choices in {view.seconds}…
            </p>
          ) : null}
          {view.screen === 'open' ? <OpenQuestion view={given ? view : { ...view, canAnswer: false }} question={question} imageUrls={imageUrls} onChoose={choose} /> : null}
          {view.screen === 'closed' ? <Closed view={view} snapshot={snapshot} question={question} imageUrls={imageUrls} correct={correct} /> : null}
        </section>
      ) : null}

      <p role="status" aria-live="polite" className="visually-hidden">
        {announcement(view)}
      </p>
    </div>
  );
}

/** One sentence per screen change for screen readers (never the ticking seconds). */
function announcement(view: LiveView): string {
  switch (view.screen) {
    case 'lobby':
      return "You're in. Waiting for the first question.";
    case 'stem':
      return 'New question. Read the stem; the choices follow.';
    case 'open':
      return view.canAnswer ? 'Choices open: answer with A to E or 1 to 5.' : answerNote(view.answer) ?? '';
    case 'closed':
      return VERDICT_TITLES[view.verdict];
    case 'ended':
      return 'The session has ended.';
  }
}

function ConnectionNote({ online, status, ended }: { online: boolean; status: TopicStatus; ended: boolean }) {
  if (!online) {
    return (
      <p className="live-connection" data-state="offline">
        You're offline. An answer you give is kept on this phone and sent when you're back — if the question closes first, it won't count.
      </p>
    );
  }
  if (status === 'unavailable' && !ended) {
    return (
      <p className="live-connection" data-state="polling">
        Reconnecting — this screen still updates every few seconds.
      </p>
    );
  }
  return null;
}

function answerNote(answer: MyAnswer): string | null {
  switch (answer.state) {
    case 'none':
      return null;
    case 'sending':
      return 'Sending your answer…';
    case 'saved':
      return "Saved on this phone — it will be sent when you're back online. If the question closes first, it won't count.";
    case 'counted':
      return 'Answer sent';
    case 'too-late':
      return VERDICT_TITLES['too-late'];
    case 'refused':
      return VERDICT_TITLES.refused;
  }
}

function OpenQuestion({
  view,
  question,
  imageUrls,
  onChoose,
}: {
  view: Extract<LiveView, { screen: 'open' }>;
  question: LiveQuestionContent | undefined;
  imageUrls: MediaUrls | undefined;
  onChoose: (c: Choice) => void;
}) {
  const chosen = view.answer.state === 'none' ? null : view.answer.choice;
  const note = answerNote(view.answer);
  return (
    <div className="stack">
      <div
        role="progressbar"
        aria-label="Time left"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(view.fraction * 100)}
        aria-valuetext={`${view.secondsLeft} seconds left`}
        className="live-timer"
      >
        <span className="live-timer-fill" style={{ width: `${view.fraction * 100}%` }} />
      </div>
      <p className="muted live-seconds" aria-hidden="true">
        {view.secondsLeft} s left
      </p>
      <div role="group" aria-label="Your answer" className="live-choices">
        {CHOICES.map((c, i) => (
          <button
            key={c}
            type="button"
            className="live-choice"
            data-choice={c}
            aria-pressed={chosen === c}
            aria-disabled={!view.canAnswer}
            aria-keyshortcuts={`${c} ${i + 1}`}
            onClick={() => onChoose(c)}
          >
            <span className="live-choice-letter">{c}</span>
            <span>{question?.choices[i] ?? ''}</span>
            {question ? <QuestionImages media={question.media} placement="choice" choice={c} urls={imageUrls} /> : null}
          </button>
        ))}
      </div>
      {note ? (
        <p className="live-answer-note" data-state={view.answer.state}>
          {note}
        </p>
      ) : (
        <p className="muted live-keys">
          One answer only: tap a choice, or press <kbd>A</kbd>–<kbd>E</kbd> or <kbd>1</kbd>–<kbd>5</kbd>.
        </p>
      )}
    </div>
  );
}

const VERDICT_TITLES: Record<Verdict, string> = {
  right: 'Correct',
  wrong: 'Incorrect',
  unanswered: "You didn't answer this one",
  'too-late': "Too late for this question — it reached the server after the question closed, so it doesn't count.",
  refused: "This answer wasn't accepted, so it doesn't count.",
  pending: "Your answer hasn't reached the server yet. If it arrives after the question closed, it won't count.",
  waiting: "Time's up — waiting for the results…",
};

function Closed({
  view,
  snapshot,
  question,
  imageUrls,
  correct,
}: {
  view: Extract<LiveView, { screen: 'closed' }>;
  snapshot: LiveSnapshot;
  question: LiveQuestionContent | undefined;
  imageUrls: MediaUrls | undefined;
  correct: number;
}) {
  const results = snapshot.results?.question_id === snapshot.question?.question_id ? snapshot.results : null;
  const key = results?.correct_choice;
  const keyIndex = key ? CHOICES.indexOf(key) : -1;
  return (
    <div className="stack">
      <div className="live-verdict" data-verdict={view.verdict}>
        <h3>{VERDICT_TITLES[view.verdict]}</h3>
        {view.answer.state !== 'none' && (view.verdict === 'right' || view.verdict === 'wrong') ? <p>You chose {view.answer.choice}.</p> : null}
      </div>
      {results ? (
        <>
          <p>
            <strong>
              Answer: {results.correct_choice}
              {question && keyIndex >= 0 ? ` — ${question.choices[keyIndex] ?? ''}` : ''}
            </strong>
          </p>
          {question ? (
            <>
              <p className="live-explanation">{question.explanation}</p>
              <QuestionImages media={question.media} placement="explanation" urls={imageUrls} />
            </>
          ) : null}
          <Spread results={results} />
        </>
      ) : null}
      {snapshot.standings ? <Standings standings={snapshot.standings} correct={correct} top={5} /> : null}
      {results ? <p className="muted">Waiting for the next question…</p> : null}
    </div>
  );
}

function Spread({ results }: { results: NonNullable<LiveSnapshot['results']> }) {
  const most = Math.max(1, ...CHOICES.map((c) => results.counts[c]));
  return (
    <figure className="live-spread">
      <figcaption className="muted">
        {results.answered} of {results.participants} answered · {results.correct} correct
      </figcaption>
      <ul>
        {CHOICES.map((c) => (
          <li key={c} data-key={c === results.correct_choice}>
            <span className="live-spread-letter">{c}</span>
            <span className="live-spread-bar" aria-hidden="true">
              <span style={{ width: `${(results.counts[c] / most) * 100}%` }} />
            </span>
            <span>
              {results.counts[c]}
              <span className="visually-hidden"> {results.counts[c] === 1 ? 'student' : 'students'}</span>
            </span>
          </li>
        ))}
      </ul>
    </figure>
  );
}

function Standings({ standings, correct, top }: { standings: NonNullable<LiveSnapshot['standings']>; correct: number; top: number }): ReactNode {
  return (
    <div className="stack-sm">
      <p className="live-rank">
        <strong>{rankLine(standings, correct)}</strong>
      </p>
      {standings.top.length > 0 ? (
        <ol className="live-top" aria-label={top === 3 ? 'Podium' : `Top ${top}`}>
          {standings.top.slice(0, top).map((s) => (
            <li key={`${s.place}:${s.name}`} data-place={s.place}>
              <span className="live-top-place">{s.place}</span> <span className="live-top-name">{s.name}</span>{' '}
              <span className="muted">
                {s.correct} correct
              </span>
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}

function Ended({ snapshot, correct, reviewHref }: { snapshot: LiveSnapshot; correct: number; reviewHref: string | null }) {
  return (
    <section className="card stack" aria-labelledby="live-heading">
      <h2 id="live-heading" tabIndex={-1}>
        The session has ended
      </h2>
      {snapshot.standings ? <Standings standings={snapshot.standings} correct={correct} top={3} /> : null}
      <div className="row">
        {reviewHref ? (
          <Link href={reviewHref} className="button button-primary">
            Review your answers
          </Link>
        ) : null}
        <Link href="/" className="button">
          Home
        </Link>
      </div>
    </section>
  );
}

