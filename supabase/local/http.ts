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

export function json(status: number, value: unknown, headers: Record<string, string> = {}): ApiResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
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
