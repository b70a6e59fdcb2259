/**
 * `/storage/v1` through the real supabase-js (storage-js) against the shared test server, with the bucket
 * and policies of tests/fixtures/060_storage.sql: a private bucket `contract` (2 KiB, PNG/WebP/text) where
 * each user owns the folder named by their id. Answers are compared with hosted Storage's: every 4xx is
 * HTTP 400 with the real status in the body's `statusCode` (storage-js: `error.statusCode`).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { expect, test } from 'vitest';
import { anonKey, apiUrl, client } from '../../../tests/helpers.ts';
import { DEMO_JWT_SECRET } from '../config.ts';
import { signJwt } from '../jwt.ts';
import { mintedUser } from '../rest/test-support.ts';

const BUCKET = 'contract';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
/** Every byte value, to prove the body travels as bytes and not as text. */
const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

const files = (db: Awaited<ReturnType<typeof mintedUser>>['db']) => db.storage.from(BUCKET);

/** `{status, statusCode, message}` of a storage-js error, or 'ok'. */
function outcome(r: { error: unknown }): string | { status: unknown; statusCode: unknown; message: unknown } {
  if (!r.error) return 'ok';
  const e = r.error as { status?: unknown; statusCode?: unknown; message?: unknown };
  return { status: e.status, statusCode: e.statusCode, message: e.message };
}

async function bytesOf(blob: Blob | null): Promise<number[]> {
  return blob ? [...new Uint8Array(await blob.arrayBuffer())] : [];
}

/** A GET as a browser's <img> would send it: no apikey, no Authorization. */
const plainGet = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers });

test('upload then download returns the same bytes, with the type, cache-control and ETag of the upload', async () => {
  const me = await mintedUser();
  const name = `${me.id}/all-bytes.png`;
  const up = await files(me.db).upload(name, ALL_BYTES, { contentType: 'image/png' });
  expect(up.error).toBeNull();
  expect(up.data).toEqual({ path: name, id: expect.stringMatching(/^[0-9a-f-]{36}$/), fullPath: `${BUCKET}/${name}` });

  const down = await files(me.db).download(name);
  expect(down.error).toBeNull();
  expect(await bytesOf(down.data)).toEqual([...ALL_BYTES]);

  // The authenticated route answers the object's headers (storage-js's default cacheControl is 3600).
  const res = await fetch(`${apiUrl()}/storage/v1/object/authenticated/${BUCKET}/${name}`, { headers: { authorization: `Bearer ${me.token}` } });
  expect(res.status).toBe(200);
  const etag = `"${createHash('md5').update(ALL_BYTES).digest('hex')}"`;
  expect({
    type: res.headers.get('content-type'),
    cache: res.headers.get('cache-control'),
    etag: res.headers.get('etag'),
    length: res.headers.get('content-length'),
    encoding: res.headers.get('content-encoding'),
  }).toEqual({ type: 'image/png', cache: 'max-age=3600', etag, length: '256', encoding: null });
  expect(res.headers.get('last-modified')).toMatch(/GMT$/);
  // A revalidation with the ETag is a 304 without the bytes.
  const again = await fetch(`${apiUrl()}/storage/v1/object/authenticated/${BUCKET}/${name}`, {
    headers: { authorization: `Bearer ${me.token}`, 'if-none-match': etag },
  });
  expect([again.status, (await again.arrayBuffer()).byteLength]).toEqual([304, 0]);
});

test('a Blob is uploaded as multipart form data and keeps its type and the cacheControl option', async () => {
  const me = await mintedUser();
  const name = `${me.id}/figure.webp`;
  const up = await files(me.db).upload(name, new Blob([PNG], { type: 'image/webp' }), { cacheControl: '60' });
  expect(up.error).toBeNull();
  const res = await fetch(`${apiUrl()}/storage/v1/object/authenticated/${BUCKET}/${name}`, { headers: { authorization: `Bearer ${me.token}` } });
  expect([res.headers.get('content-type'), res.headers.get('cache-control')]).toEqual(['image/webp', 'max-age=60']);
  expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([...PNG]);
});

test('uploading to a taken name is 409 Duplicate; upsert and update() replace the bytes and keep the id', async () => {
  const me = await mintedUser();
  const name = `${me.id}/replace.png`;
  const first = await files(me.db).upload(name, PNG, { contentType: 'image/png' });
  expect(first.error).toBeNull();

  const dup = await files(me.db).upload(name, ALL_BYTES, { contentType: 'image/png' });
  expect(outcome(dup)).toEqual({ status: 400, statusCode: '409', message: 'The resource already exists' });
  expect(await bytesOf((await files(me.db).download(name)).data)).toEqual([...PNG]);

  const upserted = await files(me.db).upload(name, ALL_BYTES, { contentType: 'image/png', upsert: true });
  expect(upserted.data?.id).toBe(first.data?.id);
  expect(await bytesOf((await files(me.db).download(name)).data)).toEqual([...ALL_BYTES]);

  const updated = await files(me.db).update(name, new Uint8Array([7, 7, 7]), { contentType: 'image/png' });
  expect(updated.data?.id).toBe(first.data?.id);
  expect(await bytesOf((await files(me.db).download(name)).data)).toEqual([7, 7, 7]);
});

test('a signed URL serves the file to a request without any auth until its time is up', async () => {
  const me = await mintedUser();
  const name = `${me.id}/signed.png`;
  await files(me.db).upload(name, PNG, { contentType: 'image/png' });
  const signed = await files(me.db).createSignedUrl(name, 60);
  expect(signed.error).toBeNull();
  const url = signed.data?.signedUrl ?? '';
  expect(url.startsWith(`${apiUrl()}/storage/v1/object/sign/${BUCKET}/${name}?token=`)).toBe(true);

  const res = await plainGet(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('image/png');
  expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([...PNG]);
  // The answer expires with the token (exp = iat + 60).
  const token = new URL(url).searchParams.get('token') ?? '';
  const claims: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
  expect(claims).toEqual({ url: `${BUCKET}/${name}`, scope: 'download', iat: expect.any(Number), exp: expect.any(Number) });
  const { iat, exp } = claims as { iat: number; exp: number };
  expect(exp - iat).toBe(60);
  expect(res.headers.get('expires')).toBe(new Date(exp * 1000).toUTCString());
  // ?download asks the browser to save it.
  expect((await plainGet(`${url}&download=figure.png`)).headers.get('content-disposition')).toBe(
    "attachment; filename=figure.png; filename*=UTF-8''figure.png",
  );
});

test('a signed URL is refused when expired, tampered with, made for another object, or not a download token', async () => {
  const me = await mintedUser();
  const name = `${me.id}/guarded.png`;
  const other = `${me.id}/other.png`;
  await files(me.db).upload(name, PNG, { contentType: 'image/png' });
  await files(me.db).upload(other, PNG, { contentType: 'image/png' });
  const base = `${apiUrl()}/storage/v1/object/sign/${BUCKET}`;
  const answer = async (url: string) => {
    const res = await plainGet(url);
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const now = Math.floor(Date.now() / 1000);

  const expired = await signJwt({ url: `${BUCKET}/${name}`, scope: 'download', iat: now - 120, exp: now - 60 }, DEMO_JWT_SECRET);
  expect(await answer(`${base}/${name}?token=${expired}`)).toEqual({
    status: 400,
    body: { statusCode: '400', code: 'InvalidJWT', error: 'InvalidJWT', message: '"exp" claim timestamp check failed' },
  });

  const good = new URL((await files(me.db).createSignedUrl(name, 60)).data?.signedUrl ?? '').searchParams.get('token') ?? '';
  const [head, payload, sig = ''] = good.split('.');
  const tampered = `${head}.${Buffer.from(JSON.stringify({ url: `${BUCKET}/${other}`, scope: 'download', iat: now, exp: now + 600 })).toString('base64url')}.${sig}`;
  expect(await answer(`${base}/${other}?token=${tampered}`)).toMatchObject({ status: 400, body: { statusCode: '400', code: 'InvalidJWT' } });
  const flipped = `${head}.${payload}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
  expect(await answer(`${base}/${name}?token=${flipped}`)).toMatchObject({ status: 400, body: { code: 'InvalidJWT' } });

  // A genuine token names one object only.
  expect(await answer(`${base}/${other}?token=${good}`)).toEqual({
    status: 400,
    body: { statusCode: '400', code: 'InvalidSignature', error: 'InvalidSignature', message: 'Invalid signature' },
  });
  // A user's access token is signed with the same secret but is not a download token.
  expect(await answer(`${base}/${name}?token=${me.token}`)).toMatchObject({
    status: 400,
    body: { code: 'InvalidSignature', message: 'Token is not scoped for download' },
  });
  expect(await answer(`${base}/${name}`)).toMatchObject({ status: 400, body: { statusCode: '400' } });
});

test('signing needs read access: a missing or unreadable object is 404, and createSignedUrls says which paths failed', async () => {
  const [me, stranger] = await Promise.all([mintedUser(), mintedUser()]);
  const name = `${me.id}/mine.png`;
  await files(me.db).upload(name, PNG, { contentType: 'image/png' });

  expect(outcome(await files(stranger.db).createSignedUrl(name, 60))).toEqual({ status: 400, statusCode: '404', message: 'Object not found' });
  expect(outcome(await files(me.db).createSignedUrl(`${me.id}/missing.png`, 60))).toEqual({ status: 400, statusCode: '404', message: 'Object not found' });
  expect(outcome(await files(me.db).createSignedUrl(name, 0))).toEqual({ status: 400, statusCode: '400', message: expect.stringContaining('expiresIn') });

  const many = await files(me.db).createSignedUrls([name, `${me.id}/missing.png`], 60);
  expect(many.error).toBeNull();
  expect(many.data?.map((d) => [d.path, d.error, d.signedUrl !== null])).toEqual([
    [name, null, true],
    [`${me.id}/missing.png`, 'Either the object does not exist or you do not have access to it', false],
  ]);
  const res = await plainGet(many.data?.[0]?.signedUrl ?? '');
  expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([...PNG]);
});

test('list shows one level under the prefix (files with their rows, folders with nulls), searched, sorted and paged', async () => {
  const me = await mintedUser();
  for (const n of ['b.png', 'a.png', 'c.png', 'sub/deep.png', 'sub/deeper/x.png']) {
    expect((await files(me.db).upload(`${me.id}/${n}`, PNG, { contentType: 'image/png' })).error).toBeNull();
  }
  const top = await files(me.db).list(me.id);
  expect(top.data?.map((e) => [e.name, e.id === null])).toEqual([
    ['a.png', false],
    ['b.png', false],
    ['c.png', false],
    ['sub', true],
  ]);
  expect(top.data?.[0]?.metadata).toMatchObject({ mimetype: 'image/png', size: PNG.length, eTag: expect.stringMatching(/^"[0-9a-f]{32}"$/) });

  expect((await files(me.db).list(`${me.id}/sub`)).data?.map((e) => e.name)).toEqual(['deep.png', 'deeper']);
  expect((await files(me.db).list(me.id, { search: 'B' })).data?.map((e) => e.name)).toEqual(['b.png']);
  expect((await files(me.db).list(me.id, { sortBy: { column: 'name', order: 'desc' }, limit: 2 })).data?.map((e) => e.name)).toEqual(['sub', 'c.png']);
  expect((await files(me.db).list(me.id, { limit: 2, offset: 2 })).data?.map((e) => e.name)).toEqual(['c.png', 'sub']);

  // Another user's policies show them nothing of it.
  const stranger = await mintedUser();
  expect((await files(stranger.db).list(me.id)).data).toEqual([]);
});

test('remove deletes what the caller may delete and returns those rows; the rest stays, silently', async () => {
  const [me, stranger] = await Promise.all([mintedUser(), mintedUser()]);
  const a = `${me.id}/gone.png`;
  const b = `${me.id}/kept.png`;
  await files(me.db).upload(a, PNG, { contentType: 'image/png' });
  await files(me.db).upload(b, PNG, { contentType: 'image/png' });

  expect((await files(stranger.db).remove([a, b])).data).toEqual([]);
  const removed = await files(me.db).remove([a, `${me.id}/never-there.png`]);
  expect(removed.error).toBeNull();
  expect(removed.data).toEqual([expect.objectContaining({ name: a, bucket_id: BUCKET, owner: me.id, owner_id: me.id })]);

  expect(outcome(await files(me.db).download(a))).toEqual({ status: 400, statusCode: '404', message: 'Object not found' });
  expect(await bytesOf((await files(me.db).download(b)).data)).toEqual([...PNG]);
  // The name is free again.
  expect((await files(me.db).upload(a, PNG, { contentType: 'image/png' })).error).toBeNull();
});

test('wrong type is 415, over the bucket limit 413, nothing is stored', async () => {
  const me = await mintedUser();
  expect(outcome(await files(me.db).upload(`${me.id}/anim.gif`, PNG, { contentType: 'image/gif' }))).toEqual({
    status: 400,
    statusCode: '415',
    message: 'mime type image/gif is not supported',
  });
  expect(outcome(await files(me.db).upload(`${me.id}/big.png`, new Uint8Array(2049), { contentType: 'image/png' }))).toEqual({
    status: 400,
    statusCode: '413',
    message: 'The object exceeded the maximum allowed size',
  });
  // text/* admits storage-js's default text/plain;charset=UTF-8; exactly at the limit is fine.
  expect((await files(me.db).upload(`${me.id}/note.txt`, 'hello')).error).toBeNull();
  expect((await files(me.db).upload(`${me.id}/exact.png`, new Uint8Array(2048), { contentType: 'image/png' })).error).toBeNull();
  expect((await files(me.db).list(me.id)).data?.map((e) => e.name)).toEqual(['exact.png', 'note.txt']);
});

test("policies decide: another user's folder and the anon key are refused (403 in the body), reads are 404", async () => {
  const [me, stranger] = await Promise.all([mintedUser(), mintedUser()]);
  const name = `${me.id}/private.png`;
  await files(me.db).upload(name, PNG, { contentType: 'image/png' });
  const rls = { status: 400, statusCode: '403', message: 'new row violates row-level security policy' };
  expect(outcome(await files(stranger.db).upload(`${me.id}/intruder.png`, PNG, { contentType: 'image/png' }))).toEqual(rls);
  expect(outcome(await files(stranger.db).upload(name, PNG, { contentType: 'image/png', upsert: true }))).toMatchObject({ statusCode: '403' });
  expect(outcome(await files(stranger.db).download(name))).toEqual({ status: 400, statusCode: '404', message: 'Object not found' });

  const anon = client(anonKey).storage.from(BUCKET);
  expect(outcome(await anon.upload(`${me.id}/anon.png`, PNG, { contentType: 'image/png' }))).toEqual(rls);
  expect(outcome(await anon.download(name))).toEqual({ status: 400, statusCode: '404', message: 'Object not found' });
  expect(await bytesOf((await files(me.db).download(name)).data)).toEqual([...PNG]);
});

test('requests without a valid token, to an unknown bucket or an unknown route are refused as hosted refuses them', async () => {
  const me = await mintedUser();
  const url = (p: string) => `${apiUrl()}/storage/v1${p}`;
  const noAuth = await fetch(url(`/object/${BUCKET}/${me.id}/x.png`), { method: 'POST', headers: { 'content-type': 'image/png' }, body: PNG });
  expect([noAuth.status, await noAuth.json()]).toEqual([
    400,
    { statusCode: '403', code: 'AccessDenied', error: 'Unauthorized', message: 'Invalid Compact JWS' },
  ]);
  // Without a token the plain object URL serves public buckets only; this one is private.
  const anonGet = await fetch(url(`/object/${BUCKET}/${me.id}/x.png`));
  expect(await anonGet.json()).toMatchObject({ statusCode: '404', error: 'Bucket not found' });
  expect(outcome(await me.db.storage.from('no-such-bucket').upload(`${me.id}/x.png`, PNG, { contentType: 'image/png' }))).toEqual({
    status: 400,
    statusCode: '404',
    message: 'Bucket not found',
  });
  // What is not emulated is a route error, not a silent success (docs/decisions/025-question-images.md).
  expect(outcome(await files(me.db).info(`${me.id}/x.png`))).toMatchObject({ status: 404, statusCode: '404' });
  expect(outcome(await files(me.db).createSignedUploadUrl(`${me.id}/x.png`))).toMatchObject({ status: 404, statusCode: '404' });
  expect(outcome(await files(me.db).move(`${me.id}/x.png`, `${me.id}/y.png`))).toMatchObject({ status: 404, statusCode: '404' });
  const unknown = await fetch(url('/bucket'), { headers: { authorization: `Bearer ${me.token}` } });
  expect([unknown.status, await unknown.json()]).toEqual([
    404,
    { statusCode: '404', code: 'InvalidRequest', error: 'Not Found', message: 'Route GET:/bucket not found' },
  ]);
});

/** A raw request, for paths a WHATWG URL would normalise (`..`) or bodies a client would never declare. */
function raw(method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; body: unknown }> {
  const target = new URL(apiUrl());
  return new Promise((resolve, reject) => {
    const req = http.request({ host: target.hostname, port: target.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null') });
      });
    });
    req.on('error', reject);
    if (body) req.write(body);
    // A declared length without the bytes: the gateway must answer without waiting for them.
    if (!headers['content-length'] || body) req.end();
    else req.flushHeaders();
  });
}

test('bad object names are 400 InvalidKey before anything is stored: `..`, empty segments, characters S3 keys may not hold', async () => {
  const me = await mintedUser();
  const auth = { authorization: `Bearer ${me.token}`, 'content-type': 'image/png' };
  for (const name of [`${me.id}/../${me.id}/x.png`, `${me.id}//x.png`, `${me.id}/./x.png`, `${me.id}/caf%C3%A9.png`, `${me.id}/a%5Cb.png`]) {
    const res = await raw('POST', `/storage/v1/object/${BUCKET}/${name}`, { ...auth, 'content-length': String(PNG.length) }, Buffer.from(PNG));
    expect(res).toMatchObject({ status: 400, body: { statusCode: '400', code: 'InvalidKey' } });
  }
  const tooLong = `${me.id}/${'a'.repeat(1024)}.png`;
  expect(outcome(await files(me.db).upload(tooLong, PNG, { contentType: 'image/png' }))).toMatchObject({ statusCode: '400' });
  expect((await files(me.db).list(me.id)).data).toEqual([]);
});

test("a body over Storage's upload limit is refused at the gateway from its declared length, unread", async () => {
  const me = await mintedUser();
  const res = await raw('POST', `/storage/v1/object/${BUCKET}/${me.id}/huge.png`, {
    authorization: `Bearer ${me.token}`,
    'content-type': 'image/png',
    'content-length': String(60 * 1024 * 1024),
  });
  expect(res).toEqual({
    status: 400,
    body: { statusCode: '413', code: 'EntityTooLarge', error: 'Payload too large', message: 'The object exceeded the maximum allowed size' },
  });
});

test('the file name in JSON bodies is a name, not a path on disk: signing and removing `..` names find nothing', async () => {
  const me = await mintedUser();
  const evil = `${me.id}/../../etc/passwd`;
  expect((await files(me.db).createSignedUrls([evil], 60)).data?.[0]?.error).toBe('Either the object does not exist or you do not have access to it');
  expect((await files(me.db).remove([evil])).data).toEqual([]);
});
