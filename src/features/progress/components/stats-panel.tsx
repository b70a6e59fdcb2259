import './progress.css';
import { useQuery } from '@tanstack/react-query';
import { getCohortRankingRulesQueryOptions } from '@/features/progress/api/get-cohort-ranking-rules';
import { getMyStatsQueryOptions, type MyStats, type StatRow } from '@/features/progress/api/get-my-stats';
import { AccuracyChart, percent } from '@/features/progress/components/accuracy-chart';
import { LoadingNote } from '@/components/loading-note';
import { DISCIPLINE_KEYS, disciplineLabel, ORGAN_SYSTEM_KEYS, organSystemLabel } from '@/lib/taxonomy';
import { Link } from '@/components/link';

/**
 * The home dashboard's stats: totals, accuracy by organ system and discipline, and percentile in each
 * cohort. One query feeds all of it, so it is one widget with one error fallback.
 */
export function StatsPanel() {
  const query = useQuery({
    ...getMyStatsQueryOptions(),
    // Throw to the widget boundary only when there is nothing to show; stale stats beat an error.
    throwOnError: (_error, q) => q.state.data === undefined,
  });

  return (
    <section className="card stack" aria-labelledby="stats-heading">
      <h2 id="stats-heading">Your stats</h2>
      {query.data === undefined ? <LoadingNote what="your stats" failureReason={query.failureReason} skeleton /> : <Stats stats={query.data} />}
    </section>
  );
}

/**
 * The headline is the plain share of correct answers: what "Correct" over "Answered" says. Beside it, and
 * labelled as such, the balanced score: the mean of the organ-system scores the student has started, so
 * 200 cardiology answers cannot hide a weak renal score.
 */
function balancedAccuracy(stats: MyStats): number | null {
  const started = stats.by_system.filter((s) => s.answered > 0);
  if (started.length === 0) return null;
  return Math.round(started.reduce((sum, s) => sum + (100 * s.correct) / s.answered, 0) / started.length);
}

/** The first pass: answers given in blocks the student built (spaced reviews counted apart). */
function firstPass(row: StatRow): { answered: number; correct: number } {
  return { answered: row.answered - row.review_answered, correct: row.correct - row.review_correct };
}

function Stats({ stats }: { stats: MyStats }) {
  const first = firstPass({ ...stats, key: 'all' });
  const reviewed = stats.review_answered > 0;
  const balanced = balancedAccuracy(stats);
  const startedSystems = new Set(stats.by_system.filter((s) => s.answered > 0).map((s) => s.key));
  const notStarted = ORGAN_SYSTEM_KEYS.filter((k) => !startedSystems.has(k)).map(organSystemLabel);
  const startedDisciplines = new Set(stats.by_discipline.filter((s) => s.answered > 0).map((s) => s.key));
  const disciplinesNotStarted = DISCIPLINE_KEYS.filter((k) => !startedDisciplines.has(k)).map(disciplineLabel);

  return (
    <>
      <dl className="stat-tiles">
        <div>
          <dt>Answered</dt>
          <dd>{stats.answered}</dd>
        </div>
        <div>
          <dt>Correct</dt>
          <dd>{stats.correct}</dd>
        </div>
        <div>
          <dt>Accuracy</dt>
          <dd>{stats.answered === 0 ? '—' : `${percent(stats.correct, stats.answered)}\u00a0%`}</dd>
        </div>
        {reviewed ? (
          <>
            <div>
              <dt>First pass</dt>
              <dd>{first.answered === 0 ? '—' : `${percent(first.correct, first.answered)}\u00a0%`}</dd>
            </div>
            <div>
              <dt>In review</dt>
              <dd>{`${percent(stats.review_correct, stats.review_answered)}\u00a0%`}</dd>
            </div>
          </>
        ) : null}
      </dl>
      {stats.answered === 0 ? (
        <p className="muted">You haven't answered any questions yet. Create a block to start seeing your strengths and gaps.</p>
      ) : (
        <p className="muted">
          Every answer you have given counts here, retakes and reviews included. Balanced across organ systems:{' '}
          {balanced === null ? '—' : `${balanced}\u00a0%`} (the average of your system scores, so one strong system cannot hide a
          weak one).
        </p>
      )}

      <CohortStanding stats={stats} />

      {stats.answered > 0 ? (
        <div className="chart-grid">
          <div className="stack-sm">
            <AccuracyChart
              title={reviewed ? 'First-pass accuracy by organ system' : 'Accuracy by organ system'}
              categoryName="Organ system"
              rows={stats.by_system.filter((s) => firstPass(s).answered > 0).map((s) => ({ key: s.key, ...firstPass(s), label: organSystemLabel(s.key) }))}
            />
            {notStarted.length > 0 ? <p className="muted chart-note">Not started yet: {notStarted.join(', ')}.</p> : null}
          </div>
          <div className="stack-sm">
            <AccuracyChart
              title={reviewed ? 'First-pass accuracy by discipline' : 'Accuracy by discipline'}
              categoryName="Discipline"
              rows={stats.by_discipline.filter((s) => firstPass(s).answered > 0).map((s) => ({ key: s.key, ...firstPass(s), label: disciplineLabel(s.key) }))}
            />
            {disciplinesNotStarted.length > 0 ? <p className="muted chart-note">Not started yet: {disciplinesNotStarted.join(', ')}.</p> : null}
          </div>
          {reviewed ? (
            <div className="stack-sm">
              <AccuracyChart
                title="Review accuracy by organ system"
                categoryName="Organ system"
                rows={stats.by_system
                  .filter((s) => s.review_answered > 0)
                  .map((s) => ({ key: s.key, answered: s.review_answered, correct: s.review_correct, label: organSystemLabel(s.key) }))}
              />
              <p className="muted chart-note">Questions that came back in spaced review: how many you got right the second time round.</p>
            </div>
          ) : null}
        </div>
      ) : null}
    </>
  );
}

/** Percentile rank per cohort, as BoardVitals words it: "better than N % of your cohort". */
function CohortStanding({ stats }: { stats: MyStats }) {
  // Only needed to tell an unranked student how far they have to go; without it the wording is vaguer.
  const rules = useQuery({ ...getCohortRankingRulesQueryOptions(), enabled: stats.cohorts.some((c) => c.percentile === null) });

  if (stats.cohorts.length === 0) {
    return (
      <p>
        <Link href="/settings">Join a cohort in Settings</Link> to see how you compare with your classmates.
      </p>
    );
  }

  function unranked(cohortId: string): string {
    const more = rules.data?.get(cohortId);
    if (more === undefined) return 'Answer more questions to be ranked';
    // Ranking counts first attempts only (docs/decisions/017): retaking a question does not bring it closer.
    if (more > 0) return `Answer ${more} more to be ranked (new questions; retakes don't count)`;
    return 'No classmate is ranked yet — check back soon';
  }

  return (
    <ul className="cohort-standing" aria-label="Your standing in each cohort">
      {stats.cohorts.map((cohort) => (
        <li key={cohort.id}>
          <span className="cohort-name">{cohort.name}</span>
          <span>
            {cohort.percentile === null ? unranked(cohort.id) : `Better than ${Math.round(cohort.percentile)}\u00a0% of your cohort's ranked classmates (first attempts)`}
          </span>
        </li>
      ))}
    </ul>
  );
}
