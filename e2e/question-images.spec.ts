/**
 * Images in questions, end to end (docs/decisions/025-question-images.md): an instructor adds an image
 * with alt text to a question in the editor (encoded in the browser, uploaded to the local Storage) and
 * publishes; a student makes the bank available offline with its images, goes offline, opens a block
 * with that question and sees the image, served by the service worker from its cache, with its alt text
 * and its size reserved (width/height attributes: no layout shift). And without downloading the images:
 * an image seen online still shows offline (the service worker's capped cache of images seen online),
 * and that cache keeps at most SEEN_MEDIA_MAX_ENTRIES images, the least recently used going first.
 */
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { MEDIA_BUCKET, type MediaItem } from '../src/lib/question-media.ts';
import { MEDIA_CACHE, SEEN_MEDIA_CACHE, SEEN_MEDIA_MAX_ENTRIES } from '../src/lib/question-media-cache.ts';
import { createInstructor } from './api.ts';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { expectNoSeriousA11yViolations, queueBlock, signInNewStudent, signInThroughUi, waitForE2EHooks } from './ui.ts';

const ALT = 'Chest radiograph with a right upper lobe consolidation';
const SEEN_ALT = 'Rhythm strip: irregularly irregular, no P waves';

test('an instructor adds an image with alt text; a student sees it offline in a block', async ({ page, context, browser, baseURL, consoleErrors }) => {
  test.setTimeout(180_000);
  // Offline, Chromium logs the refused requests (signing URLs, the outbox).
  consoleErrors.expect(/ERR_INTERNET_DISCONNECTED|Failed to fetch|Failed to load resource/);

  // A draft question of a new instructor (created through the API: the editor part is the images).
  const instructor = await createInstructor('Dr Images');
  const stem = `A 58-year-old smoker has fever and a productive cough; what does the film show? (${randomUUID().slice(0, 8)})`;
  const { data } = await instructor.db
    .rpc('import_questions', {
      p_rows: [
        {
          stem,
          choices: ['Lobar pneumonia', 'Pleural effusion', 'Pneumothorax', 'Atelectasis', 'Normal film'],
          correct_choice: 'A',
          explanation: 'Air bronchograms within a lobar opacity (A).',
          organ_system: 'respiratory',
          discipline: 'pathology',
        },
      ],
    })
    .throwOnError();
  const questionId = z.array(z.number()).parse(data)[0] ?? 0;

  // The instructor, in a browser of their own, adds the image in the editor and publishes.
  const instructorContext = await browser.newContext({ baseURL });
  const editor = await instructorContext.newPage();
  await signInThroughUi(editor, instructor.email, instructor.password);
  await editor.goto(`/instructor/questions/${questionId}`);
  await expect(editor.getByRole('heading', { name: `Edit question ${questionId}` })).toBeVisible();
  const png = await readFile('public/icons/icon-512.png');
  await editor.getByLabel('Add an image to the stem (drop a file here or choose one)').setInputFiles({ name: 'film.png', mimeType: 'image/png', buffer: png });
  const image = editor.getByRole('group', { name: 'Image 1 of the stem' });
  await expect(image.getByLabel('Alt text (required)')).toBeVisible({ timeout: 30_000 });
  // Without alt text the form does not save.
  await editor.getByLabel('Published (students can get it in blocks)').check();
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(image.getByText(/Alt text is required/)).toBeVisible();
  await image.getByLabel('Alt text (required)').fill(ALT);
  await image.getByLabel('Credit / licence').fill('CC BY 4.0, Rounds e2e');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor.getByText(/Saved — version \d+, published\./)).toBeVisible();
  await expect(image.locator('img')).toHaveJSProperty('complete', true);
  await expectNoSeriousA11yViolations(editor);
  await instructorContext.close();

  // The student downloads the bank with its images, at this screen's width.
  await page.goto('/');
  await signInNewStudent(page, 'images');
  await expect(page.getByLabel(/Include \d+ images? \(/)).toBeChecked();
  await page.getByRole('button', { name: 'Make available offline' }).click();
  await expect(page.getByText(/\d+ questions are available offline with \d+ images? \(/)).toBeVisible({ timeout: 60_000 });
  // Stored once: in the download's cache, not again among the images seen online.
  expect((await cachedPaths(page, MEDIA_CACHE)).filter((p) => p.startsWith(`q/${questionId}/`))).toHaveLength(1);
  expect((await cachedPaths(page, SEEN_MEDIA_CACHE)).filter((p) => p.startsWith(`q/${questionId}/`))).toEqual([]);

  // Offline, reopened from scratch, a block with the question shows the image from the device.
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await waitForE2EHooks(page);
  const { attemptId } = await queueBlock(page, { questionIds: [questionId], choices: [] });
  await page.goto(`/blocks/${attemptId}`);
  await expect(page.getByText(stem)).toBeVisible();
  const img = page.getByRole('img', { name: ALT });
  await expect(img).toBeVisible();
  await expect(img).toHaveAttribute('width', '512');
  await expect(img).toHaveAttribute('height', '512');
  await expect.poll(() => img.evaluate((el) => (el instanceof HTMLImageElement ? el.naturalWidth : 0))).toBeGreaterThan(0);
  await expect(page.getByText('CC BY 4.0, Rounds e2e')).toBeVisible();
});

/** The object paths (after the bucket) a Cache Storage cache of the page's origin holds. */
async function cachedPaths(page: Page, cacheName: string): Promise<string[]> {
  return page.evaluate(async (name) => {
    const keys = await (await caches.open(name)).keys();
    return keys.map((k) => decodeURIComponent(new URL(k.url).pathname.replace(/^.*\/object\/sign\/question-media\//, '')));
  }, cacheName);
}

test('an image seen online shows offline without a download; images seen online are capped, least recently used out', async ({ page, context, consoleErrors }) => {
  test.setTimeout(240_000);
  consoleErrors.expect(/ERR_INTERNET_DISCONNECTED|Failed to fetch|Failed to load resource/);

  // A published question with one image, made through the API (the editor is the test above).
  const instructor = await createInstructor('Dr Seen');
  const stem = `Which rhythm does this strip show? (${randomUUID().slice(0, 8)})`;
  const { data } = await instructor.db
    .rpc('import_questions', {
      p_rows: [
        {
          stem,
          choices: ['Atrial fibrillation', 'Atrial flutter', 'Sinus rhythm', 'Ventricular tachycardia', 'Heart block'],
          correct_choice: 'A',
          explanation: 'Irregularly irregular, no P waves (A).',
          organ_system: 'cardiovascular',
          discipline: 'physiology',
        },
      ],
      p_publish: true,
    })
    .throwOnError();
  const questionId = z.array(z.number()).parse(data)[0] ?? 0;
  const png = await readFile('public/icons/icon-512.png');
  const storage = instructor.db.storage.from(MEDIA_BUCKET);
  const imagePath = `q/${questionId}/${randomUUID()}-512.png`;
  expect((await storage.upload(imagePath, png, { contentType: 'image/png' })).error).toBeNull();
  const media: MediaItem[] = [
    { id: randomUUID(), placement: 'stem', position: 0, alt: SEEN_ALT, width: 512, height: 512, variants: [{ w: 512, path: imagePath, bytes: png.length, type: 'image/png' }] },
  ];
  await instructor.db.rpc('update_question', { p_id: questionId, p_expected_version: 1, p_changes: { media } }).throwOnError();

  // A student takes the bank offline WITHOUT images, then opens a block with the question online.
  await page.goto('/');
  await signInNewStudent(page, 'seen-images');
  await page.getByLabel(/Include \d+ images? \(/).uncheck();
  await page.getByRole('button', { name: 'Make available offline' }).click();
  await expect(page.getByText(/^\d+ questions are available offline\.$/)).toBeVisible({ timeout: 60_000 });
  const { attemptId } = await queueBlock(page, { questionIds: [questionId], choices: [] });
  await page.goto(`/blocks/${attemptId}`);
  const img = page.getByRole('img', { name: SEEN_ALT });
  await expect.poll(() => img.evaluate((el) => (el instanceof HTMLImageElement ? el.naturalWidth : 0))).toBeGreaterThan(0);
  // Kept by the service worker among the images seen online, not among the downloaded ones.
  await expect.poll(() => cachedPaths(page, SEEN_MEDIA_CACHE)).toContain(imagePath);
  expect(await cachedPaths(page, MEDIA_CACHE)).not.toContain(imagePath);

  // Offline, reopened from scratch, the block shows the image from the seen cache.
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByText(stem)).toBeVisible();
  await expect(img).toBeVisible();
  await expect.poll(() => img.evaluate((el) => (el instanceof HTMLImageElement ? el.naturalWidth : 0))).toBeGreaterThan(0);
  await context.setOffline(false);

  // The cap: SEEN_MEDIA_MAX_ENTRIES + 5 more images seen online (small objects under the same published
  // question, signed as anyone holding a URL gets them), the block's image used again half-way.
  const extra = Array.from({ length: SEEN_MEDIA_MAX_ENTRIES + 5 }, (_, i) => `q/${questionId}/cap-${String(i).padStart(3, '0')}.png`);
  const tiny = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==', 'base64');
  for (const path of extra) expect((await storage.upload(path, tiny, { contentType: 'image/png' })).error).toBeNull();
  const signed = (await storage.createSignedUrls([imagePath, ...extra], 600)).data ?? [];
  const urlOf = new Map(signed.map((s) => [s.path ?? '', s.signedUrl]));
  const half = Math.floor(extra.length / 2);
  const order = [...extra.slice(0, half), imagePath, ...extra.slice(half)].map((p) => urlOf.get(p) ?? '');
  await page.evaluate(async (urls) => {
    for (const url of urls) {
      // Shown as the player shows them (an <img>): only those are kept as seen.
      await new Promise((resolve, reject) => {
        const image = new Image();
        image.onload = resolve;
        image.onerror = () => reject(new Error(`${url} did not load`));
        image.src = url;
      });
      // Each answer's timestamp is written after it is returned: a little room keeps their order.
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }, order);
  await expect.poll(async () => (await cachedPaths(page, SEEN_MEDIA_CACHE)).length, { timeout: 30_000 }).toBe(SEEN_MEDIA_MAX_ENTRIES);
  const kept = await cachedPaths(page, SEEN_MEDIA_CACHE);
  // 1 + 205 seen, 200 kept: the 6 least recently used went — the first five of them certainly — while
  // the block's image, used again after them, and the last one seen stay.
  expect(kept).toContain(imagePath);
  expect(kept).toContain(extra.at(-1));
  expect(kept.filter((p) => extra.slice(0, 5).includes(p))).toEqual([]);
  // The offline download's cache got none of them.
  expect((await cachedPaths(page, MEDIA_CACHE)).filter((p) => p.startsWith(`q/${questionId}/`))).toEqual([]);
});
