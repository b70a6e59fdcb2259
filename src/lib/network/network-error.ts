/**
 * The error kinds the whole app branches on, and the one Error subclass the network layer throws.
 *
 * `networkFetch` only ever rejects with a NetworkError for failures that produced no HTTP response
 * (offline, timeout, circuit_open); HTTP error responses are returned untouched because supabase-js
 * must read them, and classify-error.ts reads the errors supabase-js makes of them.
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
  /** Milliseconds to wait before trying again; for circuit_open, until the breaker lets a probe through. */
  readonly retryAfterMs?: number;

  constructor(kind: NetworkErrorKind, options: { status?: number; retryAfterMs?: number; cause?: unknown } = {}) {
    super(NETWORK_ERROR_MESSAGES[kind], { cause: options.cause });
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Kind of an HTTP error status. */
export function kindFromStatus(status: number): NetworkErrorKind {
  if (status === 429) return 'rate_limited';
  if (status === 401) return 'unauthorised';
  if (status >= 500) return 'server';
  return 'client';
}
