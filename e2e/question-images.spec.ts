/**
 * Images in questions, end to end (docs/decisions/025-question-images.md): an instructor adds an image
 * with alt text to a question in the editor (encoded in the browser, uploaded to the local Storage) and
 * publishes; a student makes the bank available offline with its images, goes offline, opens a block
 * with that question and sees the image, served by the service worker from its cache, with its alt text
 * and its size reserved (width/height attributes: no layout shift).
 */
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { createInstructor } from './api.ts';
import { expect, test } from './fixtures.ts';
import { expectNoSeriousA11yViolations, queueBlock, signInNewStudent, signInThroughUi, waitForE2EHooks } from './ui.ts';

const ALT = 'Chest radiograph with a right upper lobe consolidation';

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
