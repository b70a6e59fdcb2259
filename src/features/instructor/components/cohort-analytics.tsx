import './instructor.css';
import { useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { getCohortTopicAccuracyQueryOptions, type CohortTopicAccuracy } from '@/features/instructor/api/get-cohort-topic-accuracy';
import { getCohortActivityQueryOptions } from '@/features/instructor/api/get-cohort-activity';
import { getCohortStudentsAtRiskQueryOptions, type AtRiskReason } from '@/features/instructor/api/get-cohort-students-at-risk';
import { Link } from '@/components/link';
import { compareText, formatCount, formatDate } from '@/lib/format';
import { taxonomyLabel } from '@/lib/taxonomy';

/*
 * The cohort analytics page's sections (decision 022). Every chart is drawn for the eye only
 * (aria-hidden); the same figures are in a table next to it.
 */

const share = (correct: number, answered: number) => (answered === 0 ? null : correct / answered);
const percentText = (correct: number, answered: number) => {
  const s = share(correct, answered);
  return s === null ? '—' : `${Math.round(s * 100)}%`;
};
/** `2026-11-30` (a UTC week start from the server) → `Nov 30, 2026`, without a time-zone shift. */
const weekLabel = (isoDay: string) => {
  const [y, m, d] = isoDay.split('-').map(Number);
  return formatDate(new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1));
};

function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="muted">
      Loading {what}…
    </p>
  );
}

/** A table of accuracy per category, weakest first, each row with a bar for the eye. */
function AccuracyTable({ title, column, rows }: { title: string; column: string; rows: { key: string; answered: number; correct: number }[] }) {
  const headingId = useId();
  const sorted = [...rows].sort(
    (a, b) => (share(a.correct, a.answered) ?? 2) - (share(b.correct, b.answered) ?? 2) || compareText(taxonomyLabel(a.key), taxonomyLabel(b.key)),
  );
  return (
    <div className="stack-sm">
      <h3 id={headingId} className="small-heading">
        {title}
      </h3>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={headingId}>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{column}</th>
              <th scope="col" className="num">
                Accuracy
              </th>
              <th scope="col" className="num">
                First attempts
              </th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((r) => (
              <tr key={r.key}>
                <th scope="row">{taxonomyLabel(r.key)}</th>
                <td className="num">
                  <span className="accuracy-cell">
                    <span className="accuracy-track" aria-hidden="true">
                      <span className="accuracy-bar" style={{ width: `${Math.round((share(r.correct, r.answered) ?? 0) * 100)}%` }} />
                    </span>
                    {percentText(r.correct, r.answered)}
                  </span>
                </td>
                <td className="num">{formatCount(r.answered)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Weekly accuracy as a line; weeks without answers leave a gap. Decorative: the table has the figures. */
function Sparkline({ weeks }: { weeks: CohortTopicAccuracy['weakest_topics'][number]['weeks'] }) {
  const w = 96;
  const h = 24;
  const step = w / Math.max(1, weeks.length - 1);
  const points = weeks.map((wk, i) => {
    const s = share(wk.correct, wk.answered);
    return s === null ? null : `${(i * step).toFixed(1)},${(h - 2 - s * (h - 4)).toFixed(1)}`;
  });
  // Consecutive weeks with answers form one segment.
  const segments: string[][] = [];
  let current: string[] = [];
  for (const p of points) {
    if (p === null) {
      if (current.length > 0) segments.push(current);
      current = [];
    } else current.push(p);
  }
  if (current.length > 0) segments.push(current);
  return (
    <svg className="sparkline" width={w} height={h} aria-hidden="true" focusable="false">
      {segments.map((seg) =>
        seg.length === 1 ? (
          <circle key={seg[0]} cx={seg[0]?.split(',')[0]} cy={seg[0]?.split(',')[1]} r="2" />
        ) : (
          <polyline key={seg.join(' ')} points={seg.join(' ')} />
        ),
      )}
    </svg>
  );
}

/** Accuracy by organ system and discipline, and the 10 weakest topics with their last 8 weeks. */
export function TopicAccuracySection({ cohortId }: { cohortId: string }) {
  const q = useQuery({ ...getCohortTopicAccuracyQueryOptions(cohortId), throwOnError: (_e, query) => query.state.data === undefined });
  if (q.data === undefined) return <Loading what="accuracy by topic" />;
  const d = q.data;
  const weeks = d.weakest_topics[0]?.weeks.map((w) => w.week_start) ?? [];
  return (
    <>
      <section className="card stack-sm" aria-labelledby="accuracy-heading">
        <h2 id="accuracy-heading">Where the class is weak</h2>
        <p className="muted">First attempts of current members: a student&apos;s first answer to each question (retakes and review blocks do not count).</p>
        {d.by_system.length === 0 ? (
          <p className="muted">No member has answered a question yet.</p>
        ) : (
          <div className="analytics-columns">
            <AccuracyTable title="By organ system" column="Organ system" rows={d.by_system.map((r) => ({ key: r.organ_system, ...r }))} />
            <AccuracyTable title="By discipline" column="Discipline" rows={d.by_discipline.map((r) => ({ key: r.discipline, ...r }))} />
          </div>
        )}
      </section>
      <section className="card stack-sm" aria-labelledby="weakest-heading">
        <h2 id="weakest-heading">Weakest topics</h2>
        <p className="muted">
          A topic is an organ system and a discipline together. Ranked once it has {d.min_answers} first attempts; the trend shows the last 8 weeks.
        </p>
        {d.weakest_topics.length === 0 ? (
          <p className="muted">No topic has {d.min_answers} first attempts yet.</p>
        ) : (
          <>
            <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="weakest-heading">
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">Topic</th>
                    <th scope="col" className="num">
                      Accuracy
                    </th>
                    <th scope="col" className="num">
                      First attempts
                    </th>
                    <th scope="col">Last 8 weeks</th>
                  </tr>
                </thead>
                <tbody>
                  {d.weakest_topics.map((t) => (
                    <tr key={`${t.organ_system}/${t.discipline}`}>
                      <th scope="row">
                        {taxonomyLabel(t.organ_system)} · {taxonomyLabel(t.discipline)}
                      </th>
                      <td className="num">{percentText(t.correct, t.answered)}</td>
                      <td className="num">{formatCount(t.answered)}</td>
                      <td>
                        <Sparkline weeks={t.weeks} />
                        <span className="visually-hidden">Week by week in the table below.</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <details>
              <summary>Week by week</summary>
              <div className="table-scroll" tabIndex={0} role="region" aria-label="Weakest topics, accuracy week by week">
                <table className="data-table">
                  <caption className="visually-hidden">Accuracy of the weakest topics per week (first attempts that week)</caption>
                  <thead>
                    <tr>
                      <th scope="col">Topic</th>
                      {weeks.map((w) => (
                        <th key={w} scope="col" className="num">
                          Week of {weekLabel(w)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {d.weakest_topics.map((t) => (
                      <tr key={`${t.organ_system}/${t.discipline}`}>
                        <th scope="row">
                          {taxonomyLabel(t.organ_system)} · {taxonomyLabel(t.discipline)}
                        </th>
                        {t.weeks.map((w) => (
                          <td key={w.week_start} className="num">
                            {percentText(w.correct, w.answered)} <span className="muted small">({formatCount(w.answered)})</span>
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </details>
          </>
        )}
      </section>
    </>
  );
}

/** Students active and answers per week, as bars and as a table. */
export function ActivitySection({ cohortId }: { cohortId: string }) {
  const q = useQuery({ ...getCohortActivityQueryOptions(cohortId), throwOnError: (_e, query) => query.state.data === undefined });
  if (q.data === undefined) return <Loading what="weekly activity" />;
  const { members, weeks } = q.data;
  const max = Math.max(1, members, ...weeks.map((w) => w.students_active));
  const barWidth = 100 / weeks.length;
  return (
    <section className="card stack-sm" aria-labelledby="activity-heading">
      <h2 id="activity-heading">Weekly activity</h2>
      <p className="muted">Students who answered at least one question that week, of {formatCount(members)} members; answers include review and retakes.</p>
      <svg className="activity-chart" width="100%" height="80" aria-hidden="true" focusable="false">
        {weeks.map((w, i) => {
          const hgt = Math.round((w.students_active / max) * 72);
          return (
            <rect key={w.week_start} x={`${i * barWidth + barWidth * 0.15}%`} y={78 - hgt} width={`${barWidth * 0.7}%`} height={hgt} rx="2">
              <title>{`Week of ${weekLabel(w.week_start)}: ${w.students_active} active`}</title>
            </rect>
          );
        })}
      </svg>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="activity-heading">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Week of</th>
              <th scope="col" className="num">
                Students active
              </th>
              <th scope="col" className="num">
                Answers
              </th>
            </tr>
          </thead>
          <tbody>
            {weeks.map((w) => (
              <tr key={w.week_start}>
                <th scope="row">{weekLabel(w.week_start)}</th>
                <td className="num">{formatCount(w.students_active)}</td>
                <td className="num">{formatCount(w.answers)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const REASONS: Record<AtRiskReason, string> = {
  inactive: 'Inactive 7+ days',
  never_active: 'Never answered',
  low_accuracy: 'Bottom 10% accuracy',
};
const PAGE = 50;

/** Members at risk, most urgent first, each linking to their row on the cohort's roster. */
export function StudentsAtRiskSection({ cohortId }: { cohortId: string }) {
  const [limit, setLimit] = useState(PAGE);
  const q = useQuery({
    ...getCohortStudentsAtRiskQueryOptions(cohortId, limit),
    // Keep the rows on screen while the longer page loads.
    placeholderData: (previous) => previous,
    throwOnError: (_e, query) => query.state.data === undefined,
  });
  if (q.data === undefined) return <Loading what="students at risk" />;
  const d = q.data;
  return (
    <section className="card stack-sm" aria-labelledby="risk-heading">
      <h2 id="risk-heading">Students at risk ({formatCount(d.total)})</h2>
      <p className="muted">
        No answer for 7 days or more (members who never answered count from when they joined), or first-attempt accuracy in the bottom 10% of
        the members with at least 50 first attempts
        {d.qualified >= 10 && d.accuracy_threshold !== null ? ` (${Math.round(d.accuracy_threshold * 100)}% or less)` : ' (once 10 members have 50)'}.
      </p>
      {d.students.length === 0 ? (
        <p className="muted">Nobody is at risk right now.</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="risk-heading">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Student</th>
                <th scope="col">Why</th>
                <th scope="col">Last active</th>
                <th scope="col" className="num">
                  First attempts
                </th>
                <th scope="col" className="num">
                  Accuracy
                </th>
              </tr>
            </thead>
            <tbody>
              {d.students.map((s) => (
                <tr key={s.user_id}>
                  <th scope="row">
                    <Link href={`/instructor/cohorts/${cohortId}?student=${s.user_id}`}>{s.display_name}</Link>
                  </th>
                  <td>
                    <span className="row flag-list">
                      {s.reasons.map((r) => (
                        <span key={r} className="badge badge-flag">
                          {REASONS[r]}
                        </span>
                      ))}
                    </span>
                  </td>
                  <td>{s.last_active_at ? formatDate(new Date(s.last_active_at)) : 'Never'}</td>
                  <td className="num">{formatCount(s.answered)}</td>
                  <td className="num">{percentText(s.correct, s.answered)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {d.students.length < d.total && limit < 200 ? (
        <div>
          <button type="button" className="button" onClick={() => setLimit((n) => Math.min(200, n + PAGE))} disabled={q.isFetching}>
            {q.isFetching ? 'Loading…' : 'Show more'}
          </button>
        </div>
      ) : d.students.length < d.total ? (
        <p className="muted">Showing the {formatCount(d.students.length)} most urgent; the roster has everyone.</p>
      ) : null}
    </section>
  );
}
