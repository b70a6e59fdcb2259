/**
 * What the user reads when something failed. `getErrorMessage` words any thrown value; a failed write is
 * worded by `describeWriteFailure` from its mutation `meta` (src/lib/query-meta.d.ts), for both places a
 * write's failure is shown: the app-level notice (src/lib/query-client.ts) and a form's own
 * <WriteError> (src/components/write-failure.tsx).
 */
import type { MutationMeta } from '@tanstack/react-query';
import { z } from 'zod';
import { classifyError, getRetryAfterMs } from '@/lib/network/classify-error';

/**
 * Turns any thrown value into a sentence a student can act on. Details stay in the console/devtools;
 * the UI never shows stack traces or raw SQL messages. Offline is a state, not an error: the message
 * says what still works.
 */
export function getErrorMessage(error: unknown): string {
  switch (classifyError(error)) {
    case 'offline':
      // Said of a write or a read that needs the server, by students and instructors alike (answers never
      // fail here: they wait in the outbox, and the sync bar says so).
      return "You're offline — this needs the network. What is on this device still works; try again once you're back online.";
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

const serverMessage = z.object({ code: z.string().nullish(), message: z.string().min(1), hint: z.string().nullish() });

/** Whether the server refused with this error `code` (our RPCs' word codes: instructor_cannot_join, not_question_editor …). */
export function hasErrorCode(error: unknown, code: string): boolean {
  const parsed = serverMessage.safeParse(error);
  return parsed.success && parsed.data.code === code;
}

/**
 * Why a write failed, in one sentence for the user: `meta.errorMessage` (what did not happen), then the
 * reason. With `meta.serverWording`, a refusal (4xx) is explained in the server's own words and hint —
 * those RPCs write them for people ("No cohort has the join code NOPE1234. Check the code with your
 * instructor."); anything else (offline, rate limit, server) gets getErrorMessage's wording, and so do
 * other writes, whose 4xx messages may be raw SQL.
 */
export function describeWriteFailure(error: unknown, meta: MutationMeta | undefined): string {
  const refusal = meta?.serverWording ? serverMessage.safeParse(error) : undefined;
  const reason =
    refusal?.success && classifyError(error) === 'client'
      ? [refusal.data.message, refusal.data.hint].filter(Boolean).join(' ')
      : getErrorMessage(error);
  return meta?.errorMessage ? `${meta.errorMessage} ${reason}` : reason;
}
