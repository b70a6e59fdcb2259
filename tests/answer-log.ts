/**
 * Random answer logs for the spaced-review cards' property tests (src/features/quiz/model/cards) and
 * their benchmark (scripts/bench-review.ts): seeded, so a failing case can be replayed.
 */
import type { Confidence } from '../src/answer-sync/shapes.ts';
import type { LoggedAnswer } from '../src/features/quiz/model/cards/log.ts';

const CONFIDENCES: readonly (Confidence | null)[] = [null, 'sure', 'sure', 'unsure', 'guessed'];
const OFFSETS_MIN = [0, 60, -300, 330]; // Z, +01:00, -05:00, +05:30: the same instant written in several zones
const DAY_MS = 86_400_000;

/** `ms` as ISO 8601 in the zone `offsetMin` minutes east of UTC, e.g. 2026-12-05T09:30:00.000+01:00. */
export function isoInZone(ms: number, offsetMin: number): string {
  if (offsetMin === 0) return new Date(ms).toISOString();
  const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, -1);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export interface AnswerLogOptions {
  answers: number;
  questions: number;
  /** Spread of answered_at from `start`, days (default 120). */
  days?: number;
  /** ms since the epoch (default 2026-08-01T00:00Z). */
  start?: number;
  /** Round answered_at to this many ms, so small logs have equal times (default 1: none). */
  grainMs?: number;
}

function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** `answers` answers over questions 1..`questions`, in answered_at order (as one device would log them). */
export function randomAnswerLog(random: () => number, options: AnswerLogOptions): LoggedAnswer[] {
  const { answers, questions, days = 120, start = Date.parse('2026-08-01T00:00:00Z'), grainMs = 1 } = options;
  const out: { at: number; answer: LoggedAnswer }[] = [];
  for (let i = 0; i < answers; i++) {
    const at = start + Math.floor((random() * days * DAY_MS) / grainMs) * grainMs;
    const slow = random() < 0.1;
    out.push({
      at,
      answer: {
        id: uuid(random),
        question_id: 1 + Math.floor(random() * questions),
        is_correct: random() < 0.65,
        answered_at: isoInZone(at, OFFSETS_MIN[Math.floor(random() * OFFSETS_MIN.length)] ?? 0),
        time_spent_ms: Math.floor((slow ? 150_000 : 15_000) + random() * 60_000),
        confidence: CONFIDENCES[Math.floor(random() * CONFIDENCES.length)] ?? null,
      },
    });
  }
  return out.sort((a, b) => a.at - b.at).map((x) => x.answer);
}

/** A copy in random order (Fisher–Yates). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = copy[i];
    const b = copy[j];
    if (a === undefined || b === undefined) continue;
    copy[i] = b;
    copy[j] = a;
  }
  return copy;
}
