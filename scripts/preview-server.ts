/**
 * Serves a Vite build the way Netlify will: the redirects and headers come from netlify.toml, read with
 * Netlify's own parsers (scripts/netlify-rules.ts), so hashed /assets/* are immutable, index.html, sw.js
 * and the manifest revalidate, every response carries the security headers, a missing /assets/* file is
 * a 404 (never index.html: vite-plugin-pwa#775) and other unknown paths get index.html (SPA fallback).
 * The one local difference: the CSP's connect-src names the local API the bundle was built for (from
 * dist/build-info.json, or `apiUrl`) instead of the production Supabase pattern.
 *
 * Unlike Netlify (which compresses on the fly), it serves the .br/.gz files the build writes next to
 * each compressible file (vite.config.ts `precompress`), chosen by Accept-Encoding: br, then gzip, then
 * identity.
 */
import http from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { acceptedCodings } from '../supabase/local/http.ts';
import { readBuildInfo } from './build-info.ts';
import { headersFor, loadNetlifyRules, NETLIFY_TOML, redirectFor, withApiOrigin } from './netlify-rules.ts';

export interface PreviewOptions {
  /** Directory holding the build (index.html at its root). */
  dir: string;
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** The API origin the CSP's connect-src allows; defaults to `supabaseUrl` in `<dir>/build-info.json`. */
  apiUrl?: string;
  /** The Netlify config to read headers and redirects from; defaults to the repository's netlify.toml. */
  netlifyToml?: string;
}

export interface RunningPreview {
  url: string;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
};

/** Netlify's Cache-Control for a path no [[headers]] rule gives one. */
const NETLIFY_DEFAULT_CACHE = 'public, max-age=0, must-revalidate';

/** Types the build pre-compresses (vite.config.ts COMPRESSIBLE); others never get Vary or a sidecar. */
const COMPRESSIBLE_TYPE = /^(?:text\/|application\/(?:json|javascript|manifest\+json|xml)|image\/svg\+xml)/;

/**
 * The encoding to send, by the client's Accept-Encoding: brotli, then gzip, then identity; a coding with
 * q=0 is refused, `*` stands for any coding not named.
 */
export function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | undefined {
  const q = acceptedCodings(acceptEncoding);
  const ok = (coding: string) => (q.get(coding) ?? q.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return undefined;
}

async function fileAt(root: string, pathname: string): Promise<{ file: string; size: number; mtimeMs: number } | undefined> {
  const file = path.join(root, pathname);
  // path.join normalises "..", so anything outside root is a traversal attempt.
  if (file !== root && !file.startsWith(root + path.sep)) return undefined;
  try {
    const s = await stat(file);
    return s.isFile() ? { file, size: s.size, mtimeMs: s.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

export async function startPreview({ dir, port, host, apiUrl, netlifyToml = NETLIFY_TOML }: PreviewOptions): Promise<RunningPreview> {
  const root = path.resolve(dir);
  if (!(await fileAt(root, 'index.html'))) {
    throw new Error(`${path.join(root, 'index.html')} not found: build the app first (npx vite build)`);
  }
  const rules = await loadNetlifyRules(netlifyToml);
  const api = apiUrl ?? (await readBuildInfo(root))?.supabaseUrl;

  /** netlify.toml's headers for the requested path (Netlify matches the URL, not a rewrite target). */
  const ruleHeaders = (pathname: string): Record<string, string> => {
    const h = headersFor(pathname, rules.headers);
    const csp = h['content-security-policy'];
    if (csp && api) h['content-security-policy'] = withApiOrigin(csp, api);
    return h;
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      let pathname: string;
      try {
        pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
      } catch {
        res.writeHead(400).end();
        return;
      }
      const headers = ruleHeaders(pathname);
      const notFound = () => {
        // The rules' Cache-Control (immutable for /assets/*) is for files; a 404 must not be kept.
        res.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : 'Not found\n');
      };

      let found = await fileAt(root, pathname === '/' ? 'index.html' : pathname);
      const redirect = redirectFor(pathname, Boolean(found), rules.redirects);
      if (redirect) {
        if (redirect.status >= 300 && redirect.status < 400) {
          res.writeHead(redirect.status, { ...headers, location: redirect.to }).end();
          return;
        }
        // A rewrite (200) or an error page (404): the target's content with the rule's status.
        found = await fileAt(root, redirect.to);
        if (redirect.status !== 200 || !found) {
          notFound();
          return;
        }
      }
      if (!found) {
        notFound();
        return;
      }

      const contentType = headers['content-type'] ?? CONTENT_TYPES[path.extname(found.file).toLowerCase()] ?? 'application/octet-stream';
      headers['content-type'] = contentType;
      headers['cache-control'] ??= NETLIFY_DEFAULT_CACHE;
      let file = found;
      let encoding: 'br' | 'gzip' | undefined;
      if (COMPRESSIBLE_TYPE.test(contentType)) {
        headers.vary = 'Accept-Encoding';
        const wanted = pickEncoding(req.headers['accept-encoding']);
        const sidecar = wanted && (await fileAt(root, `${path.relative(root, found.file)}.${wanted === 'br' ? 'br' : 'gz'}`));
        if (wanted && sidecar) {
          file = sidecar;
          encoding = wanted;
          headers['content-encoding'] = wanted;
        }
      }
      const etag = `W/"${found.size.toString(16)}-${Math.floor(found.mtimeMs).toString(16)}${encoding ? `-${encoding}` : ''}"`;
      headers.etag = etag;
      if (req.headers['if-none-match'] === etag) {
        delete headers['content-encoding'];
        res.writeHead(304, headers).end();
        return;
      }
      headers['content-length'] = String(file.size);
      res.writeHead(200, headers);
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      createReadStream(file.file)
        .on('error', () => res.destroy())
        .pipe(res);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('preview server has no TCP address');
  const { port: actualPort }: AddressInfo = address;
  const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${actualPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Browsers keep idle keep-alive sockets open; without this close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}
