/**
 * Home's spaced-review widget: what is due today (missed cards first in the count), what is overdue, the
 * next 14 days as a chart, and the way into a review. The deck comes from the page (useDeck), which
 * shows the dashboard once it is built, so this widget never changes size after the first paint.
 */
import './review-due.css';
import { useId, useState } from 'react';
import { Link } from '@/components/link';
import type { CardDeck } from '@/features/quiz/model/cards/deck';
import { dueSummary, forecast } from '@/features/quiz/model/cards/due';
import { formatDate, plural } from '@/lib/format';
import type { DeckState } from './use-deck';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

function dayOf(label: string): Date {
  const [y, m, d] = label.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1);
}


/**
 * Home's first line about review: how many are due, and the way in. One line of fixed height, whatever it
 * says (CSS: no wrap, ellipsis), so it can change when the deck is built without moving anything.
 */
export function ReviewBanner({ state }: { state: DeckState }) {
  const [now] = useState(() => Date.now());
  let text = 'Spaced review: counting your due questions…';
  let due = 0;
  if (state.status === 'error') text = 'Spaced review is not available right now.';
  else if (state.status === 'ready' && state.deck.size === 0) text = 'Spaced review begins with your first block.';
  else if (state.status === 'ready') {
    const summary = dueSummary(state.deck, now);
    due = summary.dueToday;
    text = due === 0 ? 'Spaced review: nothing due today.' : `Spaced review: ${plural(due, 'question', 'questions')} due today${summary.missed > 0 ? `, ${summary.missed} missed` : ''}.`;
  }
  return (
    <div className="review-banner">
      <p role="status">{text}</p>
      {due > 0 ? (
        <Link href="/review" className="button button-primary">
          Start review
        </Link>
      ) : null}
    </div>
  );
}

export function ReviewDue({ state }: { state: DeckState }) {
  if (state.status === 'error') throw state.error;
  return (
    <section className="card stack" aria-labelledby="review-due-heading">
      <h2 id="review-due-heading">Spaced review</h2>
      {state.status === 'pending' ? (
        <p role="status" className="muted">
          Counting your due questions…
        </p>
      ) : (
        <Due deck={state.deck} />
      )}
    </section>
  );
}

function Due({ deck }: { deck: CardDeck }) {
  // When home was opened (a new day shows after a reload or a return to home).
  const [now] = useState(() => Date.now());
  if (deck.size === 0) {
    return (
      <p className="muted">
        Every question you answer comes back here when it is time to see it again — the ones you miss first. Answer a block to start.
      </p>
    );
  }
  const summary = dueSummary(deck, now);
  const days = forecast(deck, now, 14);
  const next = days.find((d, i) => i > 0 && d.count > 0);
  return (
    <>
      <dl className="review-tiles">
        <div>
          <dt>Due today</dt>
          <dd>{summary.dueToday}</dd>
        </div>
        <div>
          <dt>Missed</dt>
          <dd>{summary.missed}</dd>
        </div>
        <div>
          <dt>Overdue</dt>
          <dd>{summary.overdue}</dd>
        </div>
      </dl>
      <ForecastChart days={days} />
      <div className="row review-due-actions">
        {summary.dueToday > 0 ? (
          <>
            <Link href="/review" className="button button-primary">
              Start review
            </Link>
            <span className="muted">
              {summary.missed > 0 ? `${plural(summary.missed, 'question you missed comes', 'questions you missed come')} first.` : 'Most overdue first.'}
            </span>
          </>
        ) : (
          <p className="muted">Nothing due today.{next ? ` Next: ${plural(next.count, 'question', 'questions')} on ${formatDate(dayOf(next.day))}.` : ''}</p>
        )}
      </div>
    </>
  );
}

const CHART_HEIGHT = 96;
const LABEL_SPACE = 20;

/** Due cards per day, today (with the overdue ones) and the 13 days after, as bars; a table for screen readers. */
function ForecastChart({ days }: { days: { day: string; count: number }[] }) {
  const headingId = useId();
  const max = Math.max(1, ...days.map((d) => d.count));
  const width = 100 / days.length;
  return (
    <figure className="review-forecast" aria-labelledby={headingId}>
      <figcaption id={headingId} className="review-forecast-title">
        Due in the next 14 days
      </figcaption>
      <svg width="100%" height={CHART_HEIGHT + LABEL_SPACE} aria-hidden="true" focusable="false">
        {days.map((d, i) => {
          const h = d.count === 0 ? 0 : Math.max(3, Math.round((d.count / max) * (CHART_HEIGHT - 18)));
          const date = dayOf(d.day);
          return (
            <g key={d.day}>
              <title>{`${i === 0 ? 'Today' : `${WEEKDAYS[date.getDay()]} ${formatDate(date)}`}: ${plural(d.count, 'question', 'questions')}`}</title>
              <rect x={`${i * width + width * 0.15}%`} y={CHART_HEIGHT - h} width={`${width * 0.7}%`} height={h} rx="2" className="review-bar" />
              {d.count > 0 ? (
                <text x={`${i * width + width / 2}%`} y={CHART_HEIGHT - h - 4} textAnchor="middle" className="review-bar-value">
                  {d.count}
                </text>
              ) : null}
              <text x={`${i * width + width / 2}%`} y={CHART_HEIGHT + 15} textAnchor="middle" className="review-bar-label">
                {i === 0 ? 'Today' : i % 2 === 0 ? String(date.getDate()) : ''}
              </text>
            </g>
          );
        })}
        <line x1="0" x2="100%" y1={CHART_HEIGHT + 0.5} y2={CHART_HEIGHT + 0.5} className="review-axis" />
      </svg>
      <table className="visually-hidden">
        <caption>Questions due in the next 14 days</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Due</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d, i) => (
            <tr key={d.day}>
              <th scope="row">{i === 0 ? 'Today (and overdue)' : `${WEEKDAYS[dayOf(d.day).getDay()]} ${formatDate(dayOf(d.day))}`}</th>
              <td>{d.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
