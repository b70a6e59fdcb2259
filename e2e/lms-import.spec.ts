/**
 * LMS bank files through the UI (issue #20, slice 2): an instructor imports a GIFT file and a QTI 2.2
 * package, sees the preview with what is skipped and why, imports (the package's images attached),
 * and exports Moodle XML and QTI 2.1. Images end to end: e2e/lms-images.spec.ts.
 */
import { readFile } from 'node:fs/promises';
import { createInstructor } from './api.ts';
import { expect, test } from './fixtures.ts';
import { expectNoSeriousA11yViolations, signInThroughUi } from './ui.ts';

const QTI_PACKAGE = new URL('../tests/fixtures/lms/qti22-media.zip', import.meta.url);

test('an instructor previews and imports a GIFT file and a QTI package, then exports their questions', async ({ page }) => {
  test.setTimeout(120_000);
  const tag = `lms-${Date.now().toString(36)}`;
  const instructor = await createInstructor(`Dr Bank ${tag}`);
  await signInThroughUi(page, instructor.email, instructor.password);
  await page.goto('/instructor/import');
  await expect(page.getByRole('heading', { level: 1, name: 'Import questions' })).toBeVisible();

  const gift = [
    '// Exported from Moodle',
    '$CATEGORY: $course$/top/Endocrine/Physiology',
    '',
    `::TSH (${tag}):: Which hormone from the anterior pituitary stimulates the thyroid \\{TSH\\}? {`,
    '  =Thyrotropin ~Corticotropin ~Prolactin ~Somatotropin ~Lutropin',
    '  ####TSH is thyrotropin.',
    '}',
    '',
    `::Insulin (${tag}):: Which cell of the pancreatic islet secretes insulin in response to glucose? {=Beta ~Alpha ~Delta ~PP ~Epsilon}`,
    '',
    `::True or false (${tag}):: Insulin lowers blood glucose. {T}`,
    '',
  ].join('\n');
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'endocrine.gift', mimeType: 'text/plain', buffer: Buffer.from(gift) });
  await expect(page.getByLabel(/^GIFT/)).toBeChecked();
  await page.getByRole('button', { name: 'Check the file' }).click();
  const preview = page.getByRole('region', { name: /^Preview:/ });
  await expect(preview.getByRole('heading', { level: 2 })).toHaveText('Preview: 2 questions to import, 1 skipped');
  await expect(preview.getByRole('heading', { level: 2 })).toBeFocused();
  await expect(preview).toContainText(`Question 1 (line 4) · TSH (${tag}):`);
  await expect(preview).toContainText('— Endocrine · Physiology');
  await expect(preview.getByRole('listitem').filter({ hasText: `True or false (${tag})` })).toContainText(
    'True/false questions are not supported; Rounds questions have five choices.',
  );
  await expectNoSeriousA11yViolations(page);
  await preview.getByRole('button', { name: 'Import 2 questions' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Imported 2 questions as drafts.' })).toBeVisible();

  // The QTI 2.2 package: one question with two images (attached after the import), two items skipped.
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'qti22-media.zip', mimeType: 'application/zip', buffer: await readFile(QTI_PACKAGE) });
  await expect(page.getByLabel(/^QTI 2\.1 \/ 2\.2 package/)).toBeChecked();
  await page.getByRole('button', { name: 'Check the file' }).click();
  await expect(preview.getByRole('heading', { level: 2 })).toHaveText('Preview: 1 question to import, 2 skipped');
  await expect(preview).toContainText('2 images will be attached after the questions are created.');
  await expect(preview).toContainText('Ordering (orderInteraction) is not supported');
  await expect(preview).toContainText('The manifest names items/item-3.xml, but the package does not contain it.');
  await expectNoSeriousA11yViolations(page);
  await preview.getByRole('button', { name: 'Import 1 question' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Imported 1 question as drafts.' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Attached 2 images.' })).toBeVisible({ timeout: 30_000 });

  // A QTI 1.2 export (Canvas's default) is refused as a whole, saying what to export instead.
  await page.getByLabel('File', { exact: true }).setInputFiles({
    name: 'canvas-quiz.zip',
    mimeType: 'application/zip',
    buffer: await readFile(new URL('../tests/fixtures/lms/qti12-canvas.zip', import.meta.url)),
  });
  await page.getByRole('button', { name: 'Check the file' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Nothing was imported' })).toContainText('QTI 1.2 is not supported; export QTI 2.1');

  // Export: the instructor's three questions, as Moodle XML and as a QTI 2.1 package.
  await page.goto('/instructor/questions');
  await expect(page.getByText('Export covers your own 3 questions')).toBeVisible();
  let downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export Moodle XML' }).click();
  let download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^rounds-questions-\d{4}-\d{2}-\d{2}\.xml$/);
  const xml = await readFile(await download.path(), 'utf8');
  expect(xml.match(/<question type="multichoice">/g)).toHaveLength(3);
  expect(xml).toContain(`Which hormone from the anterior pituitary stimulates the thyroid {TSH}?`);
  expect(xml).toContain('<category><text>$course$/top/Endocrine/Physiology</text></category>');
  expect(xml).toContain('Reed–Sternberg cell');
  downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export QTI 2.1 (.zip)' }).click();
  download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^rounds-questions-qti21-\d{4}-\d{2}-\d{2}\.zip$/);
  expect((await readFile(await download.path())).subarray(0, 2).toString()).toBe('PK');
});
