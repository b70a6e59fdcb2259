/**
 * PostgREST's error contract (Error.hs, docs/references/errors.rst): every error body is
 * `{code, details, hint, message}`, SQLSTATEs map to HTTP statuses by class, and two escape hatches let SQL
 * pick the status itself (`PTxyz`, and `RAISE SQLSTATE 'PGRST'` with JSON message/detail that may also
 * carry response headers).
 */
import { z } from 'zod';
import type { PgError } from '../db.ts';
import type { ApiResponse } from '../http.ts';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** An error that already knows its HTTP shape. Thrown anywhere in the REST layer; thrown inside a transaction it also rolls it back. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: string | null = null,
    readonly hint: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toResponse(): ApiResponse {
    return errorResponse(this.status, { code: this.code, details: this.details, hint: this.hint, message: this.message }, this.headers);
  }
}

interface ErrorBody {
  code: string;
  details: unknown;
  hint: unknown;
  message: string;
}

function errorResponse(status: number, body: ErrorBody, headers: Record<string, string> = {}): ApiResponse {
  return {
    status,
    headers: {
      'content-type': JSON_CONTENT_TYPE,
      'proxy-status': `PostgREST; error=${body.code}`,
      ...lowerKeys(headers),
    },
    body: JSON.stringify(body),
  };
}

export function lowerKeys(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

/** PGRST100: a query parameter PostgREST's parser would reject. */
export function badParam(param: string, raw: string, details: string): ApiError {
  return new ApiError(400, 'PGRST100', `"failed to parse ${param} parameter (${raw})"`, details);
}

/** 401 for a bad/expired token, with the header PostgREST sends (Auth.hs). */
export function jwtError(code: 'PGRST301' | 'PGRST303', message: string): ApiError {
  return new ApiError(401, code, message, null, null, {
    'WWW-Authenticate': `Bearer error="invalid_token", error_description="${message.replace(/"/g, "'")}"`,
  });
}

/** `Error.hs mapSQLtoHTTP`. `authed` = the request's role is not the anon role. */
export function httpStatusForSqlState(code: string, message: string, authed: boolean): number {
  const c2 = code.slice(0, 2);
  if (code === '21000') return /requires a WHERE clause$/.test(message) ? 400 : 500;
  if (code === '22023') return /^role .* does not exist$/.test(message) ? 401 : 400;
  if (code === '23503' || code === '23505') return 409;
  if (code === '25006') return 405;
  if (code === '42883') return message.startsWith('function xmlagg(') ? 406 : 404;
  if (code === '42P01') return 404;
  if (code === '42P17') return 500;
  if (code === '42501') return authed ? 403 : 401;
  if (code === '53400') return 500;
  if (code === '57P01') return 503;
  if (code === 'P0001') return 400;
  switch (c2) {
    case '08':
      return 503;
    case '09':
      return 500;
    case '0L':
    case '0P':
    case '28':
      return 403;
    case '25':
    case '2D':
    case '38':
    case '39':
    case '3B':
    case '40':
    case '54':
    case '55':
    case '57':
    case '58':
    case 'F0':
    case 'HV':
    case 'XX':
    case 'P0':
      return 500;
    case '53':
      return 503;
  }
  return 400;
}

const raiseMessage = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
  hint: z.unknown().optional(),
});
const raiseDetail = z.object({
  status: z.number().int().min(100).max(599),
  status_text: z.string().optional(),
  headers: z.record(z.string(), z.string()),
});

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Turns a database error into PostgREST's response. Errors whose `code` is not a SQLSTATE (node-postgres
 * connection failures such as ECONNREFUSED) are connection problems → 503, as PostgREST reports them.
 */
export function pgErrorResponse(e: PgError, authed: boolean): ApiResponse {
  if (e.code === 'PGRST') {
    const msg = raiseMessage.safeParse(parseJson(e.message));
    const det = raiseDetail.safeParse(parseJson(e.detail));
    if (!msg.success || !det.success) {
      const which = msg.success ? `DETAIL: '${e.detail ?? ''}'` : `MESSAGE: '${e.message}'`;
      return new ApiError(500, 'PGRST121', "Could not parse JSON in the RAISE SQLSTATE 'PGRST' error", `Invalid JSON value for ${which}`).toResponse();
    }
    return errorResponse(
      det.data.status,
      { code: msg.data.code, details: msg.data.details ?? null, hint: msg.data.hint ?? null, message: msg.data.message },
      det.data.headers,
    );
  }
  const body: ErrorBody = { code: e.code, details: e.detail ?? null, hint: e.hint ?? null, message: e.message };
  const pt = /^PT(\d{3})$/.exec(e.code);
  if (pt?.[1]) {
    const status = Number(pt[1]);
    return errorResponse(status >= 100 && status <= 599 ? status : 500, body);
  }
  if (!/^[0-9A-Z]{5}$/.test(e.code)) {
    return new ApiError(503, 'PGRST001', 'Database client error. Retrying the connection.', e.message).toResponse();
  }
  const status = httpStatusForSqlState(e.code, e.message, authed);
  // PostgREST adds the challenge on 401s coming from SQL (insufficient privilege as anon, unknown role).
  return errorResponse(status, body, status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {});
}
