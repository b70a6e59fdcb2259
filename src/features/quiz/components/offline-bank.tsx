/**
 * "Make available offline": downloads every published question (pages within PostgREST's 1,000-row cap)
 * into this device's storage, asks the browser to keep it (navigator.storage.persist — iOS and Chrome may
 * otherwise evict it), and shows size, storage estimate and the last download. Blocks can then be built
 * and taken with no network.
 */
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { countPublishedQuestions, fetchBank, readOfflineBankSummary, writeOfflineBank } from '@/features/quiz/api/get-bank';
import { quizKeys } from '@/features/quiz/api/keys';
import { getErrorMessage } from '@/lib/errors';
import { formatDate } from '@/lib/format';
import { PAGE_ROWS } from '@/lib/paging';

interface Estimate {
  usage: number;
  quota: number;
  persisted: boolean;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}

function formatWhen(iso: string): string {
  const minutes = Math.round((Date.now() - Date.parse(iso)) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return formatDate(new Date(iso));
}

async function readEstimate(): Promise<Estimate | null> {
  if (!navigator.storage?.estimate) return null;
  const [e, persisted] = await Promise.all([navigator.storage.estimate(), navigator.storage.persisted?.() ?? Promise.resolve(false)]);
  return { usage: e.usage ?? 0, quota: e.quota ?? 0, persisted };
}

function storageFailure(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'QuotaExceededError') return 'This device is out of storage for the question bank. Free some space and try again.';
  return getErrorMessage(error);
}

export function OfflineBank() {
  const queryClient = useQueryClient();
  const saved = useQuery({ queryKey: quizKeys.offlineCopy(), queryFn: readOfflineBankSummary, staleTime: Infinity, networkMode: 'always' });
  const [estimate, setEstimate] = useState<Estimate | null>(null);
  const [progress, setProgress] = useState<{ loaded: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    void readEstimate().then(setEstimate);
  }, [saved.data]);

  const download = async () => {
    setError(null);
    setDone(null);
    try {
      const total = await countPublishedQuestions();
      setProgress({ loaded: 0, total });
      const questions = await fetchBank(undefined, (loaded) => setProgress({ loaded, total: Math.max(total, loaded) }));
      const summary = await writeOfflineBank(questions);
      // Ask the browser not to evict it (granted silently for installed apps in Chromium; iOS 17+).
      await navigator.storage?.persist?.();
      queryClient.setQueryData(quizKeys.bank(), questions);
      queryClient.setQueryData(quizKeys.offlineCopy(), summary);
      setDone(`${questions.length} questions are available offline.`);
    } catch (e) {
      setError(storageFailure(e));
    } finally {
      setProgress(null);
    }
  };

  const copy = saved.data;
  return (
    <section className="card stack-sm" aria-labelledby="offline-bank-heading">
      <h2 id="offline-bank-heading">Offline question bank</h2>
      {copy ? (
        <p>
          {copy.count} questions on this device ({formatBytes(copy.bytes)}), downloaded {formatWhen(copy.downloadedAt)}.
        </p>
      ) : (
        <p>Download the question bank to build and take blocks with no network — on a train, in the hospital basement.</p>
      )}
      {estimate ? (
        <p className="muted">
          Storage used by Rounds: {formatBytes(estimate.usage)} of {formatBytes(estimate.quota)} available
          {estimate.persisted ? ' · kept by the browser' : ' · the browser may clear it if space runs low'}.
        </p>
      ) : null}
      {progress ? (
        <div className="stack-sm">
          <progress max={progress.total || 1} value={progress.loaded} aria-label="Downloading questions" />
          <p role="status" className="muted">
            Downloading… {progress.loaded} of {progress.total} questions ({PAGE_ROWS} per request)
          </p>
        </div>
      ) : null}
      {done ? (
        <p role="status">{done}</p>
      ) : null}
      {error ? (
        <p role="alert" className="form-error">
          {error}
        </p>
      ) : null}
      <div>
        <button type="button" className="button" onClick={() => void download()} disabled={progress !== null}>
          {copy ? 'Update offline copy' : 'Make available offline'}
        </button>
      </div>
    </section>
  );
}
