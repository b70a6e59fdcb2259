import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { readZip, writeZip } from '@/lib/zip';
import { parseQtiPackage } from '@/features/instructor/model/qti';

const dir = fileURLToPath(new URL('../../../../tests/fixtures/lms/', import.meta.url));
const zip = (name: string) => new Uint8Array(readFileSync(path.join(dir, name)));
const png = (rel: string) => new Uint8Array(readFileSync(path.join(dir, rel)));
const enc = new TextEncoder();

function filesUnder(root: string, prefix = ''): string[] {
  return readdirSync(path.join(root, prefix)).flatMap((n) => {
    const rel = prefix ? `${prefix}/${n}` : n;
    return statSync(path.join(root, rel)).isDirectory() ? filesUnder(root, rel) : [rel];
  });
}

test('the fixture zips (written by Info-ZIP) hold exactly the hand-written files next to them', async () => {
  for (const name of ['qti21-canvas', 'qti22-media', 'qti12-canvas', 'qti21-images']) {
    const files = await readZip(zip(`${name}.zip`));
    expect([...files.keys()].sort()).toEqual(filesUnder(path.join(dir, name)).sort());
    for (const [k, v] of files) expect(v).toEqual(new Uint8Array(readFileSync(path.join(dir, name, k))));
  }
});

test('a Canvas-like QTI 2.1 package: test order, $IMS-CC-FILEBASE$ image, two modal feedbacks, LOM keywords', async () => {
  const { questions } = await parseQtiPackage(zip('qti21-canvas.zip'));
  const q = questions[0];
  expect(q).toMatchObject({
    where: 'question 1 (g3f1c2/g3f1c2.xml)',
    title: 'Lead II rhythm',
    stem: 'A 58-year-old woman faints while climbing stairs. Her lead II rhythm strip:\n\nWhat is the rhythm?',
    choices: ['Sinus bradycardia', 'Mobitz type I block', 'Mobitz type II block', 'Third-degree AV block', 'Atrial flutter with 4:1 block'],
    correct_choice: 'D',
    explanation: 'P waves march through at their own rate; the QRS complexes are a slow escape rhythm.\n\nPacing is indicated.',
    organ_system: 'cardiovascular',
    discipline: 'physiology',
    tags: ['ECG'],
    notes: ['Per-choice feedback (feedbackInline) is not imported (Rounds has one explanation per question).'],
  });
  expect(q?.media).toEqual([
    { name: 'ECG lead II.png', mimeType: 'image/png', bytes: png('qti21-canvas/Quiz Files/ECG lead II.png'), alt: 'Lead II: P waves unrelated to QRS complexes', part: 'stem' },
  ]);
});

test('a mapping instead of correctResponse gives the key; a scorer rubricBlock is not part of the stem', async () => {
  const { questions } = await parseQtiPackage(zip('qti21-canvas.zip'));
  expect(questions[1]).toMatchObject({
    where: 'question 4 (g9c6f1/g9c6f1.xml)',
    stem: 'A 19-year-old faints after standing for an hour at a concert; the ECG and echo are normal.\n\nWhich test confirms the most likely diagnosis?',
    correct_choice: 'B',
    organ_system: 'nervous',
    media: [],
  });
  expect(questions[1]?.explanation).toBeUndefined();
});

test('other interactions are skipped with their names', async () => {
  const { skipped } = await parseQtiPackage(zip('qti21-canvas.zip'));
  expect(skipped.map((s) => [s.where, s.reason])).toEqual([
    ['question 2 (g5b7d9/g5b7d9.xml)', 'It allows several answers (maxChoices=0); Rounds questions have one correct choice.'],
    ['question 3 (g8a0e4/g8a0e4.xml)', 'Fill-in-the-blank (textEntryInteraction) is not supported; Rounds imports single-answer multiple choice (choiceInteraction).'],
  ]);
});

test('a QTI 2.2 package with prefixed elements, relative images, an <object> image in a choice and a feedbackBlock', async () => {
  const { questions, skipped } = await parseQtiPackage(zip('qti22-media.zip'));
  expect(questions).toHaveLength(1);
  const q = questions[0];
  expect(q).toMatchObject({
    title: 'Lymph node biopsy',
    stem: 'A 24-year-old has painless cervical lymphadenopathy. The biopsy:\n\nWhich cell is characteristic?',
    choices: ['Sézanne cell', 'Burkitt cell', 'Hairy cell', 'Reed–Sternberg cell', 'Smudge cell'],
    correct_choice: 'D',
    explanation: 'Reed–Sternberg cells (CD15+, CD30+) define classical Hodgkin lymphoma.',
    organ_system: 'hematology_oncology',
    discipline: 'pathology',
    tags: ['Lymphoma'],
    notes: ['Stem: image images/not-in-package.png is not in the file; left out.'],
  });
  expect(q?.media).toEqual([
    { name: 'histology.png', mimeType: 'image/png', bytes: png('qti22-media/items/images/histology.png'), alt: 'Large binucleate cells with owl-eye nucleoli', part: 'stem' },
    { name: 'choice-d.png', mimeType: 'image/png', bytes: png('qti22-media/items/images/choice-d.png'), alt: 'Owl-eye cell', part: 'D' },
  ]);
  expect(skipped.map((s) => s.reason)).toEqual([
    'Ordering (orderInteraction) is not supported; Rounds imports single-answer multiple choice (choiceInteraction).',
    'The manifest names items/item-3.xml, but the package does not contain it.',
  ]);
});

test('Canvas’s default QTI 1.2 export is refused with what to do instead', async () => {
  await expect(parseQtiPackage(zip('qti12-canvas.zip'))).rejects.toThrow('QTI 1.2 is not supported; export QTI 2.1');
  // Without a manifest, a questestinterop file still says so.
  const bare = await writeZip([{ name: 'quiz.xml', bytes: enc.encode('<questestinterop><item/></questestinterop>') }]);
  await expect(parseQtiPackage(bare)).rejects.toThrow('QTI 1.2 is not supported');
});

test('a zip that is not a QTI package, or not a zip, is refused as a whole', async () => {
  await expect(parseQtiPackage(await writeZip([{ name: 'notes.txt', bytes: enc.encode('hi') }]))).rejects.toThrow('This .zip has no imsmanifest.xml, so it is not a QTI content package.');
  await expect(parseQtiPackage(enc.encode('<quiz/>'))).rejects.toThrow(/The package could not be read: This is not a ZIP file/);
  const noItems = await writeZip([{ name: 'imsmanifest.xml', bytes: enc.encode('<manifest><resources><resource type="webcontent" href="a.html"/></resources></manifest>') }]);
  await expect(parseQtiPackage(noItems)).rejects.toThrow(/lists no QTI 2.1 or 2.2 items/);
  const badManifest = await writeZip([{ name: 'imsmanifest.xml', bytes: enc.encode('<manifest><resources></manifest>') }]);
  await expect(parseQtiPackage(badManifest)).rejects.toThrow(/imsmanifest.xml is not valid XML: Expected <\/resources>, found <\/manifest>/);
});

test('an image src of %24IMS-CC-FILEBASE%24 (the Canvas prefix URL-encoded, as text2qti writes it) resolves to the package root', async () => {
  const choices = ['Aorta', 'Trachea', 'Left atrium', 'Right ventricle', 'Azygos vein'];
  const item = `<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="i1" title="CXR">
    <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="identifier"><correctResponse><value>c3</value></correctResponse></responseDeclaration>
    <itemBody><p>Which structure is marked on this chest film?</p><p><img src="%24IMS-CC-FILEBASE%24/images/cxr.png" alt="Chest film"/></p>
      <choiceInteraction responseIdentifier="RESPONSE" maxChoices="1">${choices.map((c, i) => `<simpleChoice identifier="c${i + 1}">${c}</simpleChoice>`).join('')}</choiceInteraction></itemBody>
  </assessmentItem>`;
  const manifest = '<manifest><resources><resource identifier="i1" type="imsqti_item_xmlv2p1" href="quiz/i1.xml"><file href="quiz/i1.xml"/></resource></resources></manifest>';
  const image = png('qti22-media/items/images/histology.png');
  const pkg = await writeZip([
    { name: 'imsmanifest.xml', bytes: enc.encode(manifest) },
    { name: 'quiz/i1.xml', bytes: enc.encode(item) },
    { name: 'images/cxr.png', bytes: image },
  ]);
  const [q] = (await parseQtiPackage(pkg)).questions;
  expect(q?.correct_choice).toBe('C');
  expect(q?.media).toEqual([{ name: 'cxr.png', mimeType: 'image/png', bytes: image, alt: 'Chest film', part: 'stem' }]);
});

test('the e2e package: two image questions, one image with alt text and one without', async () => {
  const { questions, skipped } = await parseQtiPackage(zip('qti21-images.zip'));
  expect(skipped).toEqual([]);
  expect(questions.map((q) => [q.title, q.organ_system, q.discipline, q.correct_choice])).toEqual([
    ['Chest film', 'respiratory', 'pathology', 'A'],
    ['Blood smear', 'hematology_oncology', 'pathology', 'C'],
  ]);
  expect(questions.map((q) => q.media.map((m) => ({ name: m.name, part: m.part, alt: m.alt, bytes: m.bytes })))).toEqual([
    [{ name: 'chest-film.png', part: 'stem', alt: 'Chest film with a right upper lobe opacity and air bronchograms', bytes: png('qti21-images/items/images/chest-film.png') }],
    [{ name: 'blood-smear.png', part: 'stem', alt: undefined, bytes: png('qti21-images/items/images/blood-smear.png') }],
  ]);
});
