/**
 * netlify.toml as Netlify reads it: [[headers]] and [[redirects]] parsed by Netlify's own parsers
 * (@netlify/headers-parser, @netlify/redirect-parser: what @netlify/config and the CLI use), plus the
 * matching rules Netlify applies to them. Used by the preview server (so local responses carry the
 * production headers) and by tests/netlify.test.ts.
 *
 * Pinned to the parsers' last majors that run on Node 20 (9.x / 15.x; newer ones need Node 22).
 */
import path from 'node:path';
import { parseAllHeaders } from '@netlify/headers-parser';
import { parseAllRedirects } from '@netlify/redirect-parser';
import { z } from 'zod';

export const NETLIFY_TOML = path.resolve(import.meta.dirname, '..', 'netlify.toml');

export interface HeaderRule {
  for: string;
  values: Record<string, string>;
  forRegExp: RegExp;
}

const redirectSchema = z.object({
  from: z.string(),
  to: z.string(),
  status: z.number().int().optional(),
  force: z.boolean(),
  query: z.record(z.string(), z.string()),
  conditions: z.record(z.string(), z.unknown()),
});
export type RedirectRule = z.infer<typeof redirectSchema>;

export interface NetlifyRules {
  headers: HeaderRule[];
  redirects: RedirectRule[];
}

/** Parses [[headers]] and [[redirects]]; any error Netlify would report fails loudly here too. */
export async function loadNetlifyRules(file = NETLIFY_TOML): Promise<NetlifyRules> {
  const [h, r] = await Promise.all([
    parseAllHeaders({ headersFiles: [], netlifyConfigPath: file, configHeaders: [], minimal: false }),
    parseAllRedirects({ redirectsFiles: [], netlifyConfigPath: file, configRedirects: [], minimal: false }),
  ]);
  const errors = [...h.errors, ...r.errors].map(String);
  if (errors.length) throw new Error(`${file}: ${errors.join('\n')}`);
  const headers = h.headers.map((rule) => {
    if (!('forRegExp' in rule)) throw new Error('headers parsed in minimal mode');
    return rule;
  });
  return { headers, redirects: z.array(redirectSchema).parse(r.redirects) };
}

/**
 * The headers Netlify sends for `pathname`: every matching rule applies, in file order, and a header set
 * by several rules gets their values joined with ", ". Names are lower-cased (HTTP headers are
 * case-insensitive; Node sends them as given).
 */
export function headersFor(pathname: string, rules: HeaderRule[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rule of rules) {
    if (!rule.forRegExp.test(pathname)) continue;
    for (const [name, value] of Object.entries(rule.values)) {
      const key = name.toLowerCase();
      out[key] = out[key] === undefined ? value : `${out[key]}, ${value}`;
    }
  }
  return out;
}

/** `from` patterns: `*` is the splat (rest of the path), `:name` one segment. */
function fromRegExp(from: string): RegExp {
  const parts = from.split('/').filter(Boolean).map((part) => {
    if (part === '*') return '?(?<splat>.*)';
    if (part.startsWith(':')) return `(?<${part.slice(1)}>[^/]+)`;
    return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^/${parts.join('/')}/?$`, 'i');
}

/**
 * The first redirect rule that applies to `pathname`, with `to` filled in. Netlify's shadowing: a rule
 * without `force` applies only when no file exists at the path.
 */
export function redirectFor(
  pathname: string,
  fileExists: boolean,
  rules: RedirectRule[],
): { status: number; to: string } | undefined {
  for (const rule of rules) {
    // Rules with conditions (country, role, language) or query matches cannot apply to a local request.
    if (Object.keys(rule.conditions).length || Object.keys(rule.query).length) continue;
    if (fileExists && !rule.force) continue;
    const m = fromRegExp(rule.from).exec(pathname);
    if (!m) continue;
    const to = rule.to.replace(/:(\w+)/g, (whole, name: string) => m.groups?.[name] ?? whole);
    return { status: rule.status ?? 301, to };
  }
  return undefined;
}

/**
 * The CSP with connect-src pointing at `apiUrl` instead of the production Supabase pattern: the
 * preview's bundle talks to a local API, and the policy must allow exactly that origin and its
 * WebSocket twin (ws: for http:, wss: for https:), where Realtime connects; img-src allows the origin
 * too (question images are signed Storage URLs, decision 025).
 */
export function withApiOrigin(csp: string, apiUrl: string): string {
  const url = new URL(apiUrl);
  const origin = `${url.origin} ${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
  return csp
    .split(';')
    .map((d) => d.trim())
    .filter(Boolean)
    .map((d) => (/^connect-src\s/i.test(d) ? `connect-src 'self' ${origin}` : /^img-src\s/i.test(d) ? `img-src 'self' data: ${url.origin}` : d))
    .join('; ');
}
