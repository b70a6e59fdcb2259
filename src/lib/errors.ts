import { classifyError, getRetryAfterMs } from '@/lib/network/classify-error';

/**
 * Turns any thrown value into a sentence a student can act on. Details stay in the console/devtools;
 * the UI never shows stack traces or raw SQL messages. Offline is a state, not an error: the message
 * says what still works.
 */
export function getErrorMessage(error: unknown): string {
  switch (classifyError(error)) {
    case 'offline':
      return "You're offline — what you've downloaded still works, and your answers are saved and will sync.";
    case 'timeout':
      return 'Rounds is taking too long to answer — try again in a moment.';
    case 'circuit_open':
      return "Can't reach the Rounds server right now — we'll try again shortly.";
    case 'rate_limited': {
      const ms = getRetryAfterMs(error);
      return ms ? `Too many requests — try again in ${Math.ceil(ms / 1000)} s.` : 'Too many requests — wait a moment and try again.';
    }
    case 'unauthorised':
      return 'Your session has expired — sign in again.';
    case 'server':
      return 'The server had a problem — try again in a moment.';
    case 'client':
      return 'That request was not accepted — refresh the page and try again.';
    case 'unknown':
      return 'Something went wrong — try again.';
  }
}
