/**
 * The orphan sweep for question images (supabase/migrations/20261207090000_question_media_orphans.sql,
 * scripts/sweep-media.ts, docs/decisions/025-question-images.md "Removing objects, and orphans"), through
 * the real supabase-js, the local Storage API and the script itself run as `npm run sweep:media` would run it.
 *
 * The bucket: a published question with a saved image (three widths) and the uploads of an edit abandoned
 * without saving; a draft with a saved image; a deleted question with a saved image; an object outside
 * `q/<id>/` put there by the service role; all made two days old in SQL (storage.objects.created_at), and
 * one upload of a minute ago that no question names yet. Exactly the old unnamed ones are orphans: listed
 * by the function, removed by the sweep (their downloads then 404), while saved images and the young
 * upload still download. Only the service role may call the function.
 *
 * Its own server (and on Postgres its own database), so the bucket holds nothing other test files upload
 * and the backdating is plain SQL.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { z } from 'zod';
import { MEDIA_BUCKET } from '../src/lib/question-media.ts';
import { DEMO_ANON_KEY, DEMO_SERVICE_ROLE_KEY, repoRoot } from '../supabase/local/config.ts';
import { createFreshDatabase, dropDatabase } from '../supabase/local/db.ts';
import { startServer } from '../supabase/local/server.ts';
import { createTestClient, type TestClient } from '../supabase/local/test-client.ts';

const databaseUrl = process.env.DATABASE_URL ? await createFreshDatabase(process.env.DATABASE_URL, 'rounds_sweep_media') : undefined;
const server = await startServer({ port: 0, dataDir: 'memory://', databaseUrl, seed: false, logRequests: false, rateLimitSignInSignUps: 1000 });
afterAll(async () => {
  await server.close();
  if (databaseUrl) await dropDatabase(databaseUrl);
});

const admin = createTestClient(server.url, { key: DEMO_SERVICE_ROLE_KEY });
const WEBP = new Uint8Array([0x52, 0x49, 0x46, 0x46, 4, 0, 0, 0, 0x57, 0x45, 0x42, 0x50]);

async function signUp(role?: 'instructor'): Promise<TestClient> {
  const email = `sweep-${role ?? 'student'}-${randomUUID().slice(0, 8)}@test.local`;
  const { data, error } = await createTestClient(server.url).auth.signUp({ email, password: 'correct-horse-battery' });
  if (error || !data.session || !data.user) throw new Error(`sign-up failed: ${error?.message ?? 'no session'}`);
  if (role) await admin.from('profiles').update({ role }).eq('id', data.user.id).throwOnError();
  return createTestClient(server.url, { accessToken: data.session.access_token });
}

const [author, student] = await Promise.all([signUp('instructor'), signUp()]);

async function newQuestion(published: boolean): Promise<number> {
  const row = {
    stem: `Which lesion does this dermoscopy image show? (${randomUUID().slice(0, 8)})`,
    choices: ['Melanoma', 'Seborrhoeic keratosis', 'Dermatofibroma', 'Basal cell carcinoma', 'Naevus'],
    correct_choice: 'D',
    explanation: 'Arborising vessels and blue-grey ovoid nests (D).',
    organ_system: 'skin',
    discipline: 'pathology',
  };
  const { data } = await author.rpc('import_questions', { p_rows: [row], p_publish: published }).throwOnError();
  return z.array(z.number()).parse(data)[0] ?? 0;
}

/** Uploads `widths` variants of one new image of question `id` as the author; their paths. */
async function upload(id: number, widths: number[]): Promise<string[]> {
  const uuid = randomUUID();
  const paths = widths.map((w) => `q/${id}/${uuid}-${w}.webp`);
  for (const p of paths) expect((await author.storage.from(MEDIA_BUCKET).upload(p, WEBP, { contentType: 'image/webp' })).error).toBeNull();
  return paths;
}

/** Uploads an image and saves it into question `id` (version `version`), as the editor does. */
async function saveImage(id: number, version: number, widths: number[]): Promise<string[]> {
  const paths = await upload(id, widths);
  const variants = paths.map((p, i) => ({ w: widths[i], path: p, bytes: WEBP.length, type: 'image/webp' }));
  const media = [{ id: randomUUID(), placement: 'stem', position: 0, alt: 'Dermoscopy of a pearly papule', width: 1600, height: 1200, variants }];
  await author.rpc('update_question', { p_id: id, p_expected_version: version, p_changes: { media } }).throwOnError();
  return paths;
}

async function backdate(names: string[]): Promise<void> {
  await server.engine.admin((tx) =>
    tx.query(`update storage.objects set created_at = now() - interval '2 days' where bucket_id = 'question-media' and name = any($1::text[])`, [names]),
  );
}

const [published, draft, deleted] = await Promise.all([newQuestion(true), newQuestion(false), newQuestion(true)]);
const saved = await saveImage(published, 1, [480, 960, 1600]);
const abandoned = await upload(published, [480, 960]);
const savedInDraft = await saveImage(draft, 1, [480]);
const ofDeleted = await saveImage(deleted, 1, [480, 960]);
await admin.from('questions').delete().eq('id', deleted).throwOnError();
const stray = `stray/${randomUUID()}.webp`;
expect((await admin.storage.from(MEDIA_BUCKET).upload(stray, WEBP, { contentType: 'image/webp' })).error).toBeNull();
await backdate([...saved, ...abandoned, ...savedInDraft, ...ofDeleted, stray]);
// Uploaded a minute ago by an editor who has not saved yet: no question names it, but it is too young.
const fresh = await upload(published, [480]);

const orphans = [...abandoned, ...ofDeleted, stray].sort();
const kept = [...saved, ...savedInDraft, ...fresh];

async function orphanNames(args: { p_min_age?: string; p_limit?: number; p_after?: string } = {}): Promise<string[]> {
  const { data } = await admin.rpc('question_media_orphans', args).throwOnError();
  return [...(data ?? [])].sort();
}

/** `download(name)` as the service role: 'ok' or storage-js's statusCode. */
async function downloaded(name: string): Promise<string> {
  const { error } = await admin.storage.from(MEDIA_BUCKET).download(name);
  return error ? String((error as { statusCode?: unknown }).statusCode) : 'ok';
}

interface Run {
  code: number;
  lines: string[];
  stderr: string;
  summary: unknown;
}

/** Runs scripts/sweep-media.ts as `npm run sweep:media -- …args` does (tsx), against this server. */
function sweep(args: string[], key = DEMO_SERVICE_ROLE_KEY): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'scripts/sweep-media.ts'), ...args],
      { cwd: repoRoot, env: { ...process.env, SUPABASE_URL: server.url, SUPABASE_SERVICE_ROLE_KEY: key }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const lines = stdout.trim().split('\n');
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        const last = lines.at(-1) ?? '';
        resolve({ code, lines, stderr, summary: last.startsWith('{') ? (JSON.parse(last) as unknown) : null });
      },
    );
  });
}

test('anon and signed-in users may not call question_media_orphans; the service role may', async () => {
  const anon = await createTestClient(server.url, { key: DEMO_ANON_KEY }).rpc('question_media_orphans', {});
  const asStudent = await student.rpc('question_media_orphans', {});
  const asAuthor = await author.rpc('question_media_orphans', {});
  expect([anon.error?.code, asStudent.error?.code, asAuthor.error?.code]).toEqual(['42501', '42501', '42501']);
  expect([anon.status, asStudent.status, asAuthor.status]).toEqual([401, 403, 403]);
  expect((await admin.rpc('question_media_orphans', {})).error).toBeNull();
});

test('the orphans are exactly the old objects no question names: abandoned uploads, a deleted question, a stray name', async () => {
  expect(await orphanNames()).toEqual(orphans);
  // A younger minimum age takes the fresh upload too; pages of two in name order cover the same names.
  expect(await orphanNames({ p_min_age: '0 seconds' })).toEqual([...orphans, ...fresh].sort());
  const pages: string[] = [];
  for (let after: string | undefined; ; ) {
    const { data } = await admin.rpc('question_media_orphans', { p_limit: 2, ...(after ? { p_after: after } : {}) }).throwOnError();
    pages.push(...(data ?? []));
    if ((data ?? []).length < 2) break;
    after = data?.at(-1);
  }
  expect(pages.sort()).toEqual(orphans);
});

test('bad arguments are a 400 and list nothing', async () => {
  for (const args of [{ p_limit: 0 }, { p_limit: 1001 }, { p_min_age: '-1 hours' }, { p_min_age: 'soon' }]) {
    const r = await admin.rpc('question_media_orphans', args);
    expect([r.status, r.data]).toEqual([400, null]);
  }
});

test('the sweep: a dry run lists and keeps; the run removes exactly the orphans through Storage; saved and fresh images stay', async () => {
  expect(await sweep(['--min-age-hours=-1'])).toMatchObject({ code: 2, summary: null, stderr: expect.stringMatching(/--min-age-hours must be/) });
  // Not the service role: the function is refused, nothing is removed.
  const refused = await sweep([], DEMO_ANON_KEY);
  expect([refused.code, refused.summary, refused.stderr]).toEqual([1, { scanned: 0, removed: 0, failed: 0 }, expect.stringMatching(/permission denied/)]);

  const dry = await sweep(['--dry-run', '--page-size', '2']);
  expect([dry.code, dry.summary]).toEqual([0, { scanned: orphans.length, removed: 0, failed: 0 }]);
  expect(dry.lines.slice(0, -1).sort()).toEqual(orphans.map((n) => `orphan ${n}`));
  expect(await Promise.all(orphans.map(downloaded))).toEqual(orphans.map(() => 'ok'));

  const run = await sweep(['--page-size', '2']);
  expect([run.code, run.summary, run.stderr]).toEqual([0, { scanned: orphans.length, removed: orphans.length, failed: 0 }, expect.not.stringMatching(/failed/)]);
  expect(run.lines.slice(0, -1).sort()).toEqual(orphans.map((n) => `removed ${n}`));
  expect(await Promise.all(orphans.map(downloaded))).toEqual(orphans.map(() => '404'));
  expect(await Promise.all(kept.map(downloaded))).toEqual(kept.map(() => 'ok'));
  // The saved image is still what a student sees of the published question.
  expect((await student.storage.from(MEDIA_BUCKET).download(saved[0] ?? '')).error).toBeNull();
  expect(await orphanNames()).toEqual([]);

  const again = await sweep([]);
  expect([again.code, again.summary]).toEqual([0, { scanned: 0, removed: 0, failed: 0 }]);
});
