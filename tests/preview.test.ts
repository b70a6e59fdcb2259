/**
 * The preview server (scripts/preview-server.ts) on real HTTP: netlify.toml's headers and redirects,
 * the CSP pointed at the local API, and pre-compressed files chosen by Accept-Encoding. Runs on a tiny
 * fixture build it writes itself, so it needs no `vite build`.
 */
import http from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startPreview, type RunningPreview } from '../scripts/preview-server.ts';

const API = 'http://127.0.0.1:59999';
const script = `export const answer = ${JSON.stringify('x'.repeat(4000))};\n`;

let dir = '';
let preview: RunningPreview | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rounds-preview-'));
  await mkdir(path.join(dir, 'assets'));
  const files: Record<string, string | Buffer> = {
    'index.html': '<!doctype html><title>fixture</title><script type="module" src="/assets/x.js"></script>\n',
    'assets/x.js': script,
    'assets/x.js.br': brotliCompressSync(script),
    'assets/x.js.gz': gzipSync(script),
    'sw.js': 'self.addEventListener("fetch", () => {});\n',
    'manifest.webmanifest': '{"name":"fixture"}\n',
    'build-info.json': JSON.stringify({ buildId: 'fixture', supabaseUrl: API }),
  };
  for (const [name, body] of Object.entries(files)) await writeFile(path.join(dir, name), body);
  preview = await startPreview({ dir, port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await preview?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Raw HTTP (fetch would decode the body and hide what was sent). */
function get(pathname: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get(`${preview?.url}${pathname}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

test('Accept-Encoding picks brotli, then gzip, then identity, with Vary and the right Content-Length', async () => {
  const br = await get('/assets/x.js', { 'accept-encoding': 'gzip, deflate, br' });
  expect(br.status).toBe(200);
  expect(br.headers['content-encoding']).toBe('br');
  expect(br.headers.vary).toBe('Accept-Encoding');
  expect(Number(br.headers['content-length'])).toBe(br.body.length);
  expect(br.body.length).toBeLessThan(script.length);
  expect(br.headers['content-type']).toMatch(/^text\/javascript/);

  const gz = await get('/assets/x.js', { 'accept-encoding': 'gzip, br;q=0' });
  expect(gz.headers['content-encoding']).toBe('gzip');
  expect(Number(gz.headers['content-length'])).toBe(gz.body.length);

  const plain = await get('/assets/x.js', { 'accept-encoding': 'identity' });
  expect(plain.headers['content-encoding']).toBeUndefined();
  expect(plain.body.toString()).toBe(script);
  expect(Number(plain.headers['content-length'])).toBe(script.length);
});

test('security headers and a CSP whose connect-src is the local API', async () => {
  for (const p of ['/', '/assets/x.js', '/sw.js', '/blocks/42']) {
    const res = await get(p);
    expect(res.headers['strict-transport-security'], p).toBe('max-age=63072000; includeSubDomains; preload');
    expect(res.headers['x-content-type-options'], p).toBe('nosniff');
    expect(res.headers['referrer-policy'], p).toBe('strict-origin-when-cross-origin');
    const csp = String(res.headers['content-security-policy']);
    expect(csp, p).toContain(`connect-src 'self' ${API} ${API.replace(/^http/, 'ws')}`);
    expect(csp, p).toContain("script-src 'self'");
    expect(csp, p).not.toContain('supabase.co');
  }
});

test('cache rules: immutable assets, revalidated index, service worker and manifest', async () => {
  expect((await get('/assets/x.js')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
  expect((await get('/')).headers['cache-control']).toBe('public, max-age=0, must-revalidate');
  expect((await get('/index.html')).headers['cache-control']).toBe('public, max-age=0, must-revalidate');
  expect((await get('/sw.js')).headers['cache-control']).toBe('no-cache');
  const manifest = await get('/manifest.webmanifest');
  expect(manifest.headers['cache-control']).toBe('no-cache');
  expect(manifest.headers['content-type']).toBe('application/manifest+json');
});

test('a missing /assets file is a 404; a deep link gets index.html', async () => {
  const missing = await get('/assets/old-chunk-abc123.js', { accept: '*/*' });
  expect(missing.status).toBe(404);
  expect(missing.headers['content-type']).toMatch(/^text\/plain/);
  expect(missing.headers['cache-control']).toBe('no-store');

  const deep = await get('/blocks/42/review', { accept: 'text/html', 'sec-fetch-mode': 'navigate' });
  expect(deep.status).toBe(200);
  expect(deep.headers['content-type']).toMatch(/^text\/html/);
  expect(deep.body.toString()).toContain('<title>fixture</title>');
  expect(deep.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
});
