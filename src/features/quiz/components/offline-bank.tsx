/**
 * "Make available offline": downloads every published question (pages within PostgREST's 1,000-row cap)
 * into this device's storage, then — unless the student skips them — one width of every image, the one
 * that fits this screen (download-images.ts; it says how many images it could not store whole); asks the browser to keep it all (navigator.storage.persist —
 * iOS and Chrome may otherwise evict it), and shows size, storage estimate, what the images will take
 * before starting, and the last download. Blocks can then be built and taken with no network.
 */
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { countPublishedQuestions, fetchBank, readOfflineBankSummary, writeOfflineBank } from '@/features/quiz/api/get-bank';
import { downloadImages, getBankImagesQueryOptions, ImagesDidNotFitError } from '@/features/quiz/api/download-images';
import { deviceTargetPx, offlineImagePlan } from '@/lib/question-media';
import { quizKeys } from '@/features/quiz/api/keys';
import { getErrorMessage } from '@/lib/errors';
import { formatDate, plural } from '@/lib/format';
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
  const [progress, setProgress] = useState<{ loaded: number; total: number; unit: 'questions' | 'bytes' } | null>(null);
  const images = useQuery(getBankImagesQueryOptions());
  // A small phone (narrow screen) starts with images off: the student chooses.
  const [withImages, setWithImages] = useState(() => typeof screen === 'undefined' || screen.width >= 400);
  const targetPx = deviceTargetPx(typeof screen === 'undefined' ? 1024 : screen.width, typeof devicePixelRatio === 'number' ? devicePixelRatio : 1);
  const imagePlan = images.data ? offlineImagePlan(images.data, targetPx) : null;
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    void readEstimate().then(setEstimate);
  }, [saved.data]);

  const download = async () => {
    setError(null);
    setDone(null);
    try {
      // Ask the browser not to evict what follows, the answer outbox included (granted silently for
      // installed apps in Chromium; iOS 17+; Firefox may ask). Asked first: it is the same either way.
      await navigator.storage?.persist?.();
      const total = await countPublishedQuestions();
      setProgress({ loaded: 0, total, unit: 'questions' });
      const questions = await fetchBank(undefined, (loaded) => setProgress({ loaded, total: Math.max(total, loaded), unit: 'questions' }));
      const summary = await writeOfflineBank(questions);
      queryClient.setQueryData(quizKeys.bank(), questions);
      queryClient.setQueryData(quizKeys.offlineCopy(), summary);
      let imagesNote = '';
      if (withImages && typeof caches !== 'undefined') {
        try {
          const stored = await downloadImages(questions, targetPx, (loaded, all) => setProgress({ loaded, total: all, unit: 'bytes' }));
          if (stored.images > 0) imagesNote = ` with ${plural(stored.images, 'image', 'images')} (${formatBytes(stored.bytes)})`;
          if (stored.failed > 0) {
            // After a download the button says "Update offline copy" (the copy exists now).
            const them = stored.failed === 1 ? 'it' : 'them';
            imagesNote += `. ${plural(stored.failed, 'image', 'images')} could not be downloaded whole and ${stored.failed === 1 ? 'was' : 'were'} not stored: “Update offline copy” tries ${them} again`;
          }
        } catch (e) {
          if (!(e instanceof ImagesDidNotFitError)) throw e;
          imagesNote = ` without images: ${e.message}`;
        }
      }
      setDone(`${questions.length} questions are available offline${imagesNote}.`);
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
      {imagePlan && imagePlan.paths.length > 0 ? (
        <div className="checkbox-row">
          <input id="offline-bank-images" type="checkbox" checked={withImages} onChange={(e) => setWithImages(e.target.checked)} disabled={progress !== null} />
          <label htmlFor="offline-bank-images">
            Include {imagePlan.paths.length} images ({formatBytes(imagePlan.bytes)} at this screen&apos;s size)
            {estimate && estimate.quota > 0 ? ` · ${formatBytes(Math.max(0, estimate.quota - estimate.usage))} free` : ''}
          </label>
        </div>
      ) : null}
      {progress ? (
        <div className="stack-sm">
          <progress max={progress.total || 1} value={progress.loaded} aria-label={progress.unit === 'bytes' ? 'Downloading images' : 'Downloading questions'} />
          <p role="status" className="muted">
            {progress.unit === 'bytes'
              ? `Downloading images… ${formatBytes(progress.loaded)} of ${formatBytes(progress.total)}`
              : `Downloading… ${progress.loaded} of ${progress.total} questions (${PAGE_ROWS} per request)`}
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
