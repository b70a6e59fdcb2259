/**
 * The error kinds the whole app branches on, and the one Error subclass the network layer throws.
 *
 * `networkFetch` only ever rejects with a NetworkError for failures that produced no HTTP response
 * (offline, timeout, circuit_open); HTTP error responses are returned untouched because supabase-js
 * must read them. `networkErrorFromResponse` is for code that calls `fetch` directly (not through
 * supabase-js) and wants the same classification, including `Retry-After`.
 */

export const NETWORK_ERROR_KINDS = [
  'offline',
  'timeout',
  'rate_limited',
  'server',
  'client',
  'unauthorised',
  'circuit_open',
] as const;

export type NetworkErrorKind = (typeof NETWORK_ERROR_KINDS)[number];

/**
 * One fixed message per kind. auth-js wraps a rejected fetch in `AuthRetryableFetchError(message, 0)`
 * and keeps nothing but the message, so classifyError maps these strings back to their kind. They are
 * for logs; the UI words its own messages from the kind.
 */
export const NETWORK_ERROR_MESSAGES = {
  offline: 'Network request failed: the device is offline or the server could not be reached.',
  timeout: 'Network request timed out.',
  rate_limited: 'Too many requests: the server asked the client to slow down.',
  server: 'The server failed to handle the request.',
  client: 'The server refused the request.',
  unauthorised: 'The session is missing or no longer valid.',
  circuit_open: 'Server unreachable: requests are paused after repeated failures.',
} as const satisfies Record<NetworkErrorKind, string>;

export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  readonly kind: NetworkErrorKind;
  /** HTTP status, when the failure was an HTTP response. */
  readonly status?: number;
  /**
   * Milliseconds to wait before trying again: the server's `Retry-After` for rate_limited, the time
   * until the breaker lets a probe through for circuit_open.
   */
  readonly retryAfterMs?: number;

  constructor(kind: NetworkErrorKind, options: { status?: number; retryAfterMs?: number; cause?: unknown } = {}) {
    super(NETWORK_ERROR_MESSAGES[kind], { cause: options.cause });
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). Returns milliseconds from
 * `now`, never negative; undefined when the header is absent or unparsable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // All three HTTP-date forms (IMF-fixdate, RFC 850, asctime) start with a day name, and Date.parse
  // reads them all; the guard keeps it from reading "-5" as the year -5.
  if (!/^[A-Za-z]{3}/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * Kind of an HTTP error status. 403 counts as unauthorised only when the server says the token is the
 * problem (`WWW-Authenticate: Bearer error="invalid_token"`, as PostgREST sends); any other 403 is a
 * permission answer that signing in again would not change.
 */
export function kindFromStatus(status: number, wwwAuthenticate?: string | null): NetworkErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 401) return 'unauthorised';
  if (status === 403 && wwwAuthenticate != null && /error="?invalid_token/i.test(wwwAuthenticate)) return 'unauthorised';
  if (status >= 500) return 'server';
  return 'client';
}

/** A NetworkError describing a non-2xx response, for callers that use fetch directly. */
export function networkErrorFromResponse(response: Response, now: number = Date.now()): NetworkError {
  const kind = kindFromStatus(response.status, response.headers.get('WWW-Authenticate'));
  const retryAfterMs = kind === 'rate_limited' ? parseRetryAfter(response.headers.get('Retry-After'), now) : undefined;
  return new NetworkError(kind, { status: response.status, retryAfterMs });
}
