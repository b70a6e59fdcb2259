import { useId } from 'react';
import { compareText } from '@/lib/format';

export interface AccuracyRow {
  key: string;
  label: string;
  answered: number;
  correct: number;
}

const ROW_HEIGHT = 46;
const BAR_Y = 26;
const BAR_HEIGHT = 12;
/** Share of the width the bar may take; the rest holds the value ("100 %") at the bar's end. */
const BAR_SHARE = 78;
const BAR_WIDTH = `${BAR_SHARE}%`;

export function percent(correct: number, answered: number): number {
  return answered === 0 ? 0 : Math.round((100 * correct) / answered);
}

/**
 * A horizontal bar chart of accuracy per category, weakest first (what to study next comes first).
 * The SVG has no viewBox: x and width are percentages of its rendered width and text stays at the
 * page's font size, so labels remain readable on a phone. Each row is the label on one line, then the
 * bar with its value at the end (a label and a value on one line would collide on narrow screens). Screen readers get the same numbers as a
 * table; the drawing itself is hidden from them.
 */
export function AccuracyChart({ title, categoryName, rows }: { title: string; categoryName: string; rows: AccuracyRow[] }) {
  const headingId = useId();
  const sorted = [...rows].sort((a, b) => percent(a.correct, a.answered) - percent(b.correct, b.answered) || compareText(a.label, b.label));

  return (
    <figure className="accuracy-chart" aria-labelledby={headingId}>
      <figcaption id={headingId} className="chart-title">
        {title}
      </figcaption>
      <svg width="100%" height={sorted.length * ROW_HEIGHT} aria-hidden="true" focusable="false">
        {sorted.map((row, i) => {
          const pct = percent(row.correct, row.answered);
          const top = i * ROW_HEIGHT;
          return (
            <g key={row.key} transform={`translate(0 ${top})`}>
              {/* A mouse-over tooltip with the counts; screen readers get them from the table. */}
              <title>{`${row.label}: ${pct} % (${row.correct} of ${row.answered} correct)`}</title>
              <text x="0" y="18" className="chart-label">
                {row.label}
              </text>
              <rect x="0" y={BAR_Y} width={BAR_WIDTH} height={BAR_HEIGHT} rx="3" className="chart-track" />
              {pct > 0 ? <rect x="0" y={BAR_Y} width={`${(pct * BAR_SHARE) / 100}%`} height={BAR_HEIGHT} rx="3" className="chart-bar" /> : null}
              <text x="100%" y={BAR_Y + BAR_HEIGHT - 1} textAnchor="end" className="chart-value">
                {pct}&nbsp;%
              </text>
            </g>
          );
        })}
      </svg>
      <table className="visually-hidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{categoryName}</th>
            <th scope="col">Accuracy</th>
            <th scope="col">Correct</th>
            <th scope="col">Answered</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.label}</th>
              <td>{percent(row.correct, row.answered)}&nbsp;%</td>
              <td>{row.correct}</td>
              <td>{row.answered}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
