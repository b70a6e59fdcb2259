import { useId } from 'react';
import type { HistogramBin } from '@/features/instructor/model/assignment-results';
import { plural } from '@/lib/format';

const HEIGHT = 160;
const TOP = 18;
const AXIS = HEIGHT - 22;
/** Share of a bin's column the bar takes; the rest is the gap to the next. */
const BAR_SHARE = 0.7;

/**
 * Columns of how many finished students scored in each 10 % bin. As the accuracy charts: no viewBox,
 * x and widths in percent of the rendered width, text at the page's size; the drawing is hidden from
 * screen readers, which get the same numbers as a table.
 */
export function ScoreHistogram({ title, bins }: { title: string; bins: readonly HistogramBin[] }) {
  const headingId = useId();
  const max = Math.max(1, ...bins.map((b) => b.count));
  const column = 100 / bins.length;
  const total = bins.reduce((n, b) => n + b.count, 0);
  return (
    <figure className="histogram" aria-labelledby={headingId}>
      <figcaption id={headingId} className="histogram-title">
        {title} <span className="muted small">({plural(total, 'finished student', 'finished students')})</span>
      </figcaption>
      <svg width="100%" height={HEIGHT} aria-hidden="true" focusable="false">
        <line x1="0" x2="100%" y1={AXIS} y2={AXIS} className="histogram-axis" />
        {bins.map((bin, i) => {
          const h = ((AXIS - TOP) * bin.count) / max;
          const x = i * column + (column * (1 - BAR_SHARE)) / 2;
          const centre = `${i * column + column / 2}%`;
          return (
            <g key={bin.from}>
              <title>{`${bin.label}: ${plural(bin.count, 'student', 'students')}`}</title>
              {bin.count > 0 ? <rect x={`${x}%`} y={AXIS - h} width={`${column * BAR_SHARE}%`} height={h} rx="2" className="histogram-bar" /> : null}
              <text x={centre} y={AXIS - h - 4} textAnchor="middle" className="histogram-value">
                {bin.count}
              </text>
              <text x={centre} y={HEIGHT - 4} textAnchor="middle" className="histogram-label">
                {bin.from}
              </text>
            </g>
          );
        })}
      </svg>
      <p className="muted small" aria-hidden="true">
        Score, % correct (each column from its number to the next)
      </p>
      <table className="visually-hidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Score</th>
            <th scope="col">Students</th>
          </tr>
        </thead>
        <tbody>
          {bins.map((bin) => (
            <tr key={bin.from}>
              <th scope="row">{bin.label}</th>
              <td>{bin.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
