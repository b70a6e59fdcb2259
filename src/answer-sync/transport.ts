/**
 * The answer outbox's transport: collects answers and block (attempt) updates from many concurrent
 * callers and sends them in as few `submit_answers` calls as possible — at most 50 answers per call,
 * together with the blocks those answers belong to, so an answer never reaches the server before its
 * block. 500 queued answers are 10 requests.
 *
 * Contract:
 * - `submitAnswer` / `upsertAttempt` resolve when the server has answered for that item (an answer's
 *   outcome may be `rejected` — that is a final answer, not an error) and reject with the request's error
 *   otherwise. They never retry: the caller (a persisted React Query mutation) owns retries, pausing and
 *   persistence, and simply calls again. The server is idempotent by answer id, so any replay is harmless.
 * - Items are grouped for `delayMs` (or until 50 answers wait), then sent in order of arrival.
 * - A batch refused as malformed (HTTP 400 class) is split and its items re-sent one by one once, so one
 *   bad item cannot fail the others.
 * - Retries share one clock (`nextRetryInMs`): a failed request opens a retry slot (exponential backoff
 *   over consecutive failed slots, capped at 30 s, reset by any successful request) and every item that
 *   fails before that slot is due retries at it. The callers' retries then arrive together and are
 *   batched again; each retrying with its own backoff and jitter would scatter them into many small
 *   requests that run into the server's rate limit (60 calls/min) after a flaky spell.
 */
import type { AnswerInput, AnswerOutcome, AttemptWrite } from './shapes';

export type SendBatch = (answers: AnswerInput[], attempts: AttemptWrite[]) => Promise<AnswerOutcome[]>;

export interface SyncPipelineOptions {
  send: SendBatch;
  /** Whether an error means "this batch is malformed" (worth splitting), as opposed to transient. */
  isClientError: (error: unknown) => boolean;
  maxAnswers?: number;
  delayMs?: number;
  schedule?: (fn: () => void, ms: number) => void;
  /** Observes every request (for the sync status and the request-count budget test). */
  onRequest?: (answers: number, attempts: number) => void;
  /**
   * Whether a failure was a request that failed (it opens or joins the shared retry slot), as opposed
   * to one refused before any request was made (e.g. an open circuit breaker, which says itself when to
   * come back). Default: every failure.
   */
  isFailedRequest?: (error: unknown) => boolean;
  now?: () => number;
  random?: () => number;
}

/** Backoff of the n-th consecutive failed retry slot (0-based): 1, 2, 4, 8, 16, 30 s, ±20 %. */
export function retrySlotDelayMs(n: number, random: () => number): number {
  return Math.min(30_000, 1000 * 2 ** Math.min(n, 5)) * (0.8 + random() * 0.4);
}

interface Waiter<T> {
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}
interface PendingAnswer extends Waiter<AnswerOutcome> {
  answer: AnswerInput;
  attempt: AttemptWrite | undefined;
}
interface PendingAttempt {
  attempt: AttemptWrite;
  waiters: Waiter<void>[];
}

/** Merges two versions of the same block: creation fields from either, completion and marks from the newer. */
export function mergeAttempt(older: AttemptWrite, newer: AttemptWrite): AttemptWrite {
  return {
    ...older,
    ...newer,
    completed_at: newer.completed_at ?? older.completed_at,
    ...(newer.marked_question_ids ?? older.marked_question_ids
      ? { marked_question_ids: newer.marked_question_ids ?? older.marked_question_ids }
      : {}),
  };
}

export function createSyncPipeline(opts: SyncPipelineOptions) {
  const maxAnswers = opts.maxAnswers ?? 50;
  const delayMs = opts.delayMs ?? 30;
  const schedule = opts.schedule ?? ((fn: () => void, ms: number) => void setTimeout(fn, ms));
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  let answers: PendingAnswer[] = [];
  let attempts = new Map<string, PendingAttempt>();
  let scheduled = false;
  // The shared retry clock (see header): when the next retry slot is due, and how many slots in a row
  // ended in a failed request.
  let nextRetryAt = 0;
  let failedSlots = 0;

  function noteFailedRequest() {
    if (nextRetryAt > now()) return; // joins the slot already open
    nextRetryAt = now() + retrySlotDelayMs(failedSlots, random);
    failedSlots++;
  }

  function kick(now = false) {
    if (now) {
      void flush();
      return;
    }
    if (scheduled) return;
    scheduled = true;
    schedule(() => {
      scheduled = false;
      void flush();
    }, delayMs);
  }

  async function sendItems(batchAnswers: PendingAnswer[], batchAttempts: PendingAttempt[], splitOnClientError: boolean): Promise<void> {
    const attemptPayload = new Map<string, AttemptWrite>();
    for (const a of batchAnswers) {
      if (a.attempt) attemptPayload.set(a.attempt.id, attemptPayload.has(a.attempt.id) ? mergeAttempt(attemptPayload.get(a.attempt.id) ?? a.attempt, a.attempt) : a.attempt);
    }
    for (const p of batchAttempts) {
      const prev = attemptPayload.get(p.attempt.id);
      attemptPayload.set(p.attempt.id, prev ? mergeAttempt(prev, p.attempt) : p.attempt);
    }
    const payloadAnswers = batchAnswers.map((a) => a.answer);
    opts.onRequest?.(payloadAnswers.length, attemptPayload.size);
    try {
      const outcomes = await opts.send(payloadAnswers, [...attemptPayload.values()]);
      nextRetryAt = 0;
      failedSlots = 0;
      const byId = new Map(outcomes.map((o) => [o.id, o]));
      for (const a of batchAnswers) {
        const o = byId.get(a.answer.id);
        if (o) a.resolve(o);
        else a.reject(new Error(`submit_answers returned no outcome for ${a.answer.id}`));
      }
      for (const p of batchAttempts) for (const w of p.waiters) w.resolve();
    } catch (error) {
      if (opts.isFailedRequest?.(error) ?? true) noteFailedRequest();
      const items = batchAnswers.length + batchAttempts.length;
      if (splitOnClientError && items > 1 && opts.isClientError(error)) {
        await Promise.all([
          ...batchAnswers.map((a) => sendItems([a], [], false)),
          ...batchAttempts.map((p) => sendItems([], [p], false)),
        ]);
        return;
      }
      for (const a of batchAnswers) a.reject(error);
      for (const p of batchAttempts) for (const w of p.waiters) w.reject(error);
    }
  }

  async function flush(): Promise<void> {
    const sends: Promise<void>[] = [];
    while (answers.length > 0 || attempts.size > 0) {
      const batchAnswers = answers.slice(0, maxAnswers);
      answers = answers.slice(maxAnswers);
      // Blocks waiting on their own ride along with the first batch (≤ 50 per call).
      const batchAttempts = [...attempts.values()].slice(0, maxAnswers);
      for (const p of batchAttempts) attempts.delete(p.attempt.id);
      sends.push(sendItems(batchAnswers, batchAttempts, true));
    }
    attempts = new Map();
    await Promise.all(sends);
  }

  return {
    submitAnswer(answer: AnswerInput, attempt?: AttemptWrite): Promise<AnswerOutcome> {
      return new Promise<AnswerOutcome>((resolve, reject) => {
        answers.push({ answer, attempt, resolve, reject });
        kick(answers.length >= maxAnswers);
      });
    },
    upsertAttempt(attempt: AttemptWrite): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        const prev = attempts.get(attempt.id);
        if (prev) {
          prev.attempt = mergeAttempt(prev.attempt, attempt);
          prev.waiters.push({ resolve, reject });
        } else {
          attempts.set(attempt.id, { attempt, waiters: [{ resolve, reject }] });
        }
        kick();
      });
    },
    /** Ms until the shared retry slot is due; 0 when no failed request opened one (see header). */
    nextRetryInMs(): number {
      return Math.max(0, nextRetryAt - now());
    },
  };
}
