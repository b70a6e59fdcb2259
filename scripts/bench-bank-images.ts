/**
 * `npm run bench:bank-images [-- --questions 200 --runs 3]`: what "Make available offline" costs a phone
 * for a bank of image questions (docs/decisions/025-question-images.md, "Offline"), against downloading
 * the originals, in one run.
 *
 * Setup: its own API (PGlite in memory, Storage in a temporary directory) on a free port; an instructor
 * imports `questions` published questions and gives each one image through Storage and update_question
 * (three widths, 480 / 960 / 1600 px, as the editor stores them). The images are synthetic 4:3 greyscale
 * PNGs written by tests/png.ts with node:zlib — Node has no WebP or JPEG encoder without a native
 * dependency, so the files are PNG (the bucket takes PNG) rather than the browser's WebP: a 1600 px
 * "film" is ~0.7 MB, close to a scanned original; 10 distinct images are reused under distinct paths.
 *
 * Measured, `runs` times each, alternating (phone, originals, phone, …), as a new student, the way
 * src/features/quiz/api/download-images.ts downloads: read the published questions' media, choose one
 * variant per image (`offlineImagePlan`), sign URLs 100 at a time, fetch 4 at a time, read every body.
 *   phone     — the device target of a 390 CSS px phone at DPR 3 (`deviceTargetPx`: capped at 2 → 780 px
 *               → the 960 px width);
 *   originals — the widest width of each image (1600 px: the largest file the app keeps; the author's
 *               source file itself is not stored).
 * Prints each sample; the last line is the JSON summary (bytes, ms p50, ratios, and — computed, not
 * measured — the seconds those bytes take over a 20 Mbit/s link: on loopback the time is bound by the
 * requests, not the bytes).
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEMO_SERVICE_ROLE_KEY } from '../supabase/local/config.ts';
import { startServer } from '../supabase/local/server.ts';
import { createTestClient, type TestClient } from '../supabase/local/test-client.ts';
import { deviceTargetPx, MEDIA_BUCKET, offlineImagePlan, questionMediaSchema, type MediaItem } from '../src/lib/question-media.ts';
import { syntheticPng } from '../tests/png.ts';
import { nearestRank } from './sampling.ts';

const { values } = parseArgs({ options: { questions: { type: 'string', default: '200' }, runs: { type: 'string', default: '3' } } });
const questions = Number(values.questions);

const runs = Number(values.runs);
if (!Number.isInteger(questions) || questions < 1 || questions > 500) throw new Error(`--questions must be 1 to 500, got ${values.questions}`);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);

const WIDTHS = [480, 960, 1600] as const;
const DISTINCT = 10;
const PHONE = { cssPx: 390, dpr: 3 };

const server = await startServer({ port: 0, dataDir: 'memory://', seed: false, logRequests: false, rateLimitSignInSignUps: 1000 });
try {
  const admin = createTestClient(server.url, { key: DEMO_SERVICE_ROLE_KEY });
  async function signUp(tag: string, role?: 'instructor'): Promise<TestClient> {
    const email = `${tag}-${crypto.randomUUID().slice(0, 8)}@bench.local`;
    const { data, error } = await createTestClient(server.url).auth.signUp({ email, password: 'correct-horse-battery' });
    if (error || !data.session || !data.user) throw new Error(`sign-up failed: ${error?.message ?? 'no session'}`);
    if (role) await admin.from('profiles').update({ role }).eq('id', data.user.id).throwOnError();
    // A fresh token after the promotion (the role is read per request, but keep the claims honest).
    const { data: signedIn } = await createTestClient(server.url).auth.signInWithPassword({ email, password: 'correct-horse-battery' });
    return createTestClient(server.url, { accessToken: signedIn.session?.access_token ?? data.session.access_token });
  }

  // The bank: `questions` published questions with one image each, three widths.
  const setupStart = performance.now();
  const images = Array.from({ length: DISTINCT }, (_, i) => WIDTHS.map((w) => syntheticPng(w, (w * 3) / 4, i + 1, 2)));
  const instructor = await signUp('bench-instructor', 'instructor');
  const rows = Array.from({ length: questions }, (_, i) => ({
    stem: `Bench image question ${i + 1}: which finding does the film show?`,
    choices: ['Consolidation', 'Effusion', 'Pneumothorax', 'Collapse', 'Normal'],
    correct_choice: 'A',
    explanation: 'Synthetic question for the image download benchmark.',
    organ_system: 'respiratory',
    discipline: 'pathology',
  }));
  const { data: ids } = await instructor.rpc('import_questions', { p_rows: rows, p_publish: true }).throwOnError();
  let storedBytes = 0;
  for (const [i, id] of z.array(z.number()).parse(ids).entries()) {
    const uuid = crypto.randomUUID();
    const variants: MediaItem['variants'] = [];
    for (const [j, w] of WIDTHS.entries()) {
      const png = images[i % DISTINCT]?.[j] ?? Buffer.alloc(0);
      const path = `q/${id}/${uuid}-${w}.png`;
      const { error } = await instructor.storage.from(MEDIA_BUCKET).upload(path, png, { contentType: 'image/png', cacheControl: '31536000' });
      if (error) throw error;
      variants.push({ w, path, bytes: png.length, type: 'image/png' });
      storedBytes += png.length;
    }
    const media: MediaItem[] = [{ id: uuid, placement: 'stem', position: 0, alt: `Synthetic film ${i + 1}`, width: 1600, height: 1200, variants }];
    await instructor.rpc('update_question', { p_id: id, p_expected_version: 1, p_changes: { media } }).throwOnError();
  }
  console.log(`setup: ${questions} questions, ${questions * WIDTHS.length} objects, ${(storedBytes / 1e6).toFixed(1)} MB stored, ${Math.round(performance.now() - setupStart)} ms`);

  const student = await signUp('bench-student');
  const imageRows = z.array(z.object({ id: z.number(), media: questionMediaSchema }));

  /** One offline download of the bank's images for `targetPx`, as download-images.ts does it. */
  async function download(targetPx: number): Promise<{ ms: number; bytes: number; images: number }> {
    const start = performance.now();
    const { data } = await student.from('questions').select('id, media').eq('published', true).neq('media', '[]').order('id').throwOnError();
    const parsed = imageRows.parse(data);
    const plan = offlineImagePlan(parsed, targetPx);
    const bytesOf = new Map(parsed.flatMap((q) => q.media.flatMap((m) => m.variants.map((v) => [v.path, v.bytes] as const))));
    let bytes = 0;
    for (let i = 0; i < plan.paths.length; i += 100) {
      const { data: signed, error } = await student.storage.from(MEDIA_BUCKET).createSignedUrls(plan.paths.slice(i, i + 100), 600);
      if (error) throw error;
      const urls = signed.flatMap((s) => (s.signedUrl && s.path ? [{ url: s.signedUrl, path: s.path }] : []));
      if (urls.length !== signed.length) throw new Error(`${signed.length - urls.length} paths not signed`);
      for (let j = 0; j < urls.length; j += 4) {
        await Promise.all(
          urls.slice(j, j + 4).map(async ({ url: signedUrl, path }) => {
            const response = await fetch(signedUrl);
            if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
            const got = (await response.arrayBuffer()).byteLength;
            // Two early runs (of the bench, before this check) came up short by one or two images' bytes
            // and could not be reproduced since: a body that is not the recorded size fails the run.
            if (got !== bytesOf.get(path)) throw new Error(`GET ${path}: ${got} bytes, the record says ${bytesOf.get(path)} (content-length ${response.headers.get('content-length')})`);
            bytes += got;
          }),
        );
      }
    }
    if (bytes !== plan.bytes) throw new Error(`downloaded ${bytes} bytes, the records say ${plan.bytes}`);
    return { ms: performance.now() - start, bytes, images: plan.paths.length };
  }

  const modes = { phone: deviceTargetPx(PHONE.cssPx, PHONE.dpr), originals: Math.max(...WIDTHS) };
  const samples: Record<keyof typeof modes, { ms: number; bytes: number; images: number }[]> = { phone: [], originals: [] };
  await download(modes.phone); // warm-up: first requests, JIT, the server's caches
  for (let r = 0; r < runs; r++) {
    for (const mode of ['phone', 'originals'] as const) {
      const s = await download(modes[mode]);
      samples[mode].push(s);
      console.log(`run ${r + 1} ${mode.padEnd(9)} target ${modes[mode]} px: ${s.images} images, ${(s.bytes / 1e6).toFixed(2)} MB in ${Math.round(s.ms)} ms`);
    }
  }
  const summary = (mode: keyof typeof modes) => {
    const ms = samples[mode].map((s) => s.ms).sort((a, b) => a - b);
    return { targetPx: modes[mode], images: samples[mode][0]?.images ?? 0, bytes: samples[mode][0]?.bytes ?? 0, msP50: Math.round(nearestRank(ms, 50) ?? NaN), msMax: Math.round(ms.at(-1) ?? NaN) };
  };
  const phone = summary('phone');
  const originals = summary('originals');
  console.log(
    JSON.stringify({
      bench: 'bank-images',
      questions,
      runs,
      format: 'png (synthetic, node:zlib)',
      phone: { ...phone, cssPx: PHONE.cssPx, dpr: PHONE.dpr },
      originals,
      bytesRatio: Math.round((phone.bytes / originals.bytes) * 1000) / 1000,
      timeRatio: Math.round((phone.msP50 / originals.msP50) * 1000) / 1000,
      // Not measured: the bytes alone over a 20 Mbit/s mobile link, where bytes (not requests) dominate.
      computedSecondsAt20Mbps: { phone: Math.round((phone.bytes * 8) / 20e6), originals: Math.round((originals.bytes * 8) / 20e6) },
    }),
  );
} finally {
  await server.close();
}
