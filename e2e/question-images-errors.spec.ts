/**
 * Question images when something goes wrong (docs/decisions/025-question-images.md, 026-lms-bank-formats.md
 * "Images"), in the built app with a real canvas: what the instructor sees when a file cannot be used
 * (not an image, a PDF dropped, damaged bytes, GIF, SVG, over 20 MB), when alt text is missing, when
 * Storage refuses an upload (a real RLS 403 for an editor removed meanwhile; 403, 413, 415 and 500
 * answered by page.route: the network faked, not our code) or the connection drops after one width, when
 * another editor saved meanwhile, and when an LMS package has a damaged and a missing image. Each time: a plain message where the author is working (no raw server
 * text), nothing stored or saved that should not be (read back through the API as the instructor), and
 * the form still works — a good image can then be added and saved.
 */
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import type { Page, Route } from '@playwright/test';
import { z } from 'zod';
import { createInstructor } from './api.ts';
import { expect, test } from './fixtures.ts';
import { expectNoSeriousA11yViolations, signInThroughUi } from './ui.ts';
import { writeZip } from '../src/lib/zip.ts';

// The editor needs no service worker, and page.route must see every upload.
test.use({ serviceWorkers: 'block' });

type Instructor = Awaited<ReturnType<typeof createInstructor>>;

const BUCKET = 'question-media';
const ADD_TO_STEM = 'Add an image to the stem (drop a file here or choose one)';
const ICON = new URL('../public/icons/icon-512.png', import.meta.url);
const QTI = new URL('../tests/fixtures/lms/qti21-images/', import.meta.url);
// A valid 1×1 GIF (decodable: refusing it is the app's choice, not the browser's).
const GIF = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

const mediaSchema = z.array(z.object({ alt: z.string(), variants: z.array(z.object({ path: z.string() })) }));

/** A draft question of `instructor`, created through the API (the editor part under test is the images). */
async function newQuestion(instructor: Instructor): Promise<number> {
  const { data } = await instructor.db
    .rpc('import_questions', {
      p_rows: [
        {
          stem: `A 30-year-old has a rash after amoxicillin; which finding is shown? (${randomUUID().slice(0, 8)})`,
          choices: ['Urticaria', 'Erythema multiforme', 'Morbilliform eruption', 'Fixed drug eruption', 'SJS'],
          correct_choice: 'C',
          explanation: 'A morbilliform rash is the commonest drug eruption.',
          organ_system: 'skin',
          discipline: 'pharmacology',
        },
      ],
    })
    .throwOnError();
  return z.array(z.number()).parse(data)[0] ?? 0;
}

/** The question's saved images, read as its author. */
async function savedMedia(instructor: Instructor, id: number) {
  const { data } = await instructor.db.from('questions').select('media, version').eq('id', id).single().throwOnError();
  return z.object({ media: mediaSchema, version: z.number() }).parse(data);
}

/** The objects in the question's folder of the bucket, as full paths. */
async function storedObjects(instructor: Instructor, id: number): Promise<string[]> {
  const { data, error } = await instructor.db.storage.from(BUCKET).list(`q/${id}`);
  if (error) throw error;
  return data.map((o) => `q/${id}/${o.name}`).sort();
}

async function openEditor(page: Page, instructor: Instructor, id: number) {
  await signInThroughUi(page, instructor.email, instructor.password);
  await page.goto(`/instructor/questions/${id}`);
  await expect(page.getByRole('heading', { name: `Edit question ${id}` })).toBeVisible();
}

/** Drops a file on the stem's drop zone, as a drag from the desktop would. */
async function dropOnStem(page: Page, file: { name: string; type: string; text: string }) {
  const dataTransfer = await page.evaluateHandle(({ name, type, text }) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], name, { type }));
    return dt;
  }, file);
  await page.getByText(ADD_TO_STEM).dispatchEvent('drop', { dataTransfer });
}

/** Adds the app icon (512 px: widths 480 and 512) to the stem with `alt`, and saves. */
async function addGoodImageAndSave(page: Page, alt: string) {
  await page.getByLabel(ADD_TO_STEM).setInputFiles({ name: 'rash.png', mimeType: 'image/png', buffer: await readFile(ICON) });
  const image = page.getByRole('group', { name: 'Image 1 of the stem' });
  await image.getByLabel('Alt text (required)').fill(alt);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(/Saved — version \d+, draft\./)).toBeVisible({ timeout: 30_000 });
}

test('files the editor cannot use are refused beside the field, nothing is stored, and a good image then saves', async ({ page }) => {
  test.setTimeout(120_000);
  const instructor = await createInstructor('Dr Refused Files');
  const id = await newQuestion(instructor);
  await openEditor(page, instructor, id);
  const add = page.getByLabel(ADD_TO_STEM);
  const stemField = page.locator('.question-images-field[data-placement="stem"]');
  const problem = stemField.getByRole('alert');

  const refused: [{ name: string; mimeType: string; buffer: Buffer }, RegExp][] = [
    [{ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') }, /^notes\.txt is not an image Rounds can use\. Choose a JPEG, PNG or WebP file\.$/],
    [{ name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('these bytes are no PNG at all') }, /^This file could not be read as an image: it may be damaged/],
    [{ name: 'cine.gif', mimeType: 'image/gif', buffer: GIF }, /^cine\.gif is a GIF, which Rounds does not take/],
    [{ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') }, /^logo\.svg is not an image Rounds can use/],
    [{ name: 'scan.png', mimeType: 'image/png', buffer: Buffer.alloc(21 * 1024 * 1024) }, /^scan\.png is 21\.0 MB; the limit is 20 MB\./],
  ];
  for (const [file, message] of refused) {
    await add.setInputFiles(file);
    await expect(problem).toHaveText(message);
    // Announced, and it describes the file input it belongs to.
    await expect(add).toHaveAccessibleDescription(message);
    await expect(add).toBeEnabled();
  }
  // A PDF dragged onto the drop zone gets the same answer.
  await dropOnStem(page, { name: 'handout.pdf', type: 'application/pdf', text: '%PDF-1.4 not an image' });
  await expect(problem).toHaveText(/^handout\.pdf is not an image Rounds can use/);
  await expect(problem).not.toContainText(/Error|undefined|\{/);
  await expectNoSeriousA11yViolations(page);

  await expect(page.getByRole('group', { name: /^Image \d+ of the stem$/ })).toHaveCount(0);
  expect(await storedObjects(instructor, id)).toEqual([]);

  // A good image is taken (the message goes); without alt text the form does not save it.
  await add.setInputFiles({ name: 'rash.png', mimeType: 'image/png', buffer: await readFile(ICON) });
  const image = page.getByRole('group', { name: 'Image 1 of the stem' });
  await expect(image.getByLabel('Alt text (required)')).toBeVisible({ timeout: 30_000 });
  await expect(problem).toHaveCount(0);
  await page.getByRole('button', { name: 'Save' }).click();
  const alt = image.getByLabel('Alt text (required)');
  await expect(alt).toHaveAttribute('aria-invalid', 'true');
  await expect(alt).toHaveAccessibleDescription(/Alt text is required: describe the image for someone who cannot see it/);
  await expect(page.getByRole('alert').filter({ hasText: 'Fix the field marked above.' })).toBeVisible();
  expect((await savedMedia(instructor, id)).media).toEqual([]);
  await expectNoSeriousA11yViolations(page);

  await alt.fill('Red maculopapular rash over the trunk');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved — version 2, draft.')).toBeVisible();
  const saved = await savedMedia(instructor, id);
  expect(saved.media.map((m) => m.alt)).toEqual(['Red maculopapular rash over the trunk']);
  expect(await storedObjects(instructor, id)).toEqual(saved.media.flatMap((m) => m.variants.map((v) => v.path)).sort());
  await page.reload();
  // After a reload the editor reads the saved version again (never a copy stored before the save).
  await expect(page.getByRole('group', { name: 'Image 1 of the stem' }).getByLabel('Alt text (required)')).toHaveValue('Red maculopapular rash over the trunk');
});

test('Storage refusing an upload or the connection dropping: worded for the author, no width left behind', async ({ page, consoleErrors }) => {
  test.setTimeout(120_000);
  // Chromium logs each refused or aborted upload.
  consoleErrors.expect(/Failed to load resource/);
  const instructor = await createInstructor('Dr Refused Uploads');
  const id = await newQuestion(instructor);
  await openEditor(page, instructor, id);
  const add = page.getByLabel(ADD_TO_STEM);
  const problem = page.locator('.question-images-field[data-placement="stem"]').getByRole('alert');
  const icon = { name: 'rash.png', mimeType: 'image/png', buffer: await readFile(ICON) };

  // How Storage answers the next uploads (the nth of this try, from 1); null lets them through.
  let answer: ((route: Route, nth: number) => Promise<void>) | null = null;
  let nth = 0;
  await page.route('**/storage/v1/object/question-media/q/**', async (route) => {
    if (route.request().method() !== 'POST' || !answer) return route.fallback();
    nth += 1;
    return answer(route, nth);
  });
  const json = (status: number, body: object) => (route: Route) => route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });

  const cases: [string, (route: Route, n: number) => Promise<void>, string][] = [
    [
      // Hosted Storage's RLS refusal: HTTP 400, the real status in the body.
      'a 403',
      json(400, { statusCode: '403', error: 'Unauthorized', message: 'new row violates row-level security policy' }),
      'You can no longer add images to this question: only its author and editors can. Reload the page.',
    ],
    [
      // A proxy's own 413, not JSON.
      'a 413',
      (route) => route.fulfill({ status: 413, contentType: 'text/html', body: '<html><body><h1>413 Request Entity Too Large</h1></body></html>' }),
      'This image is still too large after resizing (the limit is 5 MB per width). Try a smaller or simpler image.',
    ],
    ['a 415', json(400, { statusCode: '415', error: 'invalid_mime_type', message: 'mime type image/webp is not supported' }), 'Storage accepts only JPEG, PNG and WebP images.'],
    [
      'a 500 on the second width',
      (route, n) => (n === 1 ? route.continue() : json(500, { statusCode: '500', error: 'internal', message: 'relation "storage.objects" does not exist' })(route)),
      'The image could not be uploaded: the server had a problem. Try again in a moment.',
    ],
    [
      'the connection dropping on the second width',
      (route, n) => (n === 1 ? route.continue() : route.abort('internetdisconnected')),
      'The image could not be uploaded: Rounds could not be reached. Check the connection, then add the image again.',
    ],
  ];
  for (const [what, respond, message] of cases) {
    await test.step(what, async () => {
      nth = 0;
      answer = respond;
      await add.setInputFiles(icon);
      await expect(problem).toHaveText(message, { timeout: 30_000 });
      await expect(problem).not.toContainText(/row-level|relation|Failed to fetch|statusCode|Something went wrong/);
      await expect(add).toHaveAccessibleDescription(message);
      await expect(page.getByRole('group', { name: /^Image \d+ of the stem$/ })).toHaveCount(0);
      // The width that did upload is removed again: nothing half-attached in the bucket.
      await expect.poll(() => storedObjects(instructor, id)).toEqual([]);
    });
  }
  await expectNoSeriousA11yViolations(page);
  expect((await savedMedia(instructor, id)).media).toEqual([]);

  // Storage answering again, the same form takes the image and saves it.
  answer = null;
  await addGoodImageAndSave(page, 'Target lesions on the palms');
  await expect(problem).toHaveCount(0);
  const saved = await savedMedia(instructor, id);
  expect(saved.media.map((m) => m.alt)).toEqual(['Target lesions on the palms']);
  expect(await storedObjects(instructor, id)).toEqual(saved.media.flatMap((m) => m.variants.map((v) => v.path)).sort());
});

test('an editor removed while the page is open: the real Storage refuses the upload (RLS), worded, nothing stored', async ({ page, consoleErrors }) => {
  test.setTimeout(120_000);
  // Chromium logs Storage's refusal (HTTP 400, the 403 in the body).
  consoleErrors.expect(/Failed to load resource: the server responded with a status of 400/);
  const author = await createInstructor('Dr Author');
  const editor = await createInstructor('Dr Former Editor');
  const id = await newQuestion(author);
  await author.db.rpc('add_question_editor', { p_email: editor.email }).throwOnError();
  await openEditor(page, editor, id);
  await author.db.from('question_editors').delete().eq('owner_id', author.id).eq('editor_id', editor.id).throwOnError();

  await page.getByLabel(ADD_TO_STEM).setInputFiles({ name: 'rash.png', mimeType: 'image/png', buffer: await readFile(ICON) });
  const problem = page.locator('.question-images-field[data-placement="stem"]').getByRole('alert');
  await expect(problem).toHaveText('You can no longer add images to this question: only its author and editors can. Reload the page.', { timeout: 30_000 });
  await expect(page.getByRole('group', { name: /^Image \d+ of the stem$/ })).toHaveCount(0);
  expect(await storedObjects(author, id)).toEqual([]);
});

test('another editor saved while images were added: the conflict names the images; "Reload theirs" drops the uploads, "Overwrite" keeps them', async ({
  page,
  consoleErrors,
}) => {
  test.setTimeout(120_000);
  // Chromium logs update_question's 409.
  consoleErrors.expect(/Failed to load resource: the server responded with a status of 409/);
  const instructor = await createInstructor('Dr Conflict');
  const id = await newQuestion(instructor);
  await openEditor(page, instructor, id);
  const add = page.getByLabel(ADD_TO_STEM);
  const image = page.getByRole('group', { name: 'Image 1 of the stem' });
  const conflict = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'Someone else saved this question while you were editing' }) });
  const icon = { name: 'rash.png', mimeType: 'image/png', buffer: await readFile(ICON) };
  const otherSave = async (explanation: string) => {
    const { version } = await savedMedia(instructor, id);
    await instructor.db.rpc('update_question', { p_id: id, p_expected_version: version, p_changes: { explanation } }).throwOnError();
  };

  // 1. Their save lands while this editor has an uploaded, unsaved image: reloading theirs drops it.
  await add.setInputFiles(icon);
  await image.getByLabel('Alt text (required)').fill('Dusky target lesions');
  const uploaded = await storedObjects(instructor, id);
  expect(uploaded).toHaveLength(2);
  await otherSave('Theirs: a morbilliform rash is the commonest drug eruption.');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(conflict).toBeVisible();
  const imagesRow = conflict.getByRole('row', { name: /^Images/ });
  await expect(imagesRow.getByRole('cell').nth(0)).toHaveText('None');
  await expect(imagesRow.getByRole('cell').nth(1)).toHaveText('1 image: Dusky target lesions');
  await expectNoSeriousA11yViolations(page);
  await conflict.getByRole('button', { name: 'Reload theirs' }).click();
  await expect(page.getByText('Loaded version 2. Your changes were discarded.')).toBeVisible();
  await expect(image).toHaveCount(0);
  await expect.poll(() => storedObjects(instructor, id)).toEqual([]);
  expect((await savedMedia(instructor, id)).media).toEqual([]);

  // 2. Again, and this time the author keeps theirs: the images are saved over the other version.
  await add.setInputFiles(icon);
  await image.getByLabel('Alt text (required)').fill('Dusky target lesions');
  await otherSave('Theirs again.');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(conflict).toBeVisible();
  await conflict.getByRole('button', { name: 'Overwrite with mine' }).click();
  await expect(page.getByText('Saved — version 4, draft.')).toBeVisible();
  const saved = await savedMedia(instructor, id);
  expect(saved.media.map((m) => m.alt)).toEqual(['Dusky target lesions']);
  expect(await storedObjects(instructor, id)).toEqual(saved.media.flatMap((m) => m.variants.map((v) => v.path)).sort());
});

test('an LMS package with a damaged and a missing image: the questions are created, the result lists each image left out and why', async ({ page }) => {
  test.setTimeout(120_000);
  const instructor = await createInstructor('Dr Broken Package');
  const file = (path: string) => readFile(new URL(path, QTI));
  // The fixture package of e2e/lms-images.spec.ts, with the chest film's bytes damaged and, in the smear
  // item, a second image the package does not contain.
  const smear = (await file('items/smear.xml')).toString().replace('<img src="images/blood-smear.png"/>', '<img src="images/blood-smear.png"/><img src="images/marrow.png" alt="Bone marrow aspirate"/>');
  expect(smear).toContain('images/marrow.png');
  const zip = await writeZip([
    { name: 'imsmanifest.xml', bytes: await file('imsmanifest.xml') },
    { name: 'items/film.xml', bytes: await file('items/film.xml') },
    { name: 'items/images/chest-film.png', bytes: new TextEncoder().encode('\x89PNG\r\n\x1a\n but then nothing an image decoder can read') },
    { name: 'items/smear.xml', bytes: new TextEncoder().encode(smear) },
    { name: 'items/images/blood-smear.png', bytes: await file('items/images/blood-smear.png') },
  ]);

  await signInThroughUi(page, instructor.email, instructor.password);
  await page.goto('/instructor/import');
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'broken-images.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) });
  await page.getByRole('button', { name: 'Check the file' }).click();
  const preview = page.getByRole('region', { name: /^Preview:/ });
  await expect(preview.getByRole('heading', { level: 2 })).toHaveText('Preview: 2 questions to import, 0 skipped');
  await expect(preview).toContainText('2 images will be attached after the questions are created.');
  await expect(preview).toContainText('Stem: image images/marrow.png is not in the file; left out.');
  await preview.getByRole('button', { name: 'Import 2 questions' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Imported 2 questions as drafts.' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Attached 1 image.' })).toBeVisible({ timeout: 60_000 });

  const { data } = await instructor.db.from('questions').select('id, media').eq('created_by', instructor.id).order('id').throwOnError();
  const [film, blood] = z.array(z.object({ id: z.number(), media: mediaSchema })).parse(data);
  if (!film || !blood) throw new Error('the two questions were not created');

  // The damaged file: listed with why, and a way to the question.
  const notAttached = page.getByRole('alert').filter({ has: page.getByRole('heading', { name: '1 image was not attached' }) });
  await expect(notAttached).toContainText(
    'Question 1 (items/film.xml), chest-film.png: This file could not be read as an image: it may be damaged, or in a format this browser cannot open.',
  );
  await expect(notAttached).not.toContainText('Something went wrong');
  // The missing file: still listed once the preview is gone.
  const leftOut = page.getByRole('region', { name: 'Left out of 1 imported question' });
  await expect(leftOut).toContainText('Question 2 (items/smear.xml):');
  await expect(leftOut).toContainText('Stem: image images/marrow.png is not in the file');
  await expect(leftOut.getByRole('link', { name: `Edit question ${blood.id}` })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  expect(film.media).toEqual([]);
  expect(await storedObjects(instructor, film.id)).toEqual([]);
  expect(blood.media.map((m) => m.alt)).toEqual(['Image 1 of question 2 (from blood-smear.png)']);

  // The author follows the link and adds a good image to the first question.
  await notAttached.getByRole('link', { name: `Edit question ${film.id}` }).click();
  await expect(page.getByRole('heading', { name: `Edit question ${film.id}` })).toBeVisible();
  await addGoodImageAndSave(page, 'Chest film with a right upper lobe opacity');
  expect((await savedMedia(instructor, film.id)).media.map((m) => m.alt)).toEqual(['Chest film with a right upper lobe opacity']);
});

test('two files dropped at once: the first is added, and the field says the other was not', async ({ page }) => {
  test.setTimeout(60_000);
  const instructor = await createInstructor('Dr Two Files');
  const id = await newQuestion(instructor);
  await openEditor(page, instructor, id);
  const icon = (await readFile(ICON)).toString('base64');
  const dataTransfer = await page.evaluateHandle((b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'first.png', { type: 'image/png' }));
    dt.items.add(new File([bytes], 'second.png', { type: 'image/png' }));
    return dt;
  }, icon);
  await page.getByText(ADD_TO_STEM).dispatchEvent('drop', { dataTransfer });
  await expect(page.getByRole('group', { name: 'Image 1 of the stem' })).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.question-images-field[data-placement="stem"]').getByRole('alert')).toHaveText(
    'Only first.png was added: add images one at a time, each with its alt text.',
  );
  await expect(page.getByRole('group', { name: /^Image \d+ of the stem$/ })).toHaveCount(1);
});

test('after a reload the editor shows the question as it is now, not a copy stored on the device', async ({ page }) => {
  test.setTimeout(60_000);
  const instructor = await createInstructor('Dr Reload');
  const id = await newQuestion(instructor);
  await openEditor(page, instructor, id);
  await expect(page.getByText('Editing version 1.')).toBeVisible();
  // The page's cache reaches the device (as it does within a second, and at pagehide)…
  await page.evaluate(() => window.__roundsE2E?.persistNow());
  // …then the question changes elsewhere (another tab, a co-editor).
  const stem = `Changed elsewhere: which finding is shown? (${randomUUID().slice(0, 8)})`;
  await instructor.db.rpc('update_question', { p_id: id, p_expected_version: 1, p_changes: { stem } }).throwOnError();
  await page.reload();
  await expect(page.getByText('Editing version 2.')).toBeVisible();
  await expect(page.getByLabel('Stem', { exact: true })).toHaveValue(stem);
});
