/**
 * The host screen's arithmetic, on the server's clock (a device's clock is corrected by the offset from
 * a message's `now`, protocol.ts clockOffsetMs): the timing its "next question" sends, the countdown,
 * when the host closes a question the timer ended, and the spread of a closed question.
 */
import { CHOICES } from '@/lib/taxonomy';
import type { LiveQuestion, LiveResults } from './protocol';

/** Answers in flight when the timer ends are taken for 2 s more (the server's grace, decision 027). */
export const CLOSE_GRACE_MS = 2000;
export const HOST_TIMING_DEFAULTS = { seconds: 30, choicesAfterSeconds: 3 } as const;

/**
 * The timing in the host screen's address (`?seconds=30&choices=3`, written by the start form), each
 * value the default when missing or outside what next_live_question takes (5–600 s, 0–30 s).
 */
export function hostTimingFrom(search: string): { seconds: number; choicesAfterSeconds: number } {
  const params = new URLSearchParams(search);
  const read = (name: string, min: number, max: number, fallback: number) => {
    const raw = params.get(name) ?? '';
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    return n >= min && n <= max ? n : fallback;
  };
  return {
    seconds: read('seconds', 5, 600, HOST_TIMING_DEFAULTS.seconds),
    choicesAfterSeconds: read('choices', 0, 30, HOST_TIMING_DEFAULTS.choicesAfterSeconds),
  };
}

/** Whole seconds until the choices show (phase 'stem') or until the question closes, never below 0. */
export function secondsUntil(iso: string, serverNowMs: number): number {
  return Math.max(0, Math.ceil((Date.parse(iso) - serverNowMs) / 1000));
}

/**
 * When the host should close `q` itself: null when it is closed already (closed_at set, by the host or
 * an earlier close), else the ms from `serverNowMs` to closes_at + the grace (0 when that has passed: a
 * reload after the timer ran out still closes it, so the class gets its 'closed' message).
 */
export function autoCloseDelayMs(q: Pick<LiveQuestion, 'closes_at' | 'closed_at'>, serverNowMs: number): number | null {
  if (q.closed_at !== null) return null;
  return Math.max(0, Date.parse(q.closes_at) + CLOSE_GRACE_MS - serverNowMs);
}

/** Each letter's count and whole-number share of those who answered (0 when nobody did), the key marked. */
export function spreadOf(results: Pick<LiveResults, 'counts' | 'correct_choice'>) {
  const total = CHOICES.reduce((n, c) => n + results.counts[c], 0);
  return CHOICES.map((letter) => ({
    letter,
    count: results.counts[letter],
    percent: total === 0 ? 0 : Math.round((100 * results.counts[letter]) / total),
    isKey: letter === results.correct_choice,
  }));
}

/** "% correct" of a question or a student: whole percent, or null when there is nothing to divide. */
export function percentOf(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((100 * part) / whole);
}
