import { useState } from 'react';
import { exportCohortResults } from '@/features/instructor/api/export-cohort-results';
import { getErrorMessage } from '@/lib/errors';

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'cohort';

/**
 * "Download CSV" of the cohort's results (names, e-mail, totals, accuracy per organ system). The CSV
 * writer (papaparse) is loaded on click, so it never weighs on a student's bundle.
 */
export function ExportResultsButton({ cohortId, cohortName }: { cohortId: string; cohortName: string }) {
  const [state, setState] = useState<{ busy: boolean; error: string }>({ busy: false, error: '' });

  async function download() {
    setState({ busy: true, error: '' });
    try {
      const [rows, { toResultsCsv }] = await Promise.all([exportCohortResults(cohortId), import('@/features/instructor/model/results-csv')]);
      const blob = new Blob([toResultsCsv(rows)], { type: 'text/csv;charset=utf-8' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${slug(cohortName)}-results-${new Date().toISOString().slice(0, 10)}.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      // Revoked on the next task: the download has started by then.
      setTimeout(() => URL.revokeObjectURL(url), 0);
      setState({ busy: false, error: '' });
    } catch (error) {
      setState({ busy: false, error: getErrorMessage(error) });
    }
  }

  return (
    <div className="stack-sm">
      <button type="button" className="button" onClick={() => void download()} disabled={state.busy}>
        {state.busy ? 'Preparing CSV…' : 'Download CSV'}
      </button>
      <p className="muted">Every answer, retakes included: the numbers each student sees on Home; the roster counts first attempts.</p>
      {state.error ? (
        <p className="form-error" role="alert">
          The results could not be exported. {state.error}
        </p>
      ) : null}
    </div>
  );
}
