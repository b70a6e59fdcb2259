/**
 * The instructor's host screen for a live session (`/live/:id/host`), made for a projector and the
 * keyboard (N next, C close, E end): the lobby ("n joined"), each question (stem, then the choices after
 * the delay, a countdown and the live count), its close (the spread, the key, the explanation, the top
 * 5), and the end (podium and report).
 *
 * State: the get_live_session snapshot, moved on by the `live:<id>` and `live-host:<id>` messages
 * (applyLiveMessage) and by the controls' own answers; re-read whenever a topic (re)joins, polled every
 * 2 s while Realtime is not live. Times are the server's: the offset from the latest `now` corrects this
 * device's clock. When the timer ends the host closes the question itself (once) at closes_at + 2 s, so
 * every phone gets the 'closed' message even if nobody pressed "Close now".
 */
import './host-screen.css';
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useOnline } from '@/lib/live-updates';
import { getLiveImageUrlsQueryOptions, getLiveQuestionsQueryOptions, type LiveQuestionContent } from '@/features/live/api/get-live-questions';
import { QuestionImages } from '@/components/question-images';
import type { MediaUrls } from '@/lib/question-media-urls';
import { getLiveSessionQueryOptions } from '@/features/live/api/get-live-session';
import { runLiveSessionMutationOptions } from '@/features/live/api/run-live-session';
import { HostReport } from '@/features/live/components/host-report';
import { autoCloseDelayMs, percentOf, secondsUntil, spreadOf } from '@/features/live/model/host-timer';
import { applyLiveMessage } from '@/features/live/model/live-state';
import { clockOffsetMs, questionPhase, type LiveResults, type LiveSnapshot, type LiveStandings } from '@/features/live/model/protocol';
import { Link } from '@/components/link';
import { WriteError } from '@/components/write-failure';
import { getErrorMessage, hasErrorCode } from '@/lib/errors';
import { plural } from '@/lib/format';
import { useTopic } from '@/lib/realtime';

export interface HostTiming {
  seconds: number;
  choicesAfterSeconds: number;
}

/** The host screen of session `sessionId`, or why this user cannot run it. */
export function HostScreen({ sessionId, timing }: { sessionId: string; timing: HostTiming }) {
  const snapshot = useQuery(getLiveSessionQueryOptions(sessionId));
  if (snapshot.data === undefined) {
    if (snapshot.isError && hasErrorCode(snapshot.error, '42501')) {
      return (
        <section className="card stack-sm">
          <h1>Not your session</h1>
          <p>This live session is run by another cohort&rsquo;s instructor, or it does not exist.</p>
          <p>
            <Link href="/instructor">Back to your cohorts</Link>
          </p>
        </section>
      );
    }
    if (snapshot.isError) {
      return (
        <section className="card stack-sm">
          <h1>The session could not be loaded</h1>
          <p>{getErrorMessage(snapshot.error)}</p>
          <div>
            <button type="button" className="button" onClick={() => void snapshot.refetch()}>
              Try again
            </button>
          </div>
        </section>
      );
    }
    return (
      <p role="status" className="muted">
        Loading the session…
      </p>
    );
  }
  if (snapshot.data.host === null) {
    // A member of the cohort (a student, or an instructor who joined it as one): the RPCs would answer 403.
    return (
      <section className="card stack-sm">
        <h1>This is the instructor&rsquo;s screen</h1>
        <p>You are in “{snapshot.data.session.title}” as a participant — answer on your own screen.</p>
        <p>
          <Link className="button button-primary" href={`/live/${sessionId}`}>
            Go to the session
          </Link>
        </p>
      </section>
    );
  }
  return <HostRun sessionId={sessionId} timing={timing} />;
}

/** Moves the cached snapshot on by one message, or re-reads it when the message cannot be followed. */
function applyTo(client: QueryClient, sessionId: string, event: string, payload: unknown) {
  const key = getLiveSessionQueryOptions(sessionId).queryKey;
  const state = client.getQueryData(key);
  if (!state) return;
  const update = applyLiveMessage(state, event, payload);
  if (update.kind === 'state') client.setQueryData(key, update.state);
  else if (update.kind === 'refetch') void client.invalidateQueries({ queryKey: key, exact: true });
}

function HostRun({ sessionId, timing }: { sessionId: string; timing: HostTiming }) {
  const client = useQueryClient();
  const online = useOnline();
  const options = getLiveSessionQueryOptions(sessionId);
  const reread = () => void client.invalidateQueries({ queryKey: options.queryKey, exact: true });
  const onMessage = (event: string, payload: unknown) => applyTo(client, sessionId, event, payload);
  const onStatus = (status: string) => {
    if (status === 'live') reread();
  };
  const liveStatus = useTopic(`live:${sessionId}`, onMessage, onStatus);
  const hostStatus = useTopic(`live-host:${sessionId}`, onMessage, onStatus);
  const realtime = liveStatus === 'live' && hostStatus === 'live';

  const snapshot = useQuery({
    ...options,
    refetchInterval: (q) => (!realtime && online && q.state.data?.session.status !== 'ended' ? 2000 : false),
  });
  const data = snapshot.data;

  // The server's clock: the offset from the latest `now` (a question's, else the snapshot's) and when it arrived.
  const stamp = data ? (data.question?.now ?? data.now) : null;
  const [clock, setClock] = useState<{ stamp: string | null; offset: number }>({ stamp: null, offset: 0 });
  if (stamp !== null && clock.stamp !== stamp) setClock({ stamp, offset: clockOffsetMs(stamp, snapshot.dataUpdatedAt) });
  const offset = clock.offset;

  const contents = useQuery({ ...getLiveQuestionsQueryOptions(sessionId, data?.session.question_ids ?? []), enabled: data !== undefined });
  const imageUrls = useQuery(getLiveImageUrlsQueryOptions(contents.data)).data;

  const control = useMutation({
    ...runLiveSessionMutationOptions(),
    onSuccess: (result) => {
      if (result.action === 'next') applyTo(client, sessionId, 'question', result.question);
      else if (result.action === 'close') applyTo(client, sessionId, 'closed', result.closed);
      else applyTo(client, sessionId, 'ended', { session_id: sessionId, standings: result.standings });
    },
  });
  const controlMeta = runLiveSessionMutationOptions().meta;

  const session = data?.session;
  const q = data?.question ?? null;
  const ended = session?.status === 'ended';
  const closedView = !ended && q !== null && data?.results != null;
  const running = !ended && q !== null && !closedView;
  const lobby = !ended && q === null;
  const isLast = session !== undefined && q !== null && q.position + 1 >= session.question_ids.length;

  // Ticks while a question runs, for the countdown and the choices' reveal.
  const [nowMs, setNowMs] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => setNowMs(Date.now()), 250);
    return () => window.clearInterval(timer);
  }, [running]);
  const serverNow = nowMs + offset;

  // Close at closes_at + grace, once per question, when nobody has.
  const closeRequested = useRef(new Set<number>());
  const autoClose = useEffectEvent((position: number) => {
    if (closeRequested.current.has(position)) return;
    closeRequested.current.add(position);
    control.mutate({ action: 'close', sessionId });
  });
  const position = q?.position ?? null;
  const closesAt = q?.closes_at ?? null;
  const closedAt = q?.closed_at ?? null;
  useEffect(() => {
    if (ended || position === null || closesAt === null) return;
    const delay = autoCloseDelayMs({ closes_at: closesAt, closed_at: closedAt }, Date.now() + offset);
    if (delay === null) return;
    const timer = window.setTimeout(() => autoClose(position), delay);
    return () => window.clearTimeout(timer);
  }, [ended, position, closesAt, closedAt, offset]);

  const [confirmingEnd, setConfirmingEnd] = useState(false);
  const busy = control.isPending || !online;
  const canNext = !busy && (lobby || (closedView && !isLast));
  const canClose = !busy && running;
  const canEnd = !busy && !ended;
  const next = () => control.mutate({ action: 'next', sessionId, seconds: timing.seconds, choicesAfterSeconds: timing.choicesAfterSeconds });
  const close = () => control.mutate({ action: 'close', sessionId });
  const end = () => {
    setConfirmingEnd(false);
    control.mutate({ action: 'end', sessionId });
  };

  const onKeyDown = useEffectEvent((e: KeyboardEvent) => {
    if (e.defaultPrevented || e.repeat || e.isComposing || e.altKey || e.ctrlKey || e.metaKey) return;
    const target = e.target instanceof HTMLElement ? e.target : null;
    if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
    const key = e.key.toLowerCase();
    if (key === 'escape' && confirmingEnd) setConfirmingEnd(false);
    else if (key === 'n' && canNext) next();
    else if (key === 'c' && canClose) close();
    else if (key === 'e' && canEnd) setConfirmingEnd(true);
    else return;
    e.preventDefault();
  });
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKeyDown(e);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  if (!data || !session) return null;
  const count = session.question_ids.length;
  const content = q ? contents.data?.get(q.question_id) : undefined;
  const host = data.host;

  return (
    <div className="host stack">
      <header className="host-head">
        <div>
          <p className="host-kicker">Live session{q && !ended ? ` · question ${q.position + 1} of ${count}` : ''}</p>
          <h1>{session.title}</h1>
        </div>
        <p role="status" className="host-connection" data-state={realtime ? 'live' : 'polling'}>
          {realtime
            ? 'Live'
            : online
              ? 'Reconnecting — checking every 2 s'
              : 'Offline — the class keeps what is on their screens; the controls come back with the connection.'}
        </p>
      </header>

      {lobby ? (
        <section className="host-panel stack" aria-labelledby="host-lobby-heading">
          <h2 id="host-lobby-heading" className="visually-hidden">
            Waiting for the class
          </h2>
          <p className="host-big">{plural(host?.participants ?? 0, 'student joined', 'students joined')}</p>
          <p>Students: open Rounds and choose “Join” on the live session banner.</p>
          <p className="muted">
            {plural(count, 'question', 'questions')} · {timing.seconds} s each · the choices {timing.choicesAfterSeconds} s after the stem
          </p>
        </section>
      ) : null}

      {running && q ? (
        <RunningQuestion
          position={q.position}
          count={count}
          content={content}
          imageUrls={imageUrls}
          phase={questionPhase(q, serverNow)}
          choicesIn={secondsUntil(q.choices_at, serverNow)}
          secondsLeft={secondsUntil(q.closes_at, serverNow)}
          answered={host?.answered ?? 0}
          participants={host?.participants ?? 0}
        />
      ) : null}

      {closedView && q && data.results ? (
        <ClosedQuestion position={q.position} count={count} content={content} imageUrls={imageUrls} results={data.results} standings={data.standings} />
      ) : null}

      {ended ? (
        <>
          <Podium standings={data.standings} />
          <HostReport sessionId={sessionId} title={session.title} contents={contents.data} />
        </>
      ) : (
        <div className="stack-sm">
          <div className="row host-controls" role="group" aria-label="Session controls">
            {lobby || closedView ? (
              <button type="button" className="button button-primary" onClick={next} disabled={!canNext} aria-keyshortcuts="N">
                {lobby ? 'Show first question' : isLast ? 'That was the last question' : 'Next question'} <kbd>N</kbd>
              </button>
            ) : null}
            {running ? (
              <button type="button" className="button button-primary" onClick={close} disabled={!canClose} aria-keyshortcuts="C">
                Close now <kbd>C</kbd>
              </button>
            ) : null}
            <button type="button" className="button" onClick={() => setConfirmingEnd(true)} disabled={!canEnd} aria-keyshortcuts="E">
              End session <kbd>E</kbd>
            </button>
          </div>
          {confirmingEnd ? (
            <div className="row host-confirm" role="group" aria-label="Confirm ending the session">
              <span>End the session for everyone? The podium and the report follow.</span>
              <button type="button" className="button button-danger" onClick={end} autoFocus>
                Yes, end session
              </button>
              <button type="button" className="button" onClick={() => setConfirmingEnd(false)}>
                Cancel
              </button>
            </div>
          ) : null}
        </div>
      )}
      <WriteError error={control.error} meta={controlMeta} />
      {!ended ? <p className="muted small">Keys: N next question · C close now · E end session</p> : null}
    </div>
  );
}

function formatClock(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

function RunningQuestion({
  position,
  count,
  content,
  imageUrls,
  phase,
  choicesIn,
  secondsLeft,
  answered,
  participants,
}: {
  position: number;
  count: number;
  content: LiveQuestionContent | undefined;
  imageUrls: MediaUrls | undefined;
  phase: 'stem' | 'open' | 'closed';
  choicesIn: number;
  secondsLeft: number;
  answered: number;
  participants: number;
}) {
  const share = participants === 0 ? 0 : Math.min(100, (100 * answered) / participants);
  return (
    <section className="host-panel stack" aria-labelledby="host-question-heading">
      <h2 id="host-question-heading" className="visually-hidden">
        Question {position + 1} of {count}
      </h2>
      <p className="host-stem">{content?.stem ?? 'Loading the question…'}</p>
      {content ? <QuestionImages media={content.media} placement="stem" urls={imageUrls} /> : null}
      {phase === 'stem' ? (
        <p className="host-wait">Choices in {choicesIn}…</p>
      ) : content ? (
        <ol className="host-choices" type="A">
          {content.choices.map((text, i) => (
            <li key={i}>{text}</li>
          ))}
        </ol>
      ) : null}
      <div className="host-meter-row">
        <p className="host-timer">
          {phase === 'closed' ? (
            "Time's up — closing…"
          ) : (
            <>
              <span className="visually-hidden">Time left </span>
              <span role="timer">{formatClock(secondsLeft)}</span>
            </>
          )}
        </p>
        <div className="host-count">
          <p className="host-count-text">
            {answered} of {participants} answered
          </p>
          <div className="host-bar" aria-hidden="true">
            <span style={{ width: `${share}%` }} />
          </div>
        </div>
      </div>
    </section>
  );
}

function ClosedQuestion({
  position,
  count,
  content,
  imageUrls,
  results,
  standings,
}: {
  position: number;
  count: number;
  content: LiveQuestionContent | undefined;
  imageUrls: MediaUrls | undefined;
  results: LiveResults;
  standings: LiveStandings | null;
}) {
  const spread = spreadOf(results);
  const keyIndex = spread.findIndex((s) => s.isKey);
  const correctPct = percentOf(results.correct, results.answered);
  return (
    <section className="host-panel stack" aria-labelledby="host-closed-heading">
      <h2 id="host-closed-heading" className="host-kicker">
        Question {position + 1} of {count} — closed
      </h2>
      {content ? <p className="host-stem host-stem-small">{content.stem}</p> : null}
      <ul className="host-spread" aria-label={`Answers to question ${position + 1}, key ${results.correct_choice}`}>
        {spread.map((s, i) => (
          <li key={s.letter} className={s.isKey ? 'is-key' : undefined}>
            <span className="host-spread-letter">{s.letter}</span>
            <span className="host-spread-text">{content?.choices[i] ?? ''}</span>
            <span className="host-spread-track" aria-hidden="true">
              <span style={{ width: `${s.percent}%` }} />
            </span>
            <span className="host-spread-count">
              {s.count} ({s.percent}%){s.isKey ? <span className="visually-hidden"> — the correct answer</span> : null}
            </span>
          </li>
        ))}
      </ul>
      <p className="host-answer-summary">
        {results.answered} of {results.participants} answered · {results.correct} correct{correctPct === null ? '' : ` (${correctPct}%)`}
      </p>
      <div className="host-key stack-sm">
        <p>
          <strong>Answer: {results.correct_choice}</strong>
          {content && keyIndex >= 0 ? ` — ${content.choices[keyIndex] ?? ''}` : ''}
        </p>
        {content?.explanation ? <p>{content.explanation}</p> : null}
        {content ? <QuestionImages media={content.media} placement="explanation" urls={imageUrls} /> : null}
      </div>
      {standings && standings.top.length > 0 ? (
        <div className="stack-sm">
          <h3 id="host-top-heading">Top {Math.min(5, standings.top.length)}</h3>
          <ol className="host-top" aria-labelledby="host-top-heading">
            {standings.top.slice(0, 5).map((p) => (
              <li key={p.place}>
                <span className="host-top-name">{p.name}</span> <span className="muted">{p.correct} correct</span>
              </li>
            ))}
          </ol>
        </div>
      ) : null}
    </section>
  );
}

const PLACES = ['1st', '2nd', '3rd'];

function Podium({ standings }: { standings: LiveSnapshot['standings'] }) {
  const top = standings?.top.slice(0, 3) ?? [];
  return (
    <section className="host-panel stack" aria-labelledby="host-podium-heading">
      <h2 id="host-podium-heading">Podium</h2>
      {top.length === 0 ? (
        <p>Nobody answered this time.</p>
      ) : (
        <ol className="host-podium" aria-labelledby="host-podium-heading">
          {top.map((p) => (
            <li key={p.place} data-place={p.place}>
              <span className="host-podium-place">{PLACES[p.place - 1] ?? `${p.place}th`}</span>
              <span className="host-podium-name">{p.name}</span>
              <span className="muted">{p.correct} correct</span>
            </li>
          ))}
        </ol>
      )}
      <p className="muted">{plural(standings?.participants ?? 0, 'student took part', 'students took part')}.</p>
    </section>
  );
}
