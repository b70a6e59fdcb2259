/**
 * questions.media (supabase/migrations/20261206160000_question_images.sql, docs/decisions/025-question-images.md):
 * saved through update_question with the version check, shape refused with a field report and nothing
 * written, paths confined to the question's own folder, at most 10 images, and nobody but the author
 * and editors can set it — not a student, not through a direct PATCH with a bad shape, not on insert.
 */
import { randomUUID } from 'node:crypto';
import { expect, test } from 'vitest';
import { z } from 'zod';
import type { Json } from '../src/lib/database.types.ts';
import { admin, createUser, type TestUser } from './helpers.ts';

async function importOne(author: TestUser, published = false): Promise<number> {
  const row = {
    stem: `Which rhythm does this ECG show? (${randomUUID().slice(0, 8)})`,
    choices: ['Atrial fibrillation', 'Atrial flutter', 'Sinus tachycardia', 'AVNRT', 'Ventricular tachycardia'],
    correct_choice: 'B',
    explanation: 'Saw-tooth flutter waves at 300/min with 2:1 block (B).',
    organ_system: 'cardiovascular',
    discipline: 'physiology',
  };
  const { data } = await author.db.rpc('import_questions', { p_rows: [row], p_publish: published }).throwOnError();
  return z.array(z.number()).parse(data)[0] ?? 0;
}

function image(id: number, overrides: Record<string, unknown> = {}) {
  const uuid = randomUUID();
  return {
    id: uuid,
    placement: 'stem',
    position: 0,
    alt: 'Twelve-lead ECG with saw-tooth flutter waves in II, III and aVF',
    caption: 'ECG on admission',
    credit: 'CC BY 4.0, J. Doe',
    width: 1200,
    height: 800,
    variants: [
      { w: 480, path: `q/${id}/${uuid}-480.webp`, bytes: 21_000, type: 'image/webp' },
      { w: 960, path: `q/${id}/${uuid}-960.webp`, bytes: 64_000, type: 'image/webp' },
      { w: 1200, path: `q/${id}/${uuid}-1200.webp`, bytes: 90_000, type: 'image/webp' },
    ],
    ...overrides,
  };
}

const stored = z.object({ version: z.number(), media: z.array(z.object({ id: z.string(), alt: z.string() }).loose()) });

async function read(id: number) {
  const { data } = await admin().from('questions').select('version, media').eq('id', id).single().throwOnError();
  return stored.parse(data);
}

test('update_question saves media with the version check; the bank read carries it', async () => {
  const author = await createUser({ role: 'instructor' });
  const id = await importOne(author, true);
  const media = [image(id), image(id, { placement: 'choice', choice: 'B', position: 0, caption: null, credit: null })];
  const { data } = await author.db.rpc('update_question', { p_id: id, p_expected_version: 1, p_changes: { media } }).throwOnError();
  expect(stored.parse(data)).toMatchObject({ version: 2, media: [{ id: media[0]?.id }, { id: media[1]?.id }] });

  const student = await createUser();
  const { data: bank } = await student.db.from('questions').select('id, media').eq('id', id).single().throwOnError();
  expect(bank?.media).toEqual(media);
});

test('a stale editor saving media gets 409 and nothing changes', async () => {
  const author = await createUser({ role: 'instructor' });
  const id = await importOne(author);
  await author.db.rpc('update_question', { p_id: id, p_expected_version: 1, p_changes: { difficulty: 4 } }).throwOnError();
  const r = await author.db.rpc('update_question', { p_id: id, p_expected_version: 1, p_changes: { media: [image(id)] } });
  expect(r.error).toMatchObject({ code: 'version_conflict' });
  expect(JSON.parse(r.error?.details ?? 'null')).toMatchObject({ version: 2, media: [] });
  expect(await read(id)).toEqual({ version: 2, media: [] });
});

test('bad shapes are refused with a per-field report and write nothing', async () => {
  const author = await createUser({ role: 'instructor' });
  const id = await importOne(author);
  const other = await importOne(author);
  const cases: [string, Json, RegExp][] = [
    ['not a list', { a: 1 }, /must be a list of images/],
    ['11 images', Array.from({ length: 11 }, (_, i) => image(id, { position: i % 10 })), /at most 10 images/],
    ['no alt', [image(id, { alt: '   ' })], /image 1: alt text is required/],
    ['alt too long', [image(id, { alt: 'x'.repeat(301) })], /alt text is required/],
    ['another question\'s folder', [image(id, { variants: [{ w: 480, path: `q/${other}/a-480.webp`, bytes: 10, type: 'image/webp' }] })], /own folder/],
    ['a path escaping the folder', [image(id, { variants: [{ w: 480, path: `q/${id}/../x.webp`, bytes: 10, type: 'image/webp' }] })], /own folder/],
    ['upscaled variant', [image(id, { width: 400 })], /at most the image's width/],
    ['choice without letter', [image(id, { placement: 'choice' })], /choice A, B, C, D or E/],
    ['letter outside a choice', [image(id, { choice: 'A' })], /only an image in a choice/],
    ['unknown key', [image(id, { url: 'https://example.com/x.png' })], /unknown key url/],
    ['gif', [image(id, { variants: [{ w: 480, path: `q/${id}/a-480.gif`, bytes: 10, type: 'image/gif' }] })], /type must be/],
    ['same place twice', [image(id), image(id)], /same place and position/],
    ['bad id', [image(id, { id: 'not-a-uuid' })], /lowercase UUID/],
  ];
  for (const [label, media, message] of cases) {
    const r = await author.db.rpc('update_question', { p_id: id, p_expected_version: 1, p_changes: { media } });
    expect(r.error, label).toMatchObject({ code: 'invalid_question', message: expect.stringMatching(message) });
    expect(JSON.parse(r.error?.details ?? '[]'), label).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'media' })]));
  }
  expect(await read(id)).toEqual({ version: 1, media: [] });
});

test('a direct PATCH with a bad shape is 400 (22023), an insert cannot carry media, and nothing is written', async () => {
  const author = await createUser({ role: 'instructor' });
  const id = await importOne(author);
  const patch = await author.db.from('questions').update({ media: [image(id, { alt: '' })] }).eq('id', id);
  expect(patch.error).toMatchObject({ code: '22023' });
  expect(patch.status).toBe(400);
  const serviceRole = await admin().from('questions').update({ media: [{ id: 'x' }] }).eq('id', id);
  expect(serviceRole.error).toMatchObject({ code: '22023' });
  expect(await read(id)).toEqual({ version: 1, media: [] });

  const insert = await author.db.from('questions').insert({
    stem: 'A question inserted with images it has no folder for yet.',
    choices: ['a', 'b', 'c', 'd', 'e'],
    correct_choice: 'A',
    explanation: 'x',
    organ_system: 'skin',
    discipline: 'pathology',
    media: [image(1)],
  });
  expect(insert.error).toMatchObject({ code: '42501' });
});

test('a student cannot set media, nor can an instructor who is not an editor', async () => {
  const [author, student, other] = await Promise.all([createUser({ role: 'instructor' }), createUser(), createUser({ role: 'instructor' })]);
  const id = await importOne(author, true);
  const asStudent = await student.db.rpc('update_question', { p_id: id, p_expected_version: 1, p_changes: { media: [image(id)] } });
  expect(asStudent.error).toMatchObject({ code: '42501' });
  const patch = await student.db.from('questions').update({ media: [image(id)] }).eq('id', id).select('id');
  // The update policy matches no row for a student: nothing to change, nothing changed.
  expect(patch).toMatchObject({ error: null, data: [] });
  const asOther = await other.db.rpc('update_question', { p_id: id, p_expected_version: 1, p_changes: { media: [image(id)] } });
  expect(asOther.error).toMatchObject({ code: 'not_question_editor' });
  expect(await read(id)).toEqual({ version: 1, media: [] });
});
