/**
 * One place that turns whatever a failed request threw into a NetworkErrorKind.
 *
 * Where the kind comes from, by error shape:
 * - NetworkError (thrown by networkFetch for offline / timeout / circuit_open; with `.throwOnError()`
 *   postgrest-js rethrows a rejected fetch unchanged): its `kind`.
 * - PostgrestError (what `.throwOnError()` throws for an HTTP error). It carries only
 *   code/message/details/hint — no status, no headers — and networkFetch deliberately returns HTTP
 *   errors as Responses because postgrest-js must parse them. We do not need the status: PostgREST
 *   derives the status *from* the code (Error.hs `mapSQLtoHTTP`, mirrored in `statusFromPostgrestCode`),
 *   so the code is the more precise signal. Rate limits are the exception that need a header
 *   (`Retry-After`); our SQL limiter also puts `retry_after_seconds` in `details` (migration
 *   20261122090300_rate_limits.sql), which `getRetryAfterMs` reads. An error *without* a code means the
 *   body was not PostgREST's (postgrest-js wraps non-JSON bodies as `{message: body}`): an
 *   intermediary (proxy, CDN, gateway) answered, which in practice is a 502/503/504/520, so it is
 *   classified `server`. If such an object also carries a numeric `status` (a `{error, status}` result
 *   re-thrown by hand), the status decides.
 * - AuthError from auth-js: `code` for session/JWT and rate-limit codes, else `status`. A rejected fetch
 *   reaches auth callers as `AuthRetryableFetchError(message, 0)`, so status 0 is mapped back through
 *   NetworkError's fixed messages.
 * - Anything else (a bug, a zod parse failure): 'unknown' — retrying will not fix it.
 */
import { isAuthError } from '@supabase/supabase-js';
import { z } from 'zod';
import {
  kindFromStatus,
  NETWORK_ERROR_KINDS,
  NETWORK_ERROR_MESSAGES,
  NetworkError,
  type NetworkErrorKind,
} from '@/lib/network/network-error';

/** A NetworkErrorKind, or 'unknown' for errors that did not come from the network at all. */
export type ErrorKind = NetworkErrorKind | 'unknown';

/** Codes that mean "slow down" regardless of which server sent them. */
const RATE_LIMIT_CODES: ReadonlySet<string> = new Set([
  'rate_limited', // our SQL limiter (RAISE SQLSTATE 'PGRST', HTTP 429 + Retry-After)
  'PT429', // a plain `RAISE SQLSTATE 'PT429'` (PostgREST turns PTxyz into HTTP xyz)
  'over_request_rate_limit', // GoTrue
  'over_email_send_rate_limit',
  'over_sms_send_rate_limit',
]);

/** Codes where signing in again is the fix. */
const UNAUTHORISED_CODES: ReadonlySet<string> = new Set([
  'PGRST301', // JWT could not be decoded / empty bearer
  'PGRST302', // anonymous access disabled and no bearer
  'PGRST303', // JWT claims invalid, e.g. expired
  'bad_jwt', // GoTrue
  'no_authorization',
  'invalid_jwt',
  'session_not_found',
  'session_expired',
  'refresh_token_not_found',
  'refresh_token_already_used',
]);

const postgrestErrorShape = z.object({
  code: z.string().optional(),
  message: z.string(),
  details: z.string().nullish(),
  hint: z.string().nullish(),
  status: z.number().optional(),
});

/** The `details` JSON our SQL limiter sends with a 429. */
const rateLimitDetails = z.object({ retry_after_seconds: z.number().nonnegative() });

const kindByMessage: ReadonlyMap<string, NetworkErrorKind> = new Map(
  NETWORK_ERROR_KINDS.map((kind) => [NETWORK_ERROR_MESSAGES[kind], kind]),
);

/**
 * The kind of a fetch that rejected, known only by its message: auth-js keeps `message` verbatim;
 * postgrest-js (without throwOnError) reports `"<name>: <message>"` with status 0.
 */
function kindOfRejectedFetch(message: string): NetworkErrorKind {
  return kindByMessage.get(message.replace(/^NetworkError: /, '')) ?? 'offline';
}

/** PostgrestError instances and plain `{code, details, hint, message}` objects (maybe with `status`). */
function parsePostgrestLike(error: unknown) {
  if (typeof error !== 'object' || error === null) return undefined;
  if (!('code' in error && 'details' in error && 'hint' in error)) return undefined;
  const parsed = postgrestErrorShape.safeParse(error);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The HTTP status PostgREST answers with for an error `code` (Error.hs `mapSQLtoHTTP` and its own
 * PGRSTxxx codes; see docs/local-server.md#rest-errors). Codes whose status depends on context we
 * cannot see (42501 is 401 for anon and 403 otherwise) take the value for a signed-in user, which is
 * every request this app makes.
 */
export function statusFromPostgrestCode(code: string): number | undefined {
  const custom = /^PT(\d{3})$/.exec(code);
  if (custom?.[1]) return Number(custom[1]);
  if (code.startsWith('PGRST')) {
    const group = code.slice(5, 6);
    if (code === 'PGRST003') return 504;
    if (group === '0') return 503; // connection and schema-cache failures
    if (group === '3') return code === 'PGRST300' ? 500 : 401; // PGRST300: server misconfigured
    if (group === 'X') return 500;
    if (code === 'PGRST111' || code === 'PGRST112' || code === 'PGRST121') return 500;
    return 400; // request-shape errors (100s, 200s); the exact 4xx does not change the kind
  }
  // Our own SQL functions answer user mistakes with word codes (cohort_not_found, version_conflict,
  // invalid_rows …) and a 4xx status (RAISE SQLSTATE 'PGRST' or response.status); rate limits were
  // handled above. A body with such a code always came from PostgREST, never from a proxy.
  if (/^[a-z][a-z0-9_]*$/.test(code)) return 400;
  // Anything else that is not a five-character SQLSTATE is some other service's code.
  if (!/^[0-9A-Z]{5}$/.test(code)) return undefined;
  const sqlClass = code.slice(0, 2);
  if (code === '57P01') return 503;
  if (code === '23503' || code === '23505') return 409;
  if (code === '25006') return 405;
  if (code === 'P0001') return 400;
  if (code === '42883' || code === '42P01') return 404;
  if (code === '42501') return 403;
  if (code === '42P17' || code === '53400') return 500;
  if (sqlClass === '08' || sqlClass === '53') return 503;
  if (['0L', '0P', '28'].includes(sqlClass)) return 403;
  if (['09', '25', '2D', '38', '39', '3B', '40', '54', '55', '57', '58', 'F0', 'HV', 'XX', 'P0'].includes(sqlClass)) {
    return 500;
  }
  return 400;
}

function kindOfAuthError(status: number | undefined, code: string | undefined, name: string, message: string): ErrorKind {
  if (code !== undefined && UNAUTHORISED_CODES.has(code)) return 'unauthorised';
  if (code !== undefined && RATE_LIMIT_CODES.has(code)) return 'rate_limited';
  if (name === 'AuthSessionMissingError') return 'unauthorised';
  // status 0: the fetch itself rejected; auth-js kept only our message.
  if (status === 0) return kindOfRejectedFetch(message);
  if (status === undefined) return 'unknown';
  return kindFromStatus(status);
}

/** Classifies any thrown value; see the header comment for how each error shape is read. */
export function classifyError(error: unknown): ErrorKind {
  if (error instanceof NetworkError) return error.kind;
  if (isAuthError(error)) return kindOfAuthError(error.status, error.code, error.name, error.message);
  const postgrest = parsePostgrestLike(error);
  if (postgrest === undefined) return 'unknown';
  const { code, status, message } = postgrest;
  if (code) {
    if (RATE_LIMIT_CODES.has(code)) return 'rate_limited';
    if (UNAUTHORISED_CODES.has(code)) return 'unauthorised';
  }
  if (status === 0) return kindOfRejectedFetch(message);
  if (status !== undefined) return kindFromStatus(status);
  const derived = code ? statusFromPostgrestCode(code) : undefined;
  return derived === undefined ? 'server' : kindFromStatus(derived);
}

/**
 * How long the server asked us to wait before retrying, if the error says so: a NetworkError's
 * `retryAfterMs`, or the `retry_after_seconds` our SQL limiter puts in a PostgrestError's `details`
 * (the `Retry-After` header itself never reaches a PostgrestError).
 */
export function getRetryAfterMs(error: unknown): number | undefined {
  if (error instanceof NetworkError) return error.retryAfterMs;
  const details = parsePostgrestLike(error)?.details;
  if (!details) return undefined;
  let parsedJson: unknown;
  try {
    parsedJson = JSON.parse(details);
  } catch {
    return undefined;
  }
  const parsed = rateLimitDetails.safeParse(parsedJson);
  return parsed.success ? parsed.data.retry_after_seconds * 1000 : undefined;
}
