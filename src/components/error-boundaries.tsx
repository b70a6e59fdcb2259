/**
 * Local error boundaries. A failing widget (stats, peer distribution, leaderboard) shows a small fallback
 * with "Try again" while the rest of the page keeps working; a failing route keeps the app shell and
 * navigation. Both reset React Query's failed queries so "Try again" refetches. A transient failure
 * (offline, timeout, 5xx, 429, breaker open) is also retried without a click — when the browser comes
 * back online, or after boundaryRetryDelay (src/lib/network/retry-policy.ts, which says why it waits that
 * long) — as the message promises.
 */
import { useEffect, type ReactNode } from 'react';
import { QueryErrorResetBoundary } from '@tanstack/react-query';
import { ErrorBoundary, type FallbackProps } from 'react-error-boundary';
import { getErrorMessage } from '@/lib/errors';
import { boundaryRetryDelay } from '@/lib/network/retry-policy';

/** Resets the boundary by itself after a transient failure (see header). */
function useAutoRetry(error: unknown, reset: () => void) {
  useEffect(() => {
    const delay = boundaryRetryDelay(error);
    if (delay === null) return;
    const timer = setTimeout(reset, delay);
    window.addEventListener('online', reset);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('online', reset);
    };
  }, [error, reset]);
}

function WidgetFallback({ error, resetErrorBoundary, title }: FallbackProps & { title: string }) {
  useAutoRetry(error, resetErrorBoundary);
  return (
    <div role="alert" className="card widget-fallback stack-sm">
      <p>
        <strong>{title} could not load.</strong> {getErrorMessage(error)}
      </p>
      <div>
        <button type="button" className="button" onClick={resetErrorBoundary}>
          Try again
        </button>
      </div>
    </div>
  );
}

/** Wraps one widget; `title` names it in the fallback ("Your stats could not load."). */
export function WidgetBoundary({ title, children }: { title: string; children: ReactNode }) {
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => (
        <ErrorBoundary onReset={reset} fallbackRender={(p) => <WidgetFallback {...p} title={title} />}>
          {children}
        </ErrorBoundary>
      )}
    </QueryErrorResetBoundary>
  );
}

function RouteFallback({ error, resetErrorBoundary }: FallbackProps) {
  useAutoRetry(error, resetErrorBoundary);
  return (
    <section role="alert" className="card stack">
      <h1>This page could not load</h1>
      <p>{getErrorMessage(error)}</p>
      <div className="row">
        <button type="button" className="button button-primary" onClick={resetErrorBoundary}>
          Try again
        </button>
        <a className="button" href="/">
          Go home
        </a>
      </div>
    </section>
  );
}

/** Wraps one route; `resetKey` (the path) resets it when the user navigates away. */
export function RouteBoundary({ resetKey, children }: { resetKey: string; children: ReactNode }) {
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => (
        <ErrorBoundary onReset={reset} resetKeys={[resetKey]} FallbackComponent={RouteFallback}>
          {children}
        </ErrorBoundary>
      )}
    </QueryErrorResetBoundary>
  );
}
