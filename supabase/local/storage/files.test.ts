/**
 * Where Storage's bytes live (storage/handler.ts): its own server with a storage directory this test can
 * look into. One file per object version under `<dir>/<bucket>/`; a refused upload leaves nothing; a
 * replaced version and a removed object leave nothing behind; a download racing a replacement gets one
 * whole version with its exact length.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, expect, test } from 'vitest';
import { DEMO_JWT_SECRET } from '../config.ts';
import { createFreshDatabase, dropDatabase } from '../db.ts';
import { signJwt } from '../jwt.ts';
import { startServer } from '../server.ts';
import { createUntypedTestClient } from '../test-client.ts';

const BUCKET = 'disk';
/** A bucket for megabyte-sized objects (the race below needs reads that take a while). */
const BIG = 'disk-big';
const storageDir = await mkdtemp(path.join(os.tmpdir(), 'rounds-storage-test-'));
const databaseUrl = process.env.DATABASE_URL ? await createFreshDatabase(process.env.DATABASE_URL, 'rounds_storage_files') : undefined;
const server = await startServer({ port: 0, dataDir: 'memory://', databaseUrl, seed: false, logRequests: false, storageDir });
await server.engine.admin(async (tx) => {
  await tx.exec('set local role rounds_migrator');
  await tx.exec(`
    insert into storage.buckets (id, name, file_size_limit) values ('${BUCKET}', '${BUCKET}', 100);
    insert into storage.buckets (id, name, file_size_limit) values ('${BIG}', '${BIG}', 8388608);
    create policy "Disk test: big bucket" on storage.objects for all to authenticated using (bucket_id = '${BIG}') with check (bucket_id = '${BIG}');
    create policy "Disk test: signed-in users read" on storage.objects for select to authenticated using (bucket_id = '${BUCKET}');
    create policy "Disk test: signed-in users add" on storage.objects for insert to authenticated with check (bucket_id = '${BUCKET}');
    create policy "Disk test: signed-in users replace" on storage.objects for update to authenticated using (bucket_id = '${BUCKET}');
    create policy "Disk test: signed-in users remove" on storage.objects for delete to authenticated using (bucket_id = '${BUCKET}');`);
});
afterAll(async () => {
  await server.close();
  await rm(storageDir, { recursive: true, force: true });
  if (databaseUrl) await dropDatabase(databaseUrl);
});

async function signedIn() {
  const now = Math.floor(Date.now() / 1000);
  const token = await signJwt({ sub: randomUUID(), role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 600 }, DEMO_JWT_SECRET);
  return createUntypedTestClient(server.url, { accessToken: token }).storage.from(BUCKET);
}

/** The contents of every file in the bucket's directory. */
async function onDisk(): Promise<string[]> {
  const dir = path.join(storageDir, BUCKET);
  const names = await readdir(dir).catch(() => []);
  return Promise.all(names.map(async (n) => (await readFile(path.join(dir, n))).toString()));
}

test('one file per object; replacing it leaves only the new bytes; removing it leaves none', async () => {
  const files = await signedIn();
  const name = `${randomUUID()}.txt`;
  expect((await files.upload(name, 'first', { contentType: 'text/plain' })).error).toBeNull();
  expect(await onDisk()).toEqual(['first']);
  expect((await files.upload(name, 'second', { contentType: 'text/plain', upsert: true })).error).toBeNull();
  expect(await onDisk()).toEqual(['second']);
  expect((await files.update(name, 'third', { contentType: 'text/plain' })).error).toBeNull();
  expect(await onDisk()).toEqual(['third']);
  expect((await files.remove([name])).data).toHaveLength(1);
  expect(await onDisk()).toEqual([]);
});

test('a refused upload writes no bytes: a duplicate, a body over the limit, a caller the policies refuse', async () => {
  const files = await signedIn();
  const name = `${randomUUID()}.txt`;
  expect((await files.upload(name, 'kept', { contentType: 'text/plain' })).error).toBeNull();
  expect((await files.upload(name, 'duplicate', { contentType: 'text/plain' })).error?.message).toBe('The resource already exists');
  expect((await files.upload(`${randomUUID()}.txt`, 'x'.repeat(101), { contentType: 'text/plain' })).error?.message).toBe(
    'The object exceeded the maximum allowed size',
  );
  const anon = createUntypedTestClient(server.url).storage.from(BUCKET);
  expect((await anon.upload(`${randomUUID()}.txt`, 'anon', { contentType: 'text/plain' })).error?.message).toBe(
    'new row violates row-level security policy',
  );
  expect(await onDisk()).toEqual(['kept']);
  await files.remove([name]);
});

test('rows are deleted only through the Storage API (storage.protect_delete), so no file is orphaned by SQL', async () => {
  const files = await signedIn();
  const name = `${randomUUID()}.txt`;
  await files.upload(name, 'guarded', { contentType: 'text/plain' });
  await expect(server.engine.admin((tx) => tx.query(`delete from storage.objects where bucket_id = $1`, [BUCKET]))).rejects.toMatchObject({
    code: '42501',
    message: 'Direct deletion from storage tables is not allowed. Use the Storage API instead.',
  });
  expect(await onDisk()).toEqual(['guarded']);
  await files.remove([name]);
});

test('downloads racing replacements get one whole version each, its exact length, never a short body or an error', async () => {
  const now = Math.floor(Date.now() / 1000);
  const token = await signJwt({ sub: randomUUID(), role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 600 }, DEMO_JWT_SECRET);
  const files = createUntypedTestClient(server.url, { accessToken: token }).storage.from(BIG);
  const name = `${randomUUID()}.bin`;
  // Two megabytes each, every version a different length and byte, so a torn or mixed body shows.
  const versions = Array.from({ length: 8 }, (_, i) => Buffer.alloc(2_000_000 + i * 7, 65 + i));
  const whole = new Map(versions.map((v) => [v.length, v]));
  expect((await files.upload(name, versions[0]!, { contentType: 'application/octet-stream' })).error).toBeNull();
  const signed = (await files.createSignedUrl(name, 600)).data?.signedUrl ?? '';
  const problems: string[] = [];
  let reads = 0;
  const check = (bytes: Buffer, contentLength: string | null) => {
    reads++;
    if (!whole.get(bytes.length)?.equals(bytes)) problems.push(`a body of ${bytes.length} bytes that is no version`);
    if (contentLength !== null && Number(contentLength) !== bytes.length) problems.push(`content-length ${contentLength}, ${bytes.length} bytes`);
  };
  let replacing = true;
  const replace = (async () => {
    for (const v of versions.slice(1)) expect((await files.upload(name, v, { contentType: 'application/octet-stream', upsert: true })).error).toBeNull();
    replacing = false;
  })();
  const readers = [0, 1, 2, 3].map(async (n) => {
    while (replacing) {
      if (n % 2 === 0) {
        const { data, error } = await files.download(name);
        if (error) problems.push(`download: ${error.message}`);
        else check(Buffer.from(await data.arrayBuffer()), null);
      } else {
        const res = await fetch(signed);
        if (!res.ok) problems.push(`signed URL: ${res.status} ${await res.text()}`);
        else check(Buffer.from(await res.arrayBuffer()), res.headers.get('content-length'));
      }
    }
  });
  await Promise.all([replace, ...readers]);
  expect(problems).toEqual([]);
  expect(reads).toBeGreaterThan(versions.length);
  await files.remove([name]);
});
