/**
 * GoTrue's wire conventions shared by every auth endpoint: the error shapes (internal/api/errors.go,
 * apiversions.go) and request-body parsing (bad JSON and wrong field types are both `bad_json`, as Go's
 * json.Unmarshal reports them).
 */
import { z } from 'zod';
import { json, jsonNestsDeeperThan, MAX_JSON_DEPTH, type ApiRequest, type ApiResponse } from '../http.ts';

/** A failure the client is meant to see, with GoTrue's error code (apierrors/errorcode.go). */
export class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra top-level body fields (e.g. `weak_password`) and response headers (e.g. `Retry-After`). */
    readonly extra: { body?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

const API_VERSION_2024 = Date.UTC(2024, 0, 1);

/**
 * auth-js reads `body.code` as the error code only when the response says API version ≥ 2024-01-01,
 * and GoTrue only answers in that shape when the request asked for it (auth-js always does).
 */
function wantsVersionedErrors(header: string | undefined): boolean {
  if (!header || !/^\d{4}-\d{2}-\d{2}$/.test(header.trim())) return false;
  const t = Date.parse(`${header.trim()}T00:00:00Z`);
  return Number.isFinite(t) && t >= API_VERSION_2024;
}

export function errorResponse(req: ApiRequest, err: AuthError): ApiResponse {
  const headers = { 'x-sb-error-code': err.code, ...err.extra.headers };
  if (wantsVersionedErrors(req.headers['x-supabase-api-version'])) {
    return json(
      err.status,
      { code: err.code, message: err.message, ...err.extra.body },
      { ...headers, 'X-Supabase-Api-Version': '2024-01-01' },
    );
  }
  return json(err.status, { code: err.status, error_code: err.code, msg: err.message, ...err.extra.body }, headers);
}

export function rateLimited(retryAfterSec: number, message = 'Request rate limit reached'): AuthError {
  return new AuthError(429, 'over_request_rate_limit', message, {
    headers: { 'Retry-After': String(Math.max(1, retryAfterSec)) },
  });
}

// A lone surrogate half: JSON.parse accepts "\ud800", but Postgres refuses to store it in jsonb/text.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The first string (value or key) in `value` that Postgres cannot store — a NUL character or a lone
 * surrogate — as a path like `data.a.0`, or undefined. Iterative, so it holds for any depth.
 */
function unstorableString(value: unknown): string | undefined {
  const bad = (s: string) => s.includes('\u0000') || LONE_SURROGATE.test(s);
  const stack: [unknown, string][] = [[value, '']];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [v, path] = item;
    if (typeof v === 'string') {
      if (bad(v)) return path || '(body)';
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) {
        const at = path ? `${path}.${k}` : k;
        if (bad(k)) return at;
        stack.push([child, at]);
      }
    }
  }
  return undefined;
}

/**
 * Parses the JSON body against `schema`. An empty body is `{}` only where GoTrue tolerates it. Bodies
 * nested deeper than MAX_JSON_DEPTH are refused before parsing (with the words Go's encoding/json uses for
 * its own, higher cap), and strings Postgres cannot store are refused before anything is written: GoTrue
 * would pass both on and answer 500.
 */
export function parseBody<T>(req: ApiRequest, schema: z.ZodType<T>, opts: { allowEmpty?: boolean } = {}): T {
  let raw: unknown;
  if (req.body.trim() === '') {
    if (!opts.allowEmpty) throw new AuthError(400, 'bad_json', 'Could not parse request body as JSON: unexpected end of JSON input');
    raw = {};
  } else {
    if (jsonNestsDeeperThan(req.body, MAX_JSON_DEPTH)) {
      throw new AuthError(
        400,
        'bad_json',
        `Could not parse request body as JSON: exceeded max depth (arrays and objects may nest at most ${MAX_JSON_DEPTH} levels)`,
      );
    }
    try {
      raw = JSON.parse(req.body);
    } catch (e) {
      throw new AuthError(400, 'bad_json', `Could not parse request body as JSON: ${e instanceof Error ? e.message : 'invalid JSON'}`);
    }
  }
  const unstorable = unstorableString(raw);
  if (unstorable !== undefined) {
    throw new AuthError(400, 'validation_failed', `Text cannot contain NUL characters or unpaired surrogates (field ${unstorable})`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` (field ${issue.path.join('.')})` : '';
    throw new AuthError(400, 'bad_json', `Could not parse request body as JSON: ${issue?.message ?? 'invalid body'}${where}`);
  }
  return parsed.data;
}

/** JSON objects as GoTrue's map[string]interface{} fields accept them; null means "not given". */
export const metadataSchema = z.record(z.string(), z.unknown()).nullish();

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** GoTrue's UpdateUserMetaData/UpdateAppMetaData: top-level merge, a null value deletes the key. */
export function mergeMetadata(current: Record<string, unknown>, updates: Record<string, unknown>): Record<string, unknown> {
  const out = { ...current };
  for (const [k, v] of Object.entries(updates)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** `Authorization: Bearer <token>` (GoTrue's extractBearerToken), or undefined. */
export function bearerToken(req: ApiRequest): string | undefined {
  const m = /^bearer (\S+)$/i.exec((req.headers['authorization'] ?? '').trim());
  return m?.[1];
}
