/**
 * Why a card comes back when it does, in one short sentence for the student (the card history on the
 * question's review screen): "You missed it twice; next in 3 days.", "Due today.", "Overdue by 2 days."
 */
import type { CardState } from './card';
import { localDay } from './due';

/** once, twice, 3 times */
export function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}

const days = (n: number) => (n === 1 ? '1 day' : `${n} days`);

export function explainCard(card: CardState, now: number): string {
  const inDays = localDay(card.due) - localDay(now);
  if (inDays < 0) return `Overdue by ${days(-inDays)}.`;
  if (inDays === 0) return 'Due today.';
  const next = inDays === 1 ? 'next tomorrow' : `next in ${days(inDays)}`;
  if (card.misses === 0) return `You got it right ${times(card.history.length)}; ${next}.`;
  const last = card.history.at(-1);
  if (last?.isCorrect && last.rating === 'again') return `You guessed it last time; ${next}.`;
  if (card.lastRating === 'again') return `You missed it ${times(card.misses)}; ${next}.`;
  return `You missed it ${times(card.misses)}, then got it right; ${next}.`;
}
