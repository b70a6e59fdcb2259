import { useMutation, useQuery } from '@tanstack/react-query';
import type { LiveQuestionContent } from '@/features/live/api/get-live-questions';
import { getLiveReportQueryOptions } from '@/features/live/api/get-live-report';
import { percentOf } from '@/features/live/model/host-timer';
import { getErrorMessage } from '@/lib/errors';
import { downloadCsv, fileSlug } from '@/lib/download-csv';
import { CHOICES } from '@/lib/taxonomy';

const shorten = (stem: string, max = 90) => {
  const flat = stem.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max).trimEnd()}…`;
};

/**
 * The report at the end of a session (get_live_report, the instructor only): each shown question (how
 * many answered, % correct, the spread) and each student by real name (correct, every answer), and the
 * same as a CSV (model/live-report-csv.ts).
 */
export function HostReport({ sessionId, title, contents }: { sessionId: string; title: string; contents: ReadonlyMap<number, LiveQuestionContent> | undefined }) {
  const report = useQuery(getLiveReportQueryOptions(sessionId));
  const exportCsv = useMutation({
    mutationFn: async () => {
      if (!report.data) throw new Error('The report is not loaded yet.');
      const { toLiveReportCsv } = await import('@/features/live/model/live-report-csv');
      return toLiveReportCsv(report.data);
    },
    onSuccess: (csv) => downloadCsv(csv, `${fileSlug(title, 'live-session')}-report-${new Date().toISOString().slice(0, 10)}.csv`),
  });

  if (report.data === undefined) {
    return (
      <section className="host-panel stack-sm">
        <h2>Report</h2>
        {report.isError ? (
          <>
            <p>{getErrorMessage(report.error)}</p>
            <div>
              <button type="button" className="button" onClick={() => void report.refetch()}>
                Try again
              </button>
            </div>
          </>
        ) : (
          <p role="status" className="muted">
            Loading the report…
          </p>
        )}
      </section>
    );
  }
  const questions = [...report.data.questions].sort((a, b) => a.position - b.position);
  const students = report.data.students;

  return (
    <section className="host-panel stack host-report" aria-labelledby="host-report-heading">
      <div className="row">
        <h2 id="host-report-heading">Report</h2>
        <button type="button" className="button" onClick={() => exportCsv.mutate()} disabled={exportCsv.isPending}>
          {exportCsv.isPending ? 'Preparing CSV…' : 'Download CSV'}
        </button>
      </div>
      {exportCsv.isError ? (
        <p role="alert" className="form-error">
          The CSV was not made. {getErrorMessage(exportCsv.error)}
        </p>
      ) : null}

      <h3 id="host-report-questions">Questions</h3>
      <div className="live-table-scroll" tabIndex={0} role="region" aria-labelledby="host-report-questions">
        <table className="live-table">
          <caption className="visually-hidden">Each shown question: answers, share correct and the spread (the key marked)</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Question</th>
              <th scope="col" className="num">
                Answered
              </th>
              <th scope="col" className="num">
                Correct
              </th>
              <th scope="col">Spread</th>
            </tr>
          </thead>
          <tbody>
            {questions.map((q) => {
              const pct = percentOf(q.correct, q.answered);
              const stem = contents?.get(q.question_id)?.stem;
              return (
                <tr key={q.position}>
                  <th scope="row">{q.position + 1}</th>
                  <td>{stem ? shorten(stem) : `Q${q.question_id}`}</td>
                  <td className="num">
                    {q.answered} of {q.participants}
                  </td>
                  <td className="num">{pct === null ? '—' : `${pct}%`}</td>
                  <td>
                    {CHOICES.map((c, i) => (
                      <span key={c} className={c === q.correct_choice ? 'live-spread-cell is-key' : 'live-spread-cell'}>
                        {i > 0 ? ' · ' : ''}
                        {c} {q.counts[c]}
                        {c === q.correct_choice ? <span className="visually-hidden"> (key)</span> : null}
                      </span>
                    ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <h3 id="host-report-students">Students ({students.length})</h3>
      {students.length === 0 ? (
        <p className="muted">Nobody joined this session.</p>
      ) : (
        <div className="live-table-scroll" tabIndex={0} role="region" aria-labelledby="host-report-students">
          <table className="live-table">
            <caption className="visually-hidden">Each student: correct answers and the letter chosen for each question</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="num">
                  Correct
                </th>
                {questions.map((q) => (
                  <th key={q.position} scope="col" className="num">
                    Q{q.position + 1}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {students.map((s) => {
                const byPosition = new Map(s.answers.map((a) => [a.position, a]));
                return (
                  <tr key={s.user_id}>
                    <th scope="row">{s.name}</th>
                    <td className="num">
                      {s.correct} of {questions.length}
                    </td>
                    {questions.map((q) => {
                      const a = byPosition.get(q.position);
                      return (
                        <td key={q.position} className="num">
                          {a ? (
                            <>
                              {a.choice} <span aria-hidden="true">{a.is_correct ? '✓' : '✗'}</span>
                              <span className="visually-hidden">{a.is_correct ? ' correct' : ' wrong'}</span>
                            </>
                          ) : (
                            <>
                              <span aria-hidden="true">—</span>
                              <span className="visually-hidden">no answer</span>
                            </>
                          )}
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
