import { classifyError } from '@/lib/network/classify-error';

/**
 * What a widget says while its query has no data yet. React Query keeps retrying retryable failures
 * (rate limits, server errors) before anything reaches the error boundary, so the note says "busy" or
 * "still trying" instead of showing an error the student can do nothing about.
 */
/** `skeleton` adds placeholder bars for widgets whose final height is known (dashboards). */
export function LoadingNote({ what, failureReason, skeleton = false }: { what: string; failureReason: unknown; skeleton?: boolean }) {
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
  const note = (
    <p role="status" className="muted">
      {message}
    </p>
  );
  if (!skeleton) return note;
  return (
    <div className="stack-sm">
      {note}
      <div className="skeleton" aria-hidden="true">
        <span />
        <span />
        <span />
      </div>
    </div>
  );
}
