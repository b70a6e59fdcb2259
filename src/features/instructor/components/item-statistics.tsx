import './instructor.css';
import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { getItemStatisticsQueryOptions, type ItemStatistic } from '@/features/instructor/api/get-item-statistics';
import { getStudentSystemAccuracyQueryOptions } from '@/features/instructor/api/get-student-system-accuracy';
import { DistractorBars } from '@/features/instructor/components/distractor-bars';
import { Link } from '@/components/link';
import { taxonomyLabel } from '@/lib/taxonomy';

const FLAG_LABELS: Record<ItemStatistic['flags'][number], string> = {
  too_hard: 'Too hard',
  too_easy: 'Too easy',
  low_discrimination: 'Low discrimination',
};

type SortKey = 'question_id' | 'n' | 'facility' | 'discrimination' | 'mean_time_ms' | 'flags';
const COLUMNS: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: 'question_id', label: 'Question', numeric: false },
  { key: 'n', label: 'n', numeric: true },
  { key: 'facility', label: 'Facility', numeric: true },
  { key: 'discrimination', label: 'Discrimination', numeric: true },
  { key: 'mean_time_ms', label: 'Mean time', numeric: true },
  { key: 'flags', label: 'Flags', numeric: false },
];

const sortValue = (item: ItemStatistic, key: SortKey): number =>
  key === 'flags' ? item.flags.length : (item[key] ?? Number.NEGATIVE_INFINITY);

/**
 * Item analysis of the cohort (decision 007): facility, discrimination with its n, mean time, the
 * distribution of first answers over A–E and the flags, sortable by any numeric column.
 */
export function ItemStatisticsTable({ cohortId }: { cohortId: string }) {
  const stats = useQuery({ ...getItemStatisticsQueryOptions(cohortId), throwOnError: (_e, q) => q.state.data === undefined });
  const [sort, setSort] = useState<{ key: SortKey; dir: 'ascending' | 'descending' }>({ key: 'question_id', dir: 'ascending' });
  const sorted = useMemo(() => {
    const rows = [...(stats.data ?? [])];
    const sign = sort.dir === 'ascending' ? 1 : -1;
    rows.sort((a, b) => sign * (sortValue(a, sort.key) - sortValue(b, sort.key)) || a.question_id - b.question_id);
    return rows;
  }, [stats.data, sort]);

  if (stats.data === undefined) {
    return (
      <p role="status" className="muted">
        Loading item statistics…
      </p>
    );
  }
  return (
    <section className="card stack-sm" aria-labelledby="items-heading">
      <h2 id="items-heading">Items</h2>
      <p className="muted">
        First attempts of current members. Facility is the share correct; discrimination compares the top and bottom 27 % of
        students. Flags appear once 10 students have answered.
      </p>
      {sorted.length === 0 ? (
        <p className="muted">No member has answered a question yet.</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="items-heading">
          <table className="data-table">
            <caption className="visually-hidden">Item statistics, sortable by column</caption>
            <thead>
              <tr>
                {COLUMNS.map((col) => (
                  <th key={col.key} scope="col" className={col.numeric ? 'num' : undefined} aria-sort={sort.key === col.key ? sort.dir : undefined}>
                    <button
                      type="button"
                      className="sort-button"
                      onClick={() =>
                        setSort((s) => ({ key: col.key, dir: s.key === col.key && s.dir === 'ascending' ? 'descending' : 'ascending' }))
                      }
                    >
                      {col.label}
                      <span aria-hidden="true">{sort.key === col.key ? (sort.dir === 'ascending' ? ' ▲' : ' ▼') : ''}</span>
                    </button>
                  </th>
                ))}
                <th scope="col">Answers A–E</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((item) => (
                <tr key={item.question_id}>
                  <th scope="row">
                    <Link href={`/instructor/questions/${item.question_id}`}>Q{item.question_id}</Link>
                    <div className="muted small">
                      {taxonomyLabel(item.organ_system)} · {taxonomyLabel(item.discipline)}
                    </div>
                  </th>
                  <td className="num">{item.n}</td>
                  <td className="num">{Math.round(item.facility * 100)}%</td>
                  <td className="num">{item.discrimination === null ? '—' : item.discrimination.toFixed(2)}</td>
                  <td className="num">{item.mean_time_ms === null ? '—' : `${Math.round(item.mean_time_ms / 1000)} s`}</td>
                  <td>
                    {item.flags.length === 0 ? (
                      <span className="muted">—</span>
                    ) : (
                      <span className="row flag-list">
                        {item.flags.map((f) => (
                          <span key={f} className="badge badge-flag">
                            {FLAG_LABELS[f]}
                          </span>
                        ))}
                      </span>
                    )}
                  </td>
                  <td>
                    <DistractorBars
                      label={`Answers for Q${item.question_id}`}
                      counts={[item.a, item.b, item.c, item.d, item.e]}
                      correctChoice={item.correct_choice}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Students × organ systems: accuracy over all their answers, with the number answered. */
export function SystemAccuracyTable({ cohortId }: { cohortId: string }) {
  const cells = useQuery({ ...getStudentSystemAccuracyQueryOptions(cohortId), throwOnError: (_e, q) => q.state.data === undefined });
  const { students, systems, byKey } = useMemo(() => {
    const data = cells.data ?? [];
    const students = new Map<string, string>();
    const systems = new Set<string>();
    const byKey = new Map<string, (typeof data)[number]>();
    for (const c of data) {
      students.set(c.user_id, c.display_name);
      systems.add(c.organ_system);
      byKey.set(`${c.user_id}:${c.organ_system}`, c);
    }
    return { students: [...students], systems: [...systems].sort(), byKey };
  }, [cells.data]);

  if (cells.data === undefined) {
    return (
      <p role="status" className="muted">
        Loading accuracy by organ system…
      </p>
    );
  }
  return (
    <section className="card stack-sm" aria-labelledby="systems-heading">
      <h2 id="systems-heading">Accuracy by organ system</h2>
      {students.length === 0 ? (
        <p className="muted">No member has answered a question yet.</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="systems-heading">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Student</th>
                {systems.map((s) => (
                  <th key={s} scope="col" className="num">
                    {taxonomyLabel(s)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {students.map(([id, name]) => (
                <tr key={id}>
                  <th scope="row">{name}</th>
                  {systems.map((s) => {
                    const c = byKey.get(`${id}:${s}`);
                    return (
                      <td key={s} className="num">
                        {c ? (
                          <>
                            {Math.round(c.accuracy * 100)}% <span className="muted small">({c.answered})</span>
                          </>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
