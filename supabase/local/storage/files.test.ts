/**
 * Where Storage's bytes live (storage/handler.ts): its own server with a storage directory this test can
 * look into. One file per object version under `<dir>/<bucket>/`; a refused upload leaves nothing; a
 * replaced version and a removed object leave nothing behind.
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
const storageDir = await mkdtemp(path.join(os.tmpdir(), 'rounds-storage-test-'));
const databaseUrl = process.env.DATABASE_URL ? await createFreshDatabase(process.env.DATABASE_URL, 'rounds_storage_files') : undefined;
const server = await startServer({ port: 0, dataDir: 'memory://', databaseUrl, seed: false, logRequests: false, storageDir });
await server.engine.admin(async (tx) => {
  await tx.exec('set local role rounds_migrator');
  await tx.exec(`
    insert into storage.buckets (id, name, file_size_limit) values ('${BUCKET}', '${BUCKET}', 100);
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
