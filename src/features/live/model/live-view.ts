/**
 * What the student's live screen shows, from what this device knows: the session's state (snapshot moved
 * on by messages), the server-corrected clock, this student's answer to the question on screen (given on
 * this phone — the block ledger — or on another one — the snapshot's `mine`), the server's outcome of it,
 * and whether the device is online. Pure, so every phase × answer × outcome is tested without a screen.
 */
import type { AnswerOutcome } from '@/answer-sync/shapes';
import type { Choice } from '@/lib/taxonomy';
import { questionPhase, rankOf, type LiveSnapshot } from './protocol';

/**
 * This student's answer to one question.
 * - none: not answered (anywhere);
 * - sending: handed to the outbox, online, no outcome yet;
 * - saved: handed to the outbox while offline (it waits on this phone);
 * - counted: the server has it (accepted here, or read back from the snapshot: another phone's);
 * - too-late: the server refused it, it arrived after the question closed (never stored, never counted);
 * - refused: the server refused it for another reason.
 */
export type MyAnswer =
  | { state: 'none' }
  | { state: 'sending' | 'saved' | 'too-late' | 'refused'; choice: Choice }
  | { state: 'counted'; choice: Choice };

/** The answer given on this phone, if any, with the server's outcome of it when known. */
export interface LocalAnswer {
  choice: Choice;
  outcome: AnswerOutcome | undefined;
}

export function myAnswer(local: LocalAnswer | undefined, fromServer: { choice: Choice } | undefined, online: boolean): MyAnswer {
  if (local) {
    const o = local.outcome;
    if (o?.status === 'rejected') {
      if (o.reason === 'too_late') return { state: 'too-late', choice: local.choice };
      // Another phone's answer got there first: that one is the student's answer.
      if (fromServer) return { state: 'counted', choice: fromServer.choice };
      return { state: 'refused', choice: local.choice };
    }
    if (o) return { state: 'counted', choice: local.choice };
    if (fromServer) return { state: 'counted', choice: fromServer.choice };
    return { state: online ? 'sending' : 'saved', choice: local.choice };
  }
  return fromServer ? { state: 'counted', choice: fromServer.choice } : { state: 'none' };
}

/**
 * The screen:
 * - lobby: joined, no question shown yet;
 * - stem: the stem is up, choices in `seconds`;
 * - open: the choices are open for `secondsLeft` (`fraction` of the window left), `canAnswer` once;
 * - closed: the question is over; `verdict` says how this student did (`waiting` until the key arrives);
 * - ended: the podium.
 */
export type LiveView =
  | { screen: 'lobby' }
  | { screen: 'stem'; seconds: number }
  | { screen: 'open'; secondsLeft: number; fraction: number; canAnswer: boolean; answer: MyAnswer }
  | { screen: 'closed'; verdict: Verdict; answer: MyAnswer }
  | { screen: 'ended' };

/**
 * right / wrong: from the key against the answer the server counted; unanswered; too-late and refused:
 * the server's word; pending: the answer has not reached the server (it may still, in the grace second,
 * or be refused as too late); waiting: the question is over but its key has not arrived yet.
 */
export type Verdict = 'right' | 'wrong' | 'unanswered' | 'too-late' | 'refused' | 'pending' | 'waiting';

export function liveView(snapshot: LiveSnapshot, serverNowMs: number, answer: MyAnswer): LiveView {
  if (snapshot.session.status === 'ended') return { screen: 'ended' };
  const q = snapshot.question;
  if (!q) return { screen: 'lobby' };
  switch (questionPhase(q, serverNowMs)) {
    case 'stem':
      return { screen: 'stem', seconds: Math.max(1, Math.ceil((Date.parse(q.choices_at) - serverNowMs) / 1000)) };
    case 'open': {
      const closes = Date.parse(q.closes_at);
      const window = closes - Date.parse(q.choices_at);
      const left = Math.max(0, closes - serverNowMs);
      return {
        screen: 'open',
        secondsLeft: Math.ceil(left / 1000),
        fraction: window > 0 ? Math.min(1, left / window) : 0,
        canAnswer: answer.state === 'none',
        answer,
      };
    }
    case 'closed':
      return { screen: 'closed', verdict: verdictOf(answer, snapshot.results?.question_id === q.question_id ? snapshot.results.correct_choice : null), answer };
  }
}

function verdictOf(answer: MyAnswer, key: Choice | null): Verdict {
  switch (answer.state) {
    case 'none':
      return 'unanswered';
    case 'too-late':
    case 'refused':
      return answer.state;
    case 'sending':
    case 'saved':
      return 'pending';
    case 'counted':
      if (key === null) return 'waiting';
      return answer.choice === key ? 'right' : 'wrong';
  }
}

/**
 * How many questions this student has right so far: the snapshot's own answers graded (`mine`, the
 * server's copy, graded once each question closed) and this phone's accepted outcomes, once per question.
 */
export function myCorrect(mine: LiveSnapshot['mine'], accepted: ReadonlyMap<number, AnswerOutcome>): number {
  const right = new Set<number>();
  for (const m of mine) if (m.is_correct === true) right.add(m.question_id);
  for (const [questionId, o] of accepted) if (o.status !== 'rejected' && o.is_correct === true) right.add(questionId);
  return right.size;
}

/** "You're 3rd of 28 · 2 correct" from the standings' scores. */
export function rankLine(standings: NonNullable<LiveSnapshot['standings']>, correct: number): string {
  const rank = rankOf(standings.scores, correct);
  return `You're ${ordinal(rank)} of ${Math.max(standings.participants, rank)} · ${correct} correct`;
}

export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}
