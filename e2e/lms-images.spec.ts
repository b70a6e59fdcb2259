/**
 * LMS banks with their images, end to end (issue #20; docs/decisions/026-lms-bank-formats.md, "Images"):
 * an instructor imports a QTI 2.1 package with two image questions (tests/fixtures/lms/qti21-images.zip)
 * and publishes them — the images encoded in the browser and attached after the questions are created;
 * a student makes the bank available offline with its images, goes offline, opens a block with both
 * questions and sees both images served from the device, then in the block's review (still offline); the instructor exports Moodle XML, and a second
 * instructor imports it and gets the same questions with the same media (same images per place, alt
 * text, widest-width dimensions: what "same media" means after a re-encoding import).
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from '@playwright/test';
import { z } from 'zod';
import { createInstructor } from './api.ts';
import { expect, test } from './fixtures.ts';
import { expectNoSeriousA11yViolations, queueBlock, signInNewStudent, signInThroughUi, waitForE2EHooks } from './ui.ts';

const PACKAGE = new URL('../tests/fixtures/lms/qti21-images.zip', import.meta.url);
const FILM_ALT = 'Chest film with a right upper lobe opacity and air bronchograms';
const SMEAR_ALT = 'Image 1 of question 2 (from blood-smear.png)';

const mediaRows = z.array(
  z.object({
    id: z.number(),
    stem: z.string(),
    published: z.boolean(),
    media: z.array(
      z.object({
        placement: z.string(),
        alt: z.string(),
        width: z.number(),
        height: z.number(),
        variants: z.array(z.object({ w: z.number(), path: z.string() })),
      }),
    ),
  }),
);

/** The questions an instructor owns, as "same media" compares them (decision 026). */
async function ownQuestions(instructor: Awaited<ReturnType<typeof createInstructor>>) {
  const { data } = await instructor.db.from('questions').select('id, stem, published, media').eq('created_by', instructor.id).order('id').throwOnError();
  return mediaRows.parse(data);
}
const sameMedia = (rows: z.infer<typeof mediaRows>) =>
  rows.map((r) => ({
    stem: r.stem,
    media: r.media.map((m) => ({ placement: m.placement, alt: m.alt, width: m.width, height: m.height, widest: m.variants.at(-1)?.w })),
  }));

/** Imports `file` on the import page; resolves once the images are attached. */
async function importBank(page: Page, file: { name: string; mimeType: string; buffer: Buffer }, expected: { heading: string; attached: string; publish: boolean }) {
  await page.goto('/instructor/import');
  await page.getByLabel('File', { exact: true }).setInputFiles(file);
  await page.getByRole('button', { name: 'Check the file' }).click();
  const preview = page.getByRole('region', { name: /^Preview:/ });
  await expect(preview.getByRole('heading', { level: 2 })).toHaveText(expected.heading);
  if (expected.publish) await page.getByLabel('Publish at once (otherwise they are imported as drafts)').check();
  await preview.getByRole('button', { name: /^Import \d+ questions?$/ }).click();
  await expect(page.getByRole('status').filter({ hasText: expected.attached })).toBeVisible({ timeout: 60_000 });
}

async function signedInPage(browser: Browser, baseURL: string | undefined, who: { email: string; password: string }) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signInThroughUi(page, who.email, who.password);
  return page;
}

test('a QTI package with two image questions: imported with its images, taken offline, exported and re-imported', async ({ page, context, browser, baseURL, consoleErrors }) => {
  test.setTimeout(240_000);
  // Offline, Chromium logs the refused requests (signing URLs, the outbox).
  consoleErrors.expect(/ERR_INTERNET_DISCONNECTED|Failed to fetch|Failed to load resource/);

  // 1. The instructor imports the package and publishes: the preview says what the images get.
  const first = await createInstructor('Dr Package');
  const instructorPage = await signedInPage(browser, baseURL, first);
  await instructorPage.goto('/instructor/import');
  await instructorPage.getByLabel('File', { exact: true }).setInputFiles({ name: 'qti21-images.zip', mimeType: 'application/zip', buffer: await readFile(PACKAGE) });
  await instructorPage.getByRole('button', { name: 'Check the file' }).click();
  const preview = instructorPage.getByRole('region', { name: /^Preview:/ });
  await expect(preview.getByRole('heading', { level: 2 })).toHaveText('Preview: 2 questions to import, 0 skipped');
  await expect(preview).toContainText('2 images will be attached after the questions are created. 1 image has no alt text in the file');
  await expect(preview).toContainText(`blood-smear.png has no alt text in the file; it gets “${SMEAR_ALT}”.`);
  await expectNoSeriousA11yViolations(instructorPage);
  await instructorPage.getByLabel('Publish at once (otherwise they are imported as drafts)').check();
  await preview.getByRole('button', { name: 'Import 2 questions' }).click();
  // Published with images: drafts until their images are attached, so no student meets one without them.
  await expect(instructorPage.getByRole('status').filter({ hasText: 'Imported 2 questions as drafts, published as their images are attached.' })).toBeVisible();
  await expect(instructorPage.getByRole('status').filter({ hasText: 'Attached 2 images. Published 2 questions.' })).toBeVisible({ timeout: 60_000 });
  await expect(instructorPage.getByRole('alert').filter({ hasText: 'kept as drafts' })).toHaveCount(0);
  await expect(instructorPage.getByRole('region', { name: '1 image needs alt text' })).toContainText('Question 2 (items/smear.xml), blood-smear.png: edit question');
  await expect(instructorPage.getByRole('alert').filter({ hasText: 'not attached' })).toHaveCount(0);
  await expectNoSeriousA11yViolations(instructorPage);

  const imported = await ownQuestions(first);
  expect(imported.map((q) => [q.published, q.media.map((m) => [m.placement, m.alt, m.width, m.height, m.variants.map((v) => v.w)])])).toEqual([
    [true, [['stem', FILM_ALT, 640, 480, [480, 640]]]],
    [true, [['stem', SMEAR_ALT, 640, 480, [480, 640]]]],
  ]);

  // 2. A student downloads the bank with its images, goes offline and takes a block with both questions.
  await page.goto('/');
  await signInNewStudent(page, 'lms-images');
  await expect(page.getByLabel(/Include \d+ images? \(/)).toBeChecked();
  await page.getByRole('button', { name: 'Make available offline' }).click();
  await expect(page.getByText(/\d+ questions are available offline with \d+ images? \(/)).toBeVisible({ timeout: 90_000 });
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await waitForE2EHooks(page);
  const { attemptId } = await queueBlock(page, { questionIds: imported.map((q) => q.id), choices: [] });
  await page.goto(`/blocks/${attemptId}`);
  for (const [i, alt] of [FILM_ALT, SMEAR_ALT].entries()) {
    if (i > 0) await page.getByRole('button', { name: `Question ${i + 1}, not answered` }).click();
    await expect(page.getByText(imported[i]?.stem.split('\n')[0] ?? '')).toBeVisible();
    const img = page.getByRole('img', { name: alt });
    await expect(img).toBeVisible();
    await expect(img).toHaveAttribute('width', '640');
    await expect.poll(() => img.evaluate((el) => (el instanceof HTMLImageElement ? el.naturalWidth : 0))).toBeGreaterThan(0);
    await page.keyboard.press('a');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: new RegExp(`^Question ${i + 1}, answered`) })).toBeVisible();
  }
  // Ended, still offline: the review shows the answers given on this device, and both images again.
  await page.getByRole('button', { name: 'End block' }).click();
  await page.getByRole('dialog', { name: 'End this block?' }).getByRole('button', { name: 'End block' }).click();
  await expect(page).toHaveURL(new RegExp(`/blocks/${attemptId}/review$`));
  await expect(page.getByText('Offline — these are the answers saved on this device')).toBeVisible();
  for (const alt of [FILM_ALT, SMEAR_ALT]) {
    const img = page.getByRole('img', { name: alt });
    await img.scrollIntoViewIfNeeded();
    await expect.poll(() => img.evaluate((el) => (el instanceof HTMLImageElement ? el.naturalWidth : 0))).toBeGreaterThan(0);
  }
  await context.setOffline(false);

  // 3. The instructor exports Moodle XML; a second instructor imports it and gets the same questions and media.
  await instructorPage.goto('/instructor/questions');
  await expect(instructorPage.getByText('Export covers your own 2 questions, drafts included, with their images.')).toBeVisible();
  const downloading = instructorPage.waitForEvent('download');
  await instructorPage.getByRole('button', { name: 'Export Moodle XML' }).click();
  const xml = await readFile(await (await downloading).path());
  expect(xml.toString().match(/<file name="stem-1\.webp" path="\/" encoding="base64">/g)).toHaveLength(2);
  await instructorPage.context().close();

  const second = await createInstructor('Dr Second');
  const secondPage = await signedInPage(browser, baseURL, second);
  await importBank(secondPage, { name: 'from-first.xml', mimeType: 'application/xml', buffer: xml }, { heading: 'Preview: 2 questions to import, 0 skipped', attached: 'Attached 2 images.', publish: false });
  await expect(secondPage.getByRole('region', { name: /needs? alt text/ })).toHaveCount(0);
  const reimported = await ownQuestions(second);
  expect(sameMedia(reimported)).toEqual(sameMedia(imported));
  expect(reimported.every((q) => !q.published)).toBe(true);
  await secondPage.context().close();
});

/** A Moodle XML multichoice question, its stem carrying `image` (a file embedded as Moodle exports it). */
function moodleQuestion(name: string, image?: { file: string; alt: string; base64: string }): string {
  const img = image ? `<p><img src="@@PLUGINFILE@@/${image.file}" alt="${image.alt}"></p>` : '';
  const file = image ? `<file name="${image.file}" path="/" encoding="base64">${image.base64}</file>` : '';
  const answers = ['Alpha', 'Beta', 'Gamma', 'Delta', 'Epsilon']
    .map((a, i) => `<answer fraction="${i === 0 ? 100 : 0}" format="html"><text>${a}</text></answer>`)
    .join('');
  return `<question type="multichoice"><name><text>${name}</text></name><questiontext format="html"><text><![CDATA[<p>${name}: which letter comes first?</p>${img}]]></text>${file}</questiontext><generalfeedback format="html"><text>Alpha is first.</text></generalfeedback><single>true</single>${answers}</question>`;
}

test('published with images: each question goes live once its images are attached; one whose image fails stays a draft', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const tag = Date.now().toString(36);
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAEElEQVR4nGM4IScHRww4OQD1xwwxB+utmQAAAABJRU5ErkJggg==';
  const category = '<question type="category"><category><text>$course$/top/Cardiovascular/Pharmacology</text></category></question>';
  const xml = `<?xml version="1.0" encoding="UTF-8"?><quiz>${category}${[
    moodleQuestion(`Good image ${tag}`, { file: 'good.png', alt: 'A small test pattern', base64: png }),
    moodleQuestion(`Broken image ${tag}`, { file: 'broken.png', alt: 'An image that cannot be decoded', base64: Buffer.from('not a png at all').toString('base64') }),
    moodleQuestion(`No image ${tag}`),
  ].join('')}</quiz>`;
  const instructor = await createInstructor(`Dr Held ${tag}`);
  const page = await signedInPage(browser, baseURL, instructor);
  await page.goto('/instructor/import');
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'held.xml', mimeType: 'application/xml', buffer: Buffer.from(xml) });
  await page.getByRole('button', { name: 'Check the file' }).click();
  const preview = page.getByRole('region', { name: /^Preview:/ });
  await expect(preview.getByRole('heading', { level: 2 })).toHaveText('Preview: 3 questions to import, 0 skipped');
  await page.getByLabel('Publish at once (otherwise they are imported as drafts)').check();
  await preview.getByRole('button', { name: 'Import 3 questions' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Imported 3 questions as drafts, published as their images are attached.' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Attached 1 image. Published 2 questions.' })).toBeVisible({ timeout: 60_000 });
  const held = page.getByRole('alert').filter({ hasText: '1 question was kept as a draft' });
  await expect(held).toContainText('Kept as a draft: not all of its images were attached.');
  await expect(page.getByRole('alert').filter({ hasText: '1 image was not attached' })).toContainText('broken.png');
  await expectNoSeriousA11yViolations(page);

  const rows = await ownQuestions(instructor);
  expect(rows.map((q) => [q.stem.split(':')[0], q.published, q.media.length])).toEqual([
    [`Good image ${tag}`, true, 1],
    [`Broken image ${tag}`, false, 0],
    [`No image ${tag}`, true, 0],
  ]);
  await page.context().close();
});
