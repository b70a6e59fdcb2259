/**
 * Response compression at the gateway (supabase/local/server.ts), as hosted Supabase's edge does it:
 * gzip for large bodies when Accept-Encoding allows, with Vary, and the same JSON once decoded.
 */
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { acceptsGzip } from '../supabase/local/http.ts';
import { mintToken } from '../supabase/local/rest/test-support.ts';
import { anonKey, apiUrl, client } from './helpers.ts';

/** Raw HTTP (fetch would decode the body and hide what was sent). */
function get(pathname: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .request(`${apiUrl()}${pathname}`, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject)
      .end();
  });
}

/** The published bank as the player reads it: well over 1 KiB. */
const BANK = '/rest/v1/questions?select=id,stem,choices,correct_choice,explanation,organ_system,discipline,difficulty,tags,version&published=eq.true&order=id';

async function bankHeaders(): Promise<Record<string, string>> {
  return { apikey: anonKey, authorization: `Bearer ${await mintToken()}` };
}

describe('acceptsGzip', () => {
  test.each([
    ['gzip', true],
    ['gzip, deflate, br', true],
    ['GZIP', true],
    ['br;q=1.0, gzip;q=0.5', true],
    ['x-gzip', true],
    ['*', true],
    ['identity, *;q=0.1', true],
    ['gzip ; Q = 0.001', true],
    [undefined, false],
    ['', false],
    ['identity', false],
    ['br, deflate', false],
    ['gzip;q=0', false],
    ['gzip;q=0.000', false],
    ['gzip; Q=0', false],
    ['*;q=0', false],
    ['gzip;q=0, *', false],
    ['*, gzip;q=0', false],
    ['identity;q=1, *;q=0', false],
    ['gzip;q=oops', false],
  ])('%j → %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});

test('a large REST response is gzipped for a client that accepts it, and decodes to the same JSON', async () => {
  const headers = await bankHeaders();
  const plain = await get(BANK, { ...headers, 'accept-encoding': 'identity' });
  expect(plain.status).toBe(200);
  expect(plain.body.length).toBeGreaterThan(1024);
  const rows: unknown = JSON.parse(plain.body.toString('utf8'));
  expect(Array.isArray(rows) && rows.length).toBeGreaterThanOrEqual(60);

  const gz = await get(BANK, { ...headers, 'accept-encoding': 'gzip, deflate, br', origin: 'http://localhost:5173' });
  expect(gz.status).toBe(200);
  expect(gz.headers['content-encoding']).toBe('gzip');
  expect(gz.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(gz.headers['content-range']).toBe(plain.headers['content-range']);
  expect(Number(gz.headers['content-length'])).toBe(gz.body.length);
  expect(gz.body.length).toBeLessThan(plain.body.length / 2);
  // The CORS Vary stays, Accept-Encoding is added once.
  expect(gz.headers.vary).toBe('Origin, Accept-Encoding');
  expect(JSON.parse(gunzipSync(gz.body).toString('utf8'))).toEqual(rows);
  expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
});

test('identity, gzip;q=0 or no Accept-Encoding get the body uncompressed, still with Vary', async () => {
  const headers = await bankHeaders();
  for (const acceptEncoding of ['identity', 'gzip;q=0', 'br, *;q=0', undefined]) {
    const res = await get(BANK, { ...headers, ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}) });
    expect(res.status, acceptEncoding).toBe(200);
    expect(res.headers['content-encoding'], acceptEncoding).toBeUndefined();
    expect(res.headers.vary, acceptEncoding).toBe('Origin, Accept-Encoding');
    expect(Number(res.headers['content-length']), acceptEncoding).toBe(res.body.length);
    expect(Array.isArray(JSON.parse(res.body.toString('utf8'))), acceptEncoding).toBe(true);
  }
});

test('small bodies, HEAD and 204 are never compressed and do not vary on Accept-Encoding', async () => {
  const health = await get('/health', { 'accept-encoding': 'gzip' });
  expect(health.status).toBe(200);
  expect(health.headers['content-encoding']).toBeUndefined();
  expect(health.headers.vary).toBe('Origin');
  expect(JSON.parse(health.body.toString('utf8'))).toMatchObject({ status: 'ok' });

  const head = await get(BANK, { ...(await bankHeaders()), 'accept-encoding': 'gzip' }, 'HEAD');
  expect(head.status).toBe(200);
  expect(head.headers['content-encoding']).toBeUndefined();
  expect(head.body.length).toBe(0);

  const preflight = await get('/rest/v1/questions', { origin: 'http://localhost:5173', 'accept-encoding': 'gzip', 'access-control-request-method': 'GET' }, 'OPTIONS');
  expect(preflight.status).toBe(204);
  expect(preflight.headers['content-encoding']).toBeUndefined();
});

test('fetch asks for gzip by itself and decodes it, so supabase-js reads the compressed bank unchanged', async () => {
  const token = await mintToken();
  const res = await fetch(`${apiUrl()}${BANK}`, { headers: { apikey: anonKey, authorization: `Bearer ${token}` } });
  expect(res.headers.get('content-encoding')).toBe('gzip');
  const viaFetch: unknown = await res.json();
  const { data } = await client(anonKey, token)
    .from('questions')
    .select('id, stem, choices, correct_choice, explanation, organ_system, discipline, difficulty, tags, version')
    .eq('published', true)
    .order('id')
    .throwOnError();
  const plain = await get(BANK, { apikey: anonKey, authorization: `Bearer ${token}`, 'accept-encoding': 'identity' });
  const rows: unknown = JSON.parse(plain.body.toString('utf8'));
  expect(viaFetch).toEqual(rows);
  expect(data).toEqual(rows);
});
