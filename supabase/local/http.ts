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
