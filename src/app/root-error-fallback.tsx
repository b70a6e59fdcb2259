import { useEffect, useRef } from 'react';
import type { FallbackProps } from 'react-error-boundary';

/** Last line of defence: a calm message and a way out, never the error text or a stack trace. */
export function RootErrorFallback({ resetErrorBoundary }: FallbackProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  // Move focus here so keyboard and screen-reader users learn the page changed under them.
  useEffect(() => headingRef.current?.focus(), []);

  return (
    <main className="page">
      <div role="alert" className="card stack">
        <h1 ref={headingRef} tabIndex={-1}>
          Something went wrong
        </h1>
        <p>Rounds hit an unexpected problem. Your saved progress is safe.</p>
        <div className="row">
          <button type="button" className="button button-primary" onClick={resetErrorBoundary}>
            Try again
          </button>
          <button type="button" className="button" onClick={() => window.location.reload()}>
            Reload the page
          </button>
        </div>
      </div>
    </main>
  );
}
