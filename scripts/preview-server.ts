/**
 * Serves a Vite build with the headers production hosting must also send:
 * hashed /assets/* are immutable, index.html and everything else revalidate, and only navigations fall
 * back to index.html. A missing /assets/* file is a 404, never index.html: a stale tab asking for an old
 * chunk must fail loudly instead of executing HTML as JavaScript (vite-plugin-pwa#775).
 */
import http from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface PreviewOptions {
  /** Directory holding the build (index.html at its root). */
  dir: string;
  /** 0 picks a free port. */
  port: number;
  host: string;
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

const IMMUTABLE = 'public, max-age=31536000, immutable';
// Everything without a content hash in its name (index.html, sw.js, the manifest) must be revalidated,
// or a deploy never reaches returning users.
const REVALIDATE = 'no-cache';

/** A request for a page (address bar, link, reload), as opposed to a script, style or fetch(). */
function isNavigation(req: http.IncomingMessage): boolean {
  const mode = req.headers['sec-fetch-mode'];
  if (typeof mode === 'string') return mode === 'navigate';
  // Clients without Fetch Metadata (curl, old browsers): a page load is the one that asks for HTML.
  return (req.headers.accept ?? '').includes('text/html');
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

export async function startPreview({ dir, port, host }: PreviewOptions): Promise<RunningPreview> {
  const root = path.resolve(dir);
  if (!(await fileAt(root, 'index.html'))) {
    throw new Error(`${path.join(root, 'index.html')} not found: build the app first (npx vite build)`);
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const headers: Record<string, string> = {
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'strict-origin-when-cross-origin',
      };
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { ...headers, allow: 'GET, HEAD' }).end();
        return;
      }
      let pathname: string;
      try {
        pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
      } catch {
        res.writeHead(400, headers).end();
        return;
      }
      const isAsset = pathname.startsWith('/assets/');
      let found = await fileAt(root, pathname === '/' ? 'index.html' : pathname);
      if (!found && !isAsset && isNavigation(req)) found = await fileAt(root, 'index.html');
      if (!found) {
        res.writeHead(404, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : 'Not found\n');
        return;
      }

      const etag = `W/"${found.size.toString(16)}-${Math.floor(found.mtimeMs).toString(16)}"`;
      headers['content-type'] = CONTENT_TYPES[path.extname(found.file).toLowerCase()] ?? 'application/octet-stream';
      headers['cache-control'] = isAsset ? IMMUTABLE : REVALIDATE;
      headers.etag = etag;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers).end();
        return;
      }
      headers['content-length'] = String(found.size);
      res.writeHead(200, headers);
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      createReadStream(found.file)
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
