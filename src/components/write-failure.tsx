/**
 * The two places a failed online write is shown (src/lib/query-client.ts decides which):
 * - WriteFailureNotice: the app-level notice, for writes started from a button whose screen has no place
 *   for the failure (rotate a join code, remove a member, sign out …). Rendered once, by the app shell.
 * - WriteError: a form's own failure, in place, under the fields it is about — what the form's inputs
 *   point to with aria-describedby.
 * Both are alerts: announced when they appear, without moving focus.
 */
import './write-failure.css';
import type { MutationMeta } from '@tanstack/react-query';
import { describeWriteFailure } from '@/lib/errors';
import { writeFailureNotice } from '@/lib/query-client';
import { useStore } from '@/lib/store';

function dismiss() {
  writeFailureNotice.set(null);
}

/** The latest failed online write; it stays until dismissed (its button, or Escape inside it). */
export function WriteFailureNotice() {
  // Rendered only by the signed-in app, never prerendered: the "server" value is the current one.
  const notice = useStore(writeFailureNotice, writeFailureNotice.get());
  if (!notice) return null;
  return (
    // Keyed by the failure: a repeated one is a new alert, announced again.
    <div
      key={notice.id}
      role="alert"
      className="write-notice"
      onKeyDown={(event) => {
        if (event.key === 'Escape') dismiss();
      }}
    >
      <p>{notice.message}</p>
      <button type="button" className="button" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}

/**
 * Why the form's write did not happen: `error` of its mutation (null when there is nothing to say),
 * worded with its options' `meta`. `message` is what the form says instead — its own check that kept the
 * write from being sent, or a failure it words itself (a version conflict). Always rendered, empty and
 * hidden when there is nothing to say, so `id` can be pointed at by the inputs.
 */
export function WriteError({ id, error, meta, message }: { id?: string; error: unknown; meta: MutationMeta | undefined; message?: string }) {
  const text = message || (error == null ? '' : describeWriteFailure(error, meta));
  return (
    <p id={id} role="alert" className="form-error">
      {text}
    </p>
  );
}
