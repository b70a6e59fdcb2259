import { useMutation } from '@tanstack/react-query';
import { exportCohortResultsMutationOptions } from '@/features/instructor/api/export-cohort-results';

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'cohort';

/** Hands `csv` to the browser as a file download. */
function download(csv: string, fileName: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked on the next task: the download has started by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** "Download CSV" of the cohort's results (names, e-mail, totals, accuracy per organ system). */
export function ExportResultsButton({ cohortId, cohortName }: { cohortId: string; cohortName: string }) {
  const exportResults = useMutation(exportCohortResultsMutationOptions());
  return (
    <div className="stack-sm">
      <button
        type="button"
        className="button"
        onClick={() =>
          exportResults.mutate(cohortId, {
            onSuccess: (csv) => download(csv, `${slug(cohortName)}-results-${new Date().toISOString().slice(0, 10)}.csv`),
          })
        }
        disabled={exportResults.isPending}
      >
        {exportResults.isPending ? 'Preparing CSV…' : 'Download CSV'}
      </button>
      <p className="muted">Every answer, retakes included: the numbers each student sees on Home; the roster counts first attempts.</p>
    </div>
  );
}
