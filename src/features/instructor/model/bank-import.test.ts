import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { parseBankFile } from '@/features/instructor/model/bank-import';
import { previewBank } from '@/features/instructor/model/import-rows';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../../../tests/fixtures/lms/${name}`, import.meta.url)));

test('the preview lists what will be created and what is skipped, with the defaults applied as the server will', async () => {
  const parsed = await parseBankFile('moodle', { bytes: fixture('moodle4-export.xml') });
  const noDefaults = previewBank(parsed, {});
  // Question 9 has an organ system (renal) but no discipline, and the file gives it none.
  expect(noDefaults.creating.map((c) => c.where)).toEqual(['question 1']);
  expect(noDefaults.skipped.find((s) => s.where === 'question 9')?.reason).toBe(
    'No discipline: none of its categories or keywords names one — choose a default discipline below.',
  );
  expect(noDefaults.skipped.map((s) => s.where)).toEqual(['question 2', 'question 3', 'question 4', 'question 5', 'question 6', 'question 7', 'question 8', 'question 9', 'question 10']);

  const withDefaults = previewBank(parsed, { discipline: 'physiology', explanation: 'To be written.' });
  expect(withDefaults.creating.map((c) => [c.where, c.organ_system, c.discipline, c.images.images.length])).toEqual([
    ['question 1', 'cardiovascular', 'pharmacology', 1],
    ['question 9', 'renal', 'physiology', 0],
  ]);
  expect(withDefaults.images).toBe(1);
  expect(withDefaults.imagesWithoutAlt).toBe(0);
  // Rows carry what the file gave; the defaults travel separately, as import_questions takes them.
  expect(withDefaults.rows[1]?.fields).toEqual({
    stem: 'A patient with a serum potassium of 6.8 mEq/L has peaked T waves.\nWhat is the first step?',
    choices: ['IV calcium gluconate', 'Insulin alone', 'Kayexalate', 'Furosemide', 'Dialysis'],
    correct_choice: 'A',
    explanation: 'Calcium first\nthen shift potassium.',
    organ_system: 'renal',
    tags: ['Acid/base'],
  });
});

test('a question the editor would refuse is skipped with the editor’s words', async () => {
  const parsed = await parseBankFile('gift', { text: 'Too short? {=a ~b ~c ~d ~e}' });
  expect(previewBank(parsed, { organ_system: 'renal', discipline: 'anatomy', explanation: 'x' }).skipped.map((s) => s.reason)).toEqual([
    'The stem must be at least 20 characters',
  ]);
});

test('a 50 MB file is refused before it is parsed, and a QTI package must be bytes', async () => {
  await expect(parseBankFile('qti', { bytes: new Uint8Array(50 * 1024 * 1024) })).rejects.toThrow('The file is 50.0 MB; the limit is 25 MB. Export the bank in parts.');
  await expect(parseBankFile('moodle', { text: 'x'.repeat(26 * 1024 * 1024) })).rejects.toThrow(/limit is 25 MB/);
  await expect(parseBankFile('qti', { text: 'PK' })).rejects.toThrow('A QTI package is a .zip file: choose it with the file picker.');
});
