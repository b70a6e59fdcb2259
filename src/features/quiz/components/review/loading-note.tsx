import { classifyError } from '@/lib/network/classify-error';

/**
 * What a quiz widget says while its query has no data yet. React Query keeps retrying retryable
 * failures (rate limits, server errors) before anything reaches an error boundary, so the note says
 * "busy" or "still trying" rather than showing an error the student can do nothing about.
 */
export function LoadingNote({ what, failureReason }: { what: string; failureReason: unknown }) {
  let message = `Loading ${what}…`;
  if (failureReason != null) {
    switch (classifyError(failureReason)) {
      case 'rate_limited':
        message = `Rounds is busy right now — ${what} will load in a moment.`;
        break;
      case 'offline':
        message = `You're offline — ${what} will load when you reconnect.`;
        break;
      default:
        message = `Still loading ${what} — trying again…`;
    }
  }
  return (
    <p role="status" className="muted">
      {message}
    </p>
  );
}
