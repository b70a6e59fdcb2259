import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { fromBase64 } from '@/features/instructor/model/bank-question';
import { parseGift } from '@/features/instructor/model/gift';

const gift = readFileSync(new URL('../../../../tests/fixtures/lms/every-escape.gift', import.meta.url), 'utf8');
const BLUE_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAMAAAADCAIAAADZSiLoAAAAEElEQVR4nGOQkzsBQQxYWACDQAkliVzKywAAAABJRU5ErkJggg==';

test('a multi-line question with every escape, comments, weights and general feedback', () => {
  const [q] = parseGift(gift).questions;
  expect(q).toMatchObject({
    where: 'question 1 (line 6)',
    title: 'Thyroid : feedback loop',
    stem: 'A 34-year-old woman has a TSH of 0.01 mU/L and a free T4 of 4.2 ng/dL.\nWhich finding best explains the low TSH {her lab reports "TSH=low"}?',
    choices: ['Negative feedback by T4 on the pituitary', 'A TSH-secreting adenoma', 'Primary hypothyroidism # with a high TSH', 'Iodine deficiency', 'Central hypothyroidism (back\\slash)'],
    correct_choice: 'A',
    explanation: 'Free T4 feeds back on the pituitary and hypothalamus.\nSo TSH falls.',
    organ_system: 'endocrine',
    discipline: 'physiology',
    tags: [],
    media: [],
    notes: ['Per-choice feedback (#…) is not imported (Rounds has one explanation per question).'],
  });
});

test('[html] text: tags dropped, a data: image kept as media, a file GIFT cannot carry noted; [plain] answers kept literally', () => {
  const q = parseGift(gift).questions[1];
  expect(q).toMatchObject({ title: 'HTML stem', stem: 'Which hormone is raised in Graves disease?', correct_choice: 'C' });
  expect(q?.choices).toEqual(['TSH', 'TRH', 'Free T4', 'Calcitonin', '<Cortisol>']);
  expect(q?.media).toHaveLength(1);
  expect(q?.media[0]).toMatchObject({ name: 'stem-image-1.png', mimeType: 'image/png', alt: 'Exophthalmos', part: 'stem' });
  expect(q?.media[0]?.bytes).toEqual(fromBase64(BLUE_PNG));
  expect(q?.notes).toEqual(['Stem: image @@PLUGINFILE@@/goitre.png is not in the file; left out.']);
});

test('a missing-word question gets a blank where its answers were; $CATEGORY switches the taxonomy', () => {
  const q = parseGift(gift).questions[2];
  expect(q).toMatchObject({
    stem: 'Oestrogen is made from androgens by _____ in the granulosa cells.',
    correct_choice: 'C',
    organ_system: 'reproductive',
  });
  expect(q?.discipline).toBeUndefined();
  expect(q?.explanation).toBeUndefined();
});

test('other GIFT question types are skipped, each with its reason', () => {
  const { questions, skipped } = parseGift(gift);
  expect(questions).toHaveLength(3);
  expect(skipped.map((s) => [s.title, s.reason])).toEqual([
    ['TF', 'True/false questions are not supported; Rounds questions have five choices.'],
    ['Short answer', 'Short-answer questions (only "=" answers) are not supported; Rounds imports single-answer multiple choice.'],
    ['Numerical', 'Numerical questions are not supported; Rounds imports single-answer multiple choice.'],
    ['Matching', 'Matching questions are not supported; Rounds imports single-answer multiple choice.'],
    ['Essay', 'Essay questions ({}) are not supported; Rounds imports single-answer multiple choice.'],
    ['Multiple answer', 'It is a multiple-answer question (several answers give credit); Rounds questions have one correct choice.'],
    ['Four choices', 'It has 4 choices; Rounds questions have exactly 5 (A to E).'],
    ['Not closed', 'Its answer block "{" is never closed with "}".'],
    [null, 'It has no answers in { … } (a GIFT description is not a question).'],
  ]);
});

test('Windows line endings and a BOM read the same as Unix text', () => {
  const unix = parseGift(gift);
  expect(parseGift(`\uFEFF${gift.replace(/\n/g, '\r\n')}`)).toEqual(unix);
});

test('two right answers, or none, are skipped', () => {
  const { skipped } = parseGift('Pick the right one of these five? {=a =b ~c ~d ~e}\n\nPick the right one of these five? {~a ~b ~c ~d ~e}');
  expect(skipped.map((s) => s.reason)).toEqual(['2 answers are right; Rounds questions have one correct choice.', 'No answer is marked right with "=".']);
});
