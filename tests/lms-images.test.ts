/**
 * The LMS round trip with images, server side (docs/decisions/026-lms-bank-formats.md, "Images"): an
 * instructor's question with images stored in the local Storage is exported as Moodle XML and as a QTI
 * 2.1 package — each image's widest width downloaded with the author's session, as
 * src/features/instructor/api/export-questions.ts does — and read back by the importers into what the
 * import would attach. "Same media" is defined in decision 026: the same images per place, the same alt
 * text, the same dimensions of the widest width (the import re-encodes, so bytes are not compared
 * beyond the file itself). The browser half (encoding and attaching) is e2e/lms-images.spec.ts.
 */
import { randomUUID } from 'node:crypto';
import { expect, test } from 'vitest';
import { z } from 'zod';
import { MEDIA_BUCKET, type MediaItem } from '../src/lib/question-media.ts';
import { QUESTION_COLUMNS, questionRowSchema } from '../src/features/instructor/model/question.ts';
import { exportQuestionsFile } from '../src/features/instructor/model/bank-export.ts';
import { bankImagePlan, exportVariant } from '../src/features/instructor/model/bank-images.ts';
import { parseMoodleXml } from '../src/features/instructor/model/moodle-xml.ts';
import { parseQtiPackage } from '../src/features/instructor/model/qti.ts';
import { createUser, type TestUser } from './helpers.ts';
import { pngSize, syntheticPng } from './png.ts';

/**
 * Uploads one image (a synthetic 640×480 PNG at 240, 480 and 640 px) under the question's folder. Small,
 * so the test does not hold the event loop for seconds: with 1200 px images it did, and the next test's
 * first request failed with "fetch failed" (most likely a keep-alive socket the server had closed
 * meanwhile, supabase/local/server.ts keepAliveTimeout).
 */
async function storeImage(author: TestUser, questionId: number, place: Pick<MediaItem, 'placement' | 'choice' | 'position' | 'alt'>, seed: number): Promise<MediaItem> {
  const id = randomUUID();
  const variants: MediaItem['variants'] = [];
  for (const w of [240, 480, 640]) {
    const png = syntheticPng(w, (w * 3) / 4, seed, 2);
    const path = `q/${questionId}/${id}-${w}.png`;
    const { error } = await author.db.storage.from(MEDIA_BUCKET).upload(path, png, { contentType: 'image/png' });
    if (error) throw error;
    variants.push({ w, path, bytes: png.length, type: 'image/png' });
  }
  return { id, ...place, width: 640, height: 480, variants };
}

async function questionWithImages(author: TestUser) {
  const { data } = await author.db
    .rpc('import_questions', {
      p_rows: [
        {
          stem: `A 58-year-old smoker has a cough; the film is shown. (${randomUUID().slice(0, 8)})`,
          choices: ['Lobar pneumonia', 'Pleural effusion', 'Pneumothorax', 'Atelectasis', 'Normal film'],
          correct_choice: 'A',
          explanation: 'Air bronchograms within a lobar opacity.',
          organ_system: 'respiratory',
          discipline: 'pathology',
        },
      ],
    })
    .throwOnError();
  const id = z.array(z.number()).parse(data)[0] ?? 0;
  const media = [
    await storeImage(author, id, { placement: 'stem', position: 0, alt: 'Chest film: right upper lobe opacity with air bronchograms' }, 1),
    await storeImage(author, id, { placement: 'stem', position: 1, alt: 'Lateral view' }, 2),
    await storeImage(author, id, { placement: 'choice', choice: 'D', position: 0, alt: 'Collapsed lobe' }, 3),
  ];
  await author.db.rpc('update_question', { p_id: id, p_expected_version: 1, p_changes: { media } }).throwOnError();
  const { data: row } = await author.db.from('questions').select(QUESTION_COLUMNS).eq('id', id).single().throwOnError();
  return questionRowSchema.parse(row);
}

/** What "the same media" means after a round trip, per image in the order the question shows them. */
const sameMedia = (media: readonly MediaItem[]) =>
  [...media]
    .sort((a, b) => (a.placement === b.placement ? a.position - b.position : a.placement === 'stem' ? -1 : 1))
    .map((m) => {
      const widest = exportVariant(m);
      return { placement: m.placement, choice: m.choice ?? undefined, alt: m.alt, width: widest?.w, height: Math.round((m.height * (widest?.w ?? 0)) / m.width) };
    });

test('export with images → import: the same images per place, alt text and widest-width dimensions, in Moodle XML and QTI 2.1', async () => {
  const author = await createUser({ role: 'instructor' });
  const row = await questionWithImages(author);

  // The export's downloads: each image's widest width, with the author's session.
  const files = new Map<string, Uint8Array>();
  for (const m of row.media) {
    const path = exportVariant(m)?.path ?? '';
    const { data, error } = await author.db.storage.from(MEDIA_BUCKET).download(path);
    if (error) throw error;
    files.set(path, new Uint8Array(await data.arrayBuffer()));
  }

  const moodle = await exportQuestionsFile('moodle', [row], files);
  const xml = await moodle.blob.text();
  expect(xml.match(/<file name="[^"]+" path="\/" encoding="base64">/g)).toHaveLength(3);
  const qti = await exportQuestionsFile('qti', [row], files);

  for (const parsed of [parseMoodleXml(xml), await parseQtiPackage(new Uint8Array(await qti.blob.arrayBuffer()))]) {
    expect(parsed.skipped).toEqual([]);
    const [question] = parsed.questions;
    expect(question?.stem).toBe(row.stem);
    expect(question?.correct_choice).toBe('A');
    const plan = bankImagePlan(question ?? { where: '', media: [] });
    expect(plan.leftOut).toEqual([]);
    expect(plan.images.every((i) => !i.altGenerated)).toBe(true);
    const reimported = plan.images.map((i) => ({ placement: i.placement, choice: i.choice, alt: i.alt, ...pngSize(i.bytes) }));
    expect(reimported).toEqual(sameMedia(row.media));
    // The file in the bank is the stored widest width, byte for byte.
    expect(plan.images.map((i) => i.bytes)).toEqual(row.media.map((m) => files.get(exportVariant(m)?.path ?? '')));
  }
});

test('an export cannot include another instructor’s draft images: Storage refuses the download', async () => {
  const author = await createUser({ role: 'instructor' });
  const other = await createUser({ role: 'instructor' });
  const row = await questionWithImages(author);
  const { error } = await other.db.storage.from(MEDIA_BUCKET).download(exportVariant(row.media[0] ?? { variants: [] })?.path ?? '');
  expect(error).not.toBeNull();
});
