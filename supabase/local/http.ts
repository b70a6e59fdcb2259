/** The plain request/response shapes the REST and Auth handlers work with (the server adapts node:http). */
export interface ApiRequest {
  method: string;
  url: URL;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Raw body text ('' when none). */
  body: string;
  /** Client IP (X-Forwarded-For's first entry when present, else the socket address). */
  ip: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  /** '' for no body. */
  body: string;
}

/** What the gateway sends: an ApiResponse, or a Storage object's bytes. */
export interface WireResponse extends Omit<ApiResponse, 'body'> {
  body: string | Buffer;
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): ApiResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
}

/**
 * Deepest nesting of arrays/objects accepted in a JSON request body (REST and Auth). Far above anything the
 * app sends (a question import is 4 levels deep) and far below what breaks the layers behind: V8's
 * recursive JSON.stringify and zod overflow the stack in the tens of thousands, Postgres' JSON parser
 * stops at max_stack_depth (54001, a 500), and PGlite's smaller WASM stack silently returns no rows
 * somewhere between 5,000 and 8,000 levels. GoTrue's own cap (Go's encoding/json) is 10,000.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether JSON text nests arrays/objects deeper than `limit`, found without parsing it: one pass over the
 * characters, skipping string contents (escapes included), so a hostile body cannot overflow any stack on
 * the way in. Only depth is judged; malformed text is left for JSON.parse to report.
 */
export function jsonNestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Jump to the closing quote (native indexOf): the next `"` not escaped by an odd run of backslashes.
      let end = i;
      for (;;) {
        end = text.indexOf('"', end + 1);
        if (end === -1) return false; // unterminated: JSON.parse reports it
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 0x5c) slashes++;
        if (slashes % 2 === 0) break;
      }
      i = end;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

export interface Handler {
  handle(req: ApiRequest): Promise<ApiResponse>;
}

/**
 * An Accept-Encoding header (RFC 9110 §12.5.3) as coding → q: codings and parameters are
 * case-insensitive, `x-gzip` is gzip's old alias, an unreadable q counts as 0 (refused). Look a coding up
 * with `?? get('*')`: `*` stands for any coding not named. Shared with scripts/preview-server.ts.
 */
export function acceptedCodings(header: string | undefined): Map<string, number> {
  const q = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!coding) continue;
    const qParam = params.map((p) => p.replace(/\s+/g, '')).find((p) => p.startsWith('q='));
    q.set(coding === 'x-gzip' ? 'gzip' : coding, qParam === undefined ? 1 : Number(qParam.slice(2)) || 0);
  }
  return q;
}

/**
 * Whether the response may be gzipped: `gzip` with q > 0, or else `*` with q > 0. No header gets
 * identity: RFC 9110 would allow any coding, but CDNs do not compress for such clients either.
 */
export function acceptsGzip(header: string | undefined): boolean {
  const q = acceptedCodings(header);
  return (q.get('gzip') ?? q.get('*') ?? 0) > 0;
}
