import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { BankFileError, categorySegments, fromBase64 } from '@/features/instructor/model/bank-question';
import { parseMoodleXml } from '@/features/instructor/model/moodle-xml';

const fixture = (name: string) => readFileSync(new URL(`../../../../tests/fixtures/lms/${name}`, import.meta.url), 'utf8');
const RED_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAEElEQVR4nGM4IScHRww4OQD1xwwxB+utmQAAAABJRU5ErkJggg==';

test('a Moodle 4.x export: the single-answer question with its image, category taxonomy and tags', () => {
  const { questions } = parseMoodleXml(fixture('moodle4-export.xml'));
  const q = questions[0];
  expect(q).toMatchObject({
    where: 'question 1',
    title: 'Atrial fibrillation & anticoagulation',
    stem: 'A 72-year-old man has palpitations. His ECG is shown.\n\nWhich drug lowers his stroke risk the most?',
    // CDATA html, entity-escaped html (&amp;amp;), moodle_auto_format and plain_text answers.
    choices: ['Aspirin', 'Apixaban', 'Digoxin & rest', 'Metoprolol', 'Amiodarone <IV>'],
    correct_choice: 'B',
    explanation: 'CHA2DS2-VASc ≥ 2: anticoagulate.\n\nAspirin is not enough.',
    organ_system: 'cardiovascular',
    discipline: 'pharmacology',
    tags: ['arrhythmia', 'Week 3'],
  });
  expect(q?.media).toHaveLength(1);
  expect(q?.media[0]).toMatchObject({ name: 'ecg strip.png', mimeType: 'image/png', part: 'stem', alt: 'ECG: irregularly irregular rhythm, no P waves' });
  expect(q?.media[0]?.bytes).toEqual(fromBase64(RED_PNG));
  expect(q?.notes).toContain('Per-choice feedback is not imported (Rounds has one explanation per question).');
});

test('every unsupported question is skipped with its reason, in file order', () => {
  const { questions, skipped } = parseMoodleXml(fixture('moodle4-export.xml'));
  expect(questions.map((q) => q.where)).toEqual(['question 1', 'question 9']);
  expect(skipped.map((s) => [s.where, s.title, s.reason])).toEqual([
    ['question 2', 'Kidneys filter blood', 'True/false questions are not supported; Rounds imports single-answer multiple choice.'],
    ['question 3', 'Metabolic acidosis, multiple answer', 'It is a multiple-answer question (several choices can be right); Rounds questions have one correct choice.'],
    ['question 4', 'Four options only', 'It has 4 choices; Rounds questions have exactly 5 (A to E).'],
    ['question 5', 'Partial credit', 'It gives partial credit (33.33333%); Rounds questions have one correct choice.'],
    ['question 6', 'Short answer', 'Short-answer questions are not supported; Rounds imports single-answer multiple choice.'],
    ['question 7', 'Essay', 'Essay questions are not supported; Rounds imports single-answer multiple choice.'],
    ['question 8', 'Cloze', 'Embedded-answer (Cloze) questions are not supported; Rounds imports single-answer multiple choice.'],
    ['question 10', 'Section intro', 'It is a description (text between questions), not a question.'],
  ]);
});

test('script, style, iframes, event handlers and javascript: links leave nothing but their text', () => {
  const { questions } = parseMoodleXml(fixture('moodle4-export.xml'));
  const q = questions[1];
  expect(q).toMatchObject({
    stem: 'A patient with a serum potassium of 6.8 mEq/L has peaked T waves.\nWhat is the first step?',
    choices: ['IV calcium gluconate', 'Insulin alone', 'Kayexalate', 'Furosemide', 'Dialysis'],
    correct_choice: 'A',
    // moodle_auto_format: a newline is a line break.
    explanation: 'Calcium first\nthen shift potassium.',
    organ_system: 'renal',
    tags: ['Acid/base'],
  });
  expect(q?.discipline).toBeUndefined();
  expect(JSON.stringify(q)).not.toMatch(/script|alert|onclick|javascript|evil|color:red/);
});

test('category paths: Moodle segments dropped, "//" is a slash inside a name', () => {
  expect(categorySegments('$course$/top/Default for Path 2/Cardio//Renal/ Week 1 ')).toEqual(['Cardio/Renal', 'Week 1']);
  expect(categorySegments('$system$/top')).toEqual([]);
  expect(categorySegments('tom/dick/harry')).toEqual(['tom', 'dick', 'harry']);
});

test('a file that is not Moodle XML is refused as a whole, saying what it is', () => {
  expect(() => parseMoodleXml('<quiz><question type="multichoice"></quiz>')).toThrow(BankFileError);
  expect(() => parseMoodleXml('<quiz><question type="multichoice"></quiz>')).toThrow(/not valid XML: Expected <\/question>, found <\/quiz> \(line 1\)/);
  expect(() => parseMoodleXml('<?xml version="1.0"?><questestinterop></questestinterop>')).toThrow(/QTI 1.2 is not supported; export QTI 2.1/);
  expect(() => parseMoodleXml('<html><body>hi</body></html>')).toThrow(/root element is <html>, not <quiz>/);
  expect(() => parseMoodleXml('Which is right?\nA) x\nANSWER: A')).toThrow(BankFileError);
});

test('an image the text names but the file lacks, or a non-image file, is noted and left out', () => {
  const xml = `<quiz><question type="multichoice"><name><text>N</text></name>
    <questiontext format="html"><text><![CDATA[<p>Which structure is marked on this chest film image?</p><img src="@@PLUGINFILE@@/missing.png"><img src="https://example.org/x.png"><img src="@@PLUGINFILE@@/loop.gif">]]></text>
      <file name="notes.pdf" path="/" encoding="base64">JVBERi0=</file><file name="loop.gif" path="/" encoding="base64">R0lGODlh</file></questiontext>
    ${['Aorta', 'Trachea', 'Left atrium', 'Right ventricle', 'Azygos vein'].map((c, i) => `<answer fraction="${i === 2 ? 100 : 0}"><text>${c}</text></answer>`).join('')}
  </question></quiz>`;
  const [q] = parseMoodleXml(xml).questions;
  expect(q?.media).toEqual([]);
  expect(q?.correct_choice).toBe('C');
  expect(q?.notes).toEqual([
    'Stem: file notes.pdf is not a supported image (PNG, JPEG, WebP); left out.',
    // The question-media bucket takes no GIF (docs/decisions/025-question-images.md).
    'Stem: file loop.gif is not a supported image (PNG, JPEG, WebP); left out.',
    'Stem: image @@PLUGINFILE@@/missing.png is not in the file; left out.',
    'Stem: image https://example.org/x.png is on another site (only images inside the file are imported); left out.',
    'Stem: image @@PLUGINFILE@@/loop.gif is a GIF file, which Rounds does not take (PNG, JPEG, WebP); left out.',
  ]);
});

test('no answer at 100 and two answers at 100 are both skipped with a reason', () => {
  const q = (fractions: number[]) =>
    `<question type="multichoice"><questiontext><text>Which of these is the right one here?</text></questiontext>${fractions.map((f, i) => `<answer fraction="${f}"><text>c${i}</text></answer>`).join('')}</question>`;
  const { skipped } = parseMoodleXml(`<quiz>${q([0, 0, 0, 0, 0])}${q([100, 100, 0, 0, 0])}</quiz>`);
  expect(skipped.map((s) => s.reason)).toEqual([
    'No answer has fraction 100, so there is no correct choice.',
    '2 answers have fraction 100; Rounds questions have one correct choice.',
  ]);
});
