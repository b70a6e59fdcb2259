/**
 * RLS on storage.objects for the question-media bucket (supabase/migrations/20261206150000_question_media.sql,
 * docs/decisions/025-question-images.md), through the real supabase-js and the local Storage API: anon, a
 * student, another instructor, the author's editor and the author × published and draft questions × read /
 * sign / list / add / replace / remove. Every cell is asserted. Outcomes are storage-js's `statusCode`
 * ('403' refused by a policy, '404' not visible) or 'ok'.
 */
import { randomUUID } from 'node:crypto';
import { expect, test } from 'vitest';
import { z } from 'zod';
import { admin, client, createUser, type TestUser } from './helpers.ts';

const BUCKET = 'question-media';
const WEBP = new Uint8Array([0x52, 0x49, 0x46, 0x46, 4, 0, 0, 0, 0x57, 0x45, 0x42, 0x50]);

async function ownQuestion(author: TestUser, published: boolean): Promise<number> {
  const row = {
    stem: `Which artery is occluded on this angiogram? (${randomUUID().slice(0, 8)})`,
    choices: ['LAD', 'LCx', 'RCA', 'Left main', 'Ramus'],
    correct_choice: 'A',
    explanation: 'The image shows a proximal LAD cut-off (A); not (B), (C), (D) or (E).',
    organ_system: 'cardiovascular',
    discipline: 'pathology',
  };
  const { data } = await author.db.rpc('import_questions', { p_rows: [row], p_publish: published }).throwOnError();
  return z.array(z.number()).parse(data)[0] ?? 0;
}

const [author, editor, other, student] = await Promise.all([
  createUser({ role: 'instructor', displayName: 'Dr Author' }),
  createUser({ role: 'instructor', displayName: 'Dr Editor' }),
  createUser({ role: 'instructor', displayName: 'Dr Other' }),
  createUser(),
]);
await author.db.rpc('add_question_editor', { p_email: editor.email }).throwOnError();
const [published, draft] = await Promise.all([ownQuestion(author, true), ownQuestion(author, false)]);

type Actor = 'anon' | 'student' | 'other' | 'editor' | 'author';
const actors: Record<Actor, ReturnType<typeof client>> = { anon: client(), student: student.db, other: other.db, editor: editor.db, author: author.db };
const ACTORS = Object.keys(actors) as Actor[];
const media = (who: Actor) => actors[who].storage.from(BUCKET);

function outcome(r: { error: unknown }): string {
  if (!r.error) return 'ok';
  return String((r.error as { statusCode?: unknown }).statusCode);
}

async function each(fn: (who: Actor) => Promise<string>): Promise<Record<Actor, string>> {
  const out = {} as Record<Actor, string>;
  for (const who of ACTORS) out[who] = await fn(who);
  return out;
}

/** A new object of question `id`, uploaded by its author. */
async function authorUploads(id: number, file = `${randomUUID()}.webp`): Promise<string> {
  const name = `q/${id}/${file}`;
  const r = await media('author').upload(name, WEBP, { contentType: 'image/webp' });
  expect(r.error).toBeNull();
  return name;
}

const ONLY_EDITORS = { anon: '403', student: '403', other: '403', editor: 'ok', author: 'ok' };

test("read: a published question's media by every signed-in user, a draft's only by its author and editors; anon nothing", async () => {
  const [pub, dft] = await Promise.all([authorUploads(published, 'stem-960.webp'), authorUploads(draft, 'stem-960.webp')]);
  const read = (name: string) => each(async (who) => outcome(await media(who).download(name)));
  expect(await read(pub)).toEqual({ anon: '404', student: 'ok', other: 'ok', editor: 'ok', author: 'ok' });
  expect(await read(dft)).toEqual({ anon: '404', student: '404', other: '404', editor: 'ok', author: 'ok' });
  // The service role (server-side tools) reads everything.
  expect(outcome(await admin().storage.from(BUCKET).download(dft))).toBe('ok');

  const sign = (name: string) => each(async (who) => outcome(await media(who).createSignedUrl(name, 600)));
  expect(await sign(pub)).toEqual({ anon: '404', student: 'ok', other: 'ok', editor: 'ok', author: 'ok' });
  expect(await sign(dft)).toEqual({ anon: '404', student: '404', other: '404', editor: 'ok', author: 'ok' });

  const listed = (id: number) => each(async (who) => ((await media(who).list(`q/${id}`)).data?.some((f) => f.name === 'stem-960.webp') ? 'listed' : 'hidden'));
  expect(await listed(published)).toEqual({ anon: 'hidden', student: 'listed', other: 'listed', editor: 'listed', author: 'listed' });
  expect(await listed(draft)).toEqual({ anon: 'hidden', student: 'hidden', other: 'hidden', editor: 'listed', author: 'listed' });
});

test("a student's signed URL of published media loads without auth (what an <img> or the offline download fetches)", async () => {
  const name = await authorUploads(published);
  const { data } = await media('student').createSignedUrl(name, 600);
  const res = await fetch(data?.signedUrl ?? '');
  expect([res.status, res.headers.get('content-type'), [...new Uint8Array(await res.arrayBuffer())]]).toEqual([200, 'image/webp', [...WEBP]]);
});

test('add: only the author and the editors, to a published question and to a draft', async () => {
  for (const id of [published, draft]) {
    expect(await each(async (who) => outcome(await media(who).upload(`q/${id}/${who}-${randomUUID()}.webp`, WEBP, { contentType: 'image/webp' })))).toEqual(
      ONLY_EDITORS,
    );
  }
});

test('replace (upsert and update()): only the author and the editors; the bytes change only for them', async () => {
  const name = await authorUploads(published);
  expect(
    await each(async (who) => outcome(await media(who).upload(name, new Uint8Array([1, 2, 3]), { contentType: 'image/webp', upsert: true }))),
  ).toEqual(ONLY_EDITORS);
  const other = await authorUploads(draft);
  expect(await each(async (who) => outcome(await media(who).update(other, new Uint8Array([4, 5, 6]), { contentType: 'image/png' })))).toEqual(
    ONLY_EDITORS,
  );
  const { data } = await media('author').download(other);
  expect([...new Uint8Array((await data?.arrayBuffer()) ?? new ArrayBuffer(0))]).toEqual([4, 5, 6]);
});

test('remove: only the author and the editors; for anyone else nothing is removed', async () => {
  const removed = await each(async (who) => {
    const name = await authorUploads(published);
    const r = await media(who).remove([name]);
    const gone = outcome(await media('author').download(name)) === '404';
    return `${r.data?.length ?? 'error'} removed, ${gone ? 'gone' : 'still there'}`;
  });
  expect(removed).toEqual({
    anon: '0 removed, still there',
    student: '0 removed, still there',
    other: '0 removed, still there',
    editor: '1 removed, gone',
    author: '1 removed, gone',
  });
});

test('names other than q/<question id>/<file>, unknown questions and the Rounds bank are refused even to the author', async () => {
  const { data: bank } = await admin().from('questions').select('id').is('created_by', null).limit(1).single().throwOnError();
  const names = [
    `q/${published}/sub/stem.webp`,
    `q/${published}/.hidden.webp`,
    `q/0${published}/stem.webp`,
    `q/abc/stem.webp`,
    `x/${published}/stem.webp`,
    `stem.webp`,
    `q/999999999999/stem.webp`,
    `q/${bank.id}/stem.webp`,
  ];
  const results = await Promise.all(names.map(async (n) => [n, outcome(await media('author').upload(n, WEBP, { contentType: 'image/webp' }))]));
  expect(Object.fromEntries(results)).toEqual(Object.fromEntries(names.map((n) => [n, '403'])));
});

test('the bucket takes JPEG, PNG and WebP up to 5 MiB: other types are 415, larger files 413', async () => {
  const up = (body: Uint8Array, contentType: string) => media('author').upload(`q/${published}/${randomUUID()}`, body, { contentType });
  expect(await Promise.all(['image/jpeg', 'image/png', 'image/webp'].map(async (t) => outcome(await up(WEBP, t))))).toEqual(['ok', 'ok', 'ok']);
  expect(await Promise.all(['image/gif', 'image/svg+xml', 'text/html', 'application/pdf'].map(async (t) => outcome(await up(WEBP, t))))).toEqual([
    '415',
    '415',
    '415',
    '415',
  ]);
  expect(outcome(await up(new Uint8Array(5 * 1024 * 1024), 'image/webp'))).toBe('ok');
  expect(outcome(await up(new Uint8Array(5 * 1024 * 1024 + 1), 'image/webp'))).toBe('413');
});

test('access follows the question: unpublished, its media is hidden from students again; a removed editor loses it', async () => {
  const [a, e] = await Promise.all([createUser({ role: 'instructor' }), createUser({ role: 'instructor' })]);
  await a.db.rpc('add_question_editor', { p_email: e.email }).throwOnError();
  const id = await ownQuestion(a, true);
  const name = `q/${id}/stem.webp`;
  expect((await a.db.storage.from(BUCKET).upload(name, WEBP, { contentType: 'image/webp' })).error).toBeNull();
  expect(outcome(await student.db.storage.from(BUCKET).download(name))).toBe('ok');

  await a.db.rpc('set_question_published', { p_id: id, p_expected_version: 1, p_published: false }).throwOnError();
  expect(outcome(await student.db.storage.from(BUCKET).download(name))).toBe('404');
  expect(outcome(await e.db.storage.from(BUCKET).download(name))).toBe('ok');

  await a.db.from('question_editors').delete().eq('editor_id', e.id).throwOnError();
  expect(outcome(await e.db.storage.from(BUCKET).download(name))).toBe('404');
  expect(outcome(await e.db.storage.from(BUCKET).upload(`q/${id}/late.webp`, WEBP, { contentType: 'image/webp' }))).toBe('403');
});
