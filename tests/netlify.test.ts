/**
 * netlify.toml, read the way Netlify reads it (@netlify/headers-parser, @netlify/redirect-parser), holds
 * the hosting contract: build, SPA fallback with /assets/* 404 first, cache rules, security headers.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'smol-toml';
import { expect, test } from 'vitest';
import { z } from 'zod';
import { headersFor, loadNetlifyRules, NETLIFY_TOML, redirectFor } from '../scripts/netlify-rules.ts';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = /^(?:no-cache|(?:public, )?max-age=0, must-revalidate)$/;

function directives(csp: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of csp.split(';').map((s) => s.trim()).filter(Boolean)) {
    const [name = '', ...sources] = d.split(/\s+/);
    out.set(name.toLowerCase(), sources);
  }
  return out;
}

test('build: npm run build publishes dist', async () => {
  const toml = z
    .object({ build: z.object({ command: z.string(), publish: z.string() }) })
    .parse(parse(await readFile(NETLIFY_TOML, 'utf8')));
  expect(toml.build).toEqual({ command: 'npm run build', publish: 'dist' });
});

test('redirects: a missing /assets file is a 404, the signed-out pages get their prerendered documents, the rest the SPA fallback; existing files are not rewritten', async () => {
  const { redirects } = await loadNetlifyRules();
  expect(redirects.map((r) => [r.from, r.to, r.status, r.force])).toEqual([
    ['/assets/*', '/404', 404, false],
    ['/signin', '/signin.html', 200, false],
    ['/signup', '/signup.html', 200, false],
    ['/*', '/index.html', 200, false],
  ]);
  // The files vite.config.ts prerenderSignedOutPages writes (e2e/shell.spec.ts loads them without JavaScript).
  expect(redirectFor('/signin', false, redirects)).toEqual({ status: 200, to: '/signin.html' });
  expect(redirectFor('/signup/', false, redirects)).toEqual({ status: 200, to: '/signup.html' });
  expect(redirectFor('/signin/extra', false, redirects)).toEqual({ status: 200, to: '/index.html' });
  expect(redirectFor('/assets/old-chunk-abc123.js', false, redirects)).toEqual({ status: 404, to: '/404' });
  expect(redirectFor('/blocks/42/review', false, redirects)).toEqual({ status: 200, to: '/index.html' });
  expect(redirectFor('/assets/index-abc123.js', true, redirects)).toBeUndefined();
  expect(redirectFor('/sw.js', true, redirects)).toBeUndefined();
});

test('cache: hashed assets immutable; index.html, /, sw.js and the manifest revalidate; manifest type', async () => {
  const { headers } = await loadNetlifyRules();
  expect(headersFor('/assets/index-abc123.js', headers)['cache-control']).toBe(IMMUTABLE);
  expect(headersFor('/assets/index-abc123.css', headers)['cache-control']).toBe(IMMUTABLE);
  for (const p of ['/', '/index.html', '/sw.js', '/manifest.webmanifest']) {
    expect(headersFor(p, headers)['cache-control'], p).toMatch(REVALIDATE);
  }
  expect(headersFor('/manifest.webmanifest', headers)['content-type']).toBe('application/manifest+json');
  // Netlify joins the values of every matching rule: no rule may add a second Cache-Control to a path.
  expect(headersFor('/blocks/42', headers)['cache-control']).toBeUndefined();
});

test('security headers on every path, CSP without unsafe-inline', async () => {
  const { headers } = await loadNetlifyRules();
  for (const p of ['/', '/index.html', '/assets/index-abc123.js', '/sw.js', '/manifest.webmanifest', '/blocks/42/review']) {
    const h = headersFor(p, headers);
    expect(h['strict-transport-security'], p).toBe('max-age=63072000; includeSubDomains; preload');
    expect(h['x-content-type-options'], p).toBe('nosniff');
    expect(h['referrer-policy'], p).toBe('strict-origin-when-cross-origin');
    const permissions = h['permissions-policy'] ?? '';
    for (const feature of ['camera=()', 'microphone=()', 'geolocation=()']) expect(permissions, p).toContain(feature);
    const csp = directives(h['content-security-policy'] ?? '');
    expect(Object.fromEntries(csp), p).toMatchObject({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      // Question images are signed Storage URLs of the API (decision 025).
      'img-src': ["'self'", 'data:', 'https://*.supabase.co'],
      'connect-src': ["'self'", 'https://*.supabase.co', 'wss://*.supabase.co'],
      'worker-src': ["'self'"],
      'manifest-src': ["'self'"],
      'frame-ancestors': ["'none'"],
      'base-uri': ["'self'"],
      'form-action': ["'self'"],
      'object-src': ["'none'"],
    });
    expect(h['content-security-policy'], p).not.toMatch(/unsafe-inline|unsafe-eval/);
  }
});

test('index.html has no inline script or style the CSP would block', async () => {
  const html = await readFile(new URL('../index.html', import.meta.url), 'utf8');
  // Every <script> has a src; no <style> element, no style="" or on*="" attribute.
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    expect(m[1]).toMatch(/\bsrc=/);
    expect(m[2]?.trim()).toBe('');
  }
  expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
});
