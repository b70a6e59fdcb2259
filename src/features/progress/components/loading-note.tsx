import { classifyError } from '@/lib/network/classify-error';

/**
 * What a widget says while its query has no data yet. React Query keeps retrying retryable failures
 * (rate limits, server errors) before anything reaches the error boundary, so the note says "busy" or
 * "still trying" instead of showing an error the student can do nothing about.
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
    <div className="stack-sm">
      <p role="status" className="muted">
        {message}
      </p>
      <div className="skeleton" aria-hidden="true">
        <span />
        <span />
        <span />
      </div>
    </div>
  );
}
