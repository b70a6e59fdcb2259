/**
 * What is due, by the student's local calendar day: a card is due today when its due instant falls on
 * or before the local day containing `now`, i.e. before the next local midnight (a card due at 15:00
 * tomorrow is due all of tomorrow). Pure
 * in `now`: pass Date.now() from the UI, a fixed instant from tests (with TZ set for other zones).
 */
import type { CardState } from './card';
import type { CardDeck } from './deck';

const DAY_MS = 86_400_000;

/**
 * The local calendar day containing `ms`, as a day count (days since 1970-01-01 of that calendar date).
 * Differences between two of these are whole calendar days, daylight-saving changes included.
 */
export function localDay(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / DAY_MS;
}

/** The instant the local day `offset` days after the one containing `ms` starts (its local midnight). */
export function localMidnight(ms: number, offset: number): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + offset).getTime();
}

/** `YYYY-MM-DD` of a local day count from localDay. */
export function localDayLabel(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export interface DueFilter {
  /** Only cards whose last answer was wrong. */
  missedOnly?: boolean;
  /** Only these questions (e.g. the bank filtered by system or discipline). */
  questionIds?: ReadonlySet<number>;
}

/** Cards due by the end of the local day containing `now`: most overdue first (earliest due), ties by question id. */
export function dueCards(deck: CardDeck, now: number, filter: DueFilter = {}): CardState[] {
  const tomorrow = localMidnight(now, 1);
  const due: CardState[] = [];
  for (const card of deck.values()) {
    if (filter.missedOnly && card.lastCorrect) continue;
    if (filter.questionIds && !filter.questionIds.has(card.questionId)) continue;
    if (card.due < tomorrow) due.push(card);
  }
  return due.sort((a, b) => a.due - b.due || a.questionId - b.questionId);
}

export interface DueSummary {
  /** Due by the end of today, overdue ones included. */
  dueToday: number;
  /** Due before the start of today. */
  overdue: number;
  /** Of dueToday, those whose last answer was wrong. */
  missed: number;
}

export function dueSummary(deck: CardDeck, now: number): DueSummary {
  const today = localMidnight(now, 0);
  const tomorrow = localMidnight(now, 1);
  const summary: DueSummary = { dueToday: 0, overdue: 0, missed: 0 };
  for (const card of deck.values()) {
    if (card.due >= tomorrow) continue;
    summary.dueToday++;
    if (card.due < today) summary.overdue++;
    if (!card.lastCorrect) summary.missed++;
  }
  return summary;
}

/** Cards due on each local day from today on, `days` days; today's count includes the overdue ones. */
export function forecast(deck: CardDeck, now: number, days = 14): { day: string; count: number }[] {
  const today = localDay(now);
  // ends[i]: the instant day i of the forecast ends (the next local midnight).
  const ends = Array.from({ length: Math.max(0, days) }, (_, i) => localMidnight(now, i + 1));
  const counts = ends.map(() => 0);
  const last = ends.at(-1) ?? -Infinity;
  for (const card of deck.values()) {
    if (card.due >= last) continue;
    let i = 0;
    while ((ends[i] ?? Infinity) <= card.due) i++;
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts.map((count, i) => ({ day: localDayLabel(today + i), count }));
}
