import { useMutation } from '@tanstack/react-query';
import { exportCohortResultsMutationOptions } from '@/features/instructor/api/export-cohort-results';
import { downloadCsv, fileSlug } from '@/lib/download-csv';

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
            onSuccess: (csv) => downloadCsv(csv, `${fileSlug(cohortName, 'cohort')}-results-${new Date().toISOString().slice(0, 10)}.csv`),
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
