/**
 * Questions belong to their author (docs/decisions/019-question-ownership-and-cohort-members.md): only
 * the author or the editors the author names change a question, by any path (update_question,
 * set_question_published, a direct PATCH); drafts are readable only by them; the Rounds bank (seeded,
 * no author) is changed only by the service role; editors are instructors, never students or oneself.
 */
import { expect, test } from 'vitest';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { admin, createUser, type TestUser } from './helpers.ts';

const versionRow = z.object({ version: z.number(), explanation: z.string(), published: z.boolean(), difficulty: z.number() });

function draft() {
  return {
    stem: `A 52-year-old woman has fatigue and a low ferritin; which test comes next? (${randomUUID().slice(0, 8)})`,
    choices: ['Colonoscopy', 'Bone marrow biopsy', 'Hemoglobin electrophoresis', 'Serum B12', 'Reticulocyte count'],
    correct_choice: 'A',
    explanation: 'Iron deficiency after menopause is GI blood loss until shown otherwise (A); not (B), (C), (D) or (E).',
    organ_system: 'hematology_oncology',
    discipline: 'pathology',
  };
}

async function ownQuestion(author: TestUser, opts: { published: boolean }): Promise<number> {
  const { data } = await author.db.rpc('import_questions', { p_rows: [draft()], p_publish: opts.published }).throwOnError();
  return z.array(z.number()).parse(data)[0] ?? 0;
}

const stored = async (id: number) =>
  versionRow.parse((await admin().from('questions').select('version, explanation, published, difficulty').eq('id', id).single().throwOnError()).data);

/** Every way an instructor can change question `id` at `version`; each answer's status and code. */
async function tryEveryEdit(editor: TestUser, id: number, version: number) {
  const update = await editor.db.rpc('update_question', { p_id: id, p_expected_version: version, p_changes: { correct_choice: 'E' } });
  const publish = await editor.db.rpc('set_question_published', { p_id: id, p_expected_version: version, p_published: false });
  const patch = await editor.db.from('questions').update({ explanation: 'Rewritten by someone else: (A), (B), (C), (D), (E).' }, { count: 'exact' }).eq('id', id);
  return [update, publish, patch].map((r) => ({ status: r.status, code: r.error?.code, message: r.error?.message, hint: r.error?.hint }));
}

const refused = (hint: string) => ({
  status: 403,
  code: 'not_question_editor',
  message: "Only the question's author or its editors can change it.",
  hint,
});

test("another instructor cannot change an author's question by any path (403, nothing changes, version unchanged)", async () => {
  const [author, other] = await Promise.all([createUser({ role: 'instructor' }), createUser({ role: 'instructor' })]);
  const id = await ownQuestion(author, { published: true });
  const before = await stored(id);
  expect(await tryEveryEdit(other, id, before.version)).toEqual(Array(3).fill(refused('Ask its author to add you as an editor.')));
  expect(await stored(id)).toEqual(before);
  // The author still can.
  await author.db.rpc('update_question', { p_id: id, p_expected_version: before.version, p_changes: { difficulty: 4 } }).throwOnError();
  expect(await stored(id)).toMatchObject({ version: before.version + 1, difficulty: 4 });
});

test('an author names an editor by email, who can then edit; removed, they cannot', async () => {
  const [author, colleague] = await Promise.all([
    createUser({ role: 'instructor', displayName: 'Dr Author' }),
    createUser({ role: 'instructor', displayName: 'Dr Colleague' }),
  ]);
  const published = await ownQuestion(author, { published: true });
  const drafted = await ownQuestion(author, { published: false });
  expect((await colleague.db.from('questions').select('id').eq('id', drafted)).data).toEqual([]);

  const added = await author.db.rpc('add_question_editor', { p_email: `  ${colleague.email.toUpperCase()} ` });
  expect([added.status, added.data]).toEqual([200, { editor_id: colleague.id, display_name: 'Dr Colleague' }]);
  // Idempotent.
  await author.db.rpc('add_question_editor', { p_email: colleague.email }).throwOnError();
  const { data: editors } = await author.db.rpc('get_question_editors').throwOnError();
  expect(editors).toEqual([{ editor_id: colleague.id, display_name: 'Dr Colleague', added_at: expect.any(String) }]);
  // The editor sees the row that names them, and the author's drafts.
  expect((await colleague.db.from('question_editors').select('owner_id, editor_id')).data).toEqual([{ owner_id: author.id, editor_id: colleague.id }]);
  expect((await colleague.db.from('questions').select('id').eq('id', drafted)).data).toEqual([{ id: drafted }]);

  const v = (await stored(published)).version;
  await colleague.db.rpc('update_question', { p_id: published, p_expected_version: v, p_changes: { explanation: 'Edited by the editor: (A) is right; (B), (C), (D) and (E) are not.' } }).throwOnError();
  await colleague.db.rpc('set_question_published', { p_id: drafted, p_expected_version: 1, p_published: true }).throwOnError();
  const patch = await colleague.db.from('questions').update({ difficulty: 2 }, { count: 'exact' }).eq('id', published);
  expect([patch.status, patch.count]).toEqual([204, 1]);
  expect(await stored(published)).toMatchObject({ version: v + 2, explanation: 'Edited by the editor: (A) is right; (B), (C), (D) and (E) are not.', difficulty: 2 });
  expect(await stored(drafted)).toMatchObject({ version: 2, published: true });

  // Only the author removes (the editor's delete matches nothing); once removed, the editor cannot edit.
  const notMine = await colleague.db.from('question_editors').delete({ count: 'exact' }).eq('owner_id', author.id);
  expect(notMine.count).toBe(0);
  const removed = await author.db.from('question_editors').delete({ count: 'exact' }).eq('editor_id', colleague.id);
  expect(removed.count).toBe(1);
  const after = await stored(published);
  expect(await tryEveryEdit(colleague, published, after.version)).toEqual(Array(3).fill(refused('Ask its author to add you as an editor.')));
  expect(await stored(published)).toEqual(after);
});

test('the Rounds bank (no author) is changed by nobody through the API but the service role', async () => {
  const instructor = await createUser({ role: 'instructor' });
  const { data } = await admin().from('questions').select('id, version, tags').is('created_by', null).eq('published', true).order('id').limit(1).single().throwOnError();
  const seeded = z.object({ id: z.number(), version: z.number(), tags: z.array(z.string()) }).parse(data);
  const before = await stored(seeded.id);
  expect(await tryEveryEdit(instructor, seeded.id, seeded.version)).toEqual(
    Array(3).fill(refused('This question is part of the Rounds bank, which only the Rounds team changes.')),
  );
  expect(await stored(seeded.id)).toEqual(before);
  // The service role maintains the bank.
  const { count } = await admin().from('questions').update({ tags: seeded.tags }, { count: 'exact' }).eq('id', seeded.id).throwOnError();
  expect(count).toBe(1);
  expect((await stored(seeded.id)).version).toBe(before.version + 1);
});

test('editors are other instructors: not students, not oneself, never on behalf of another author', async () => {
  const [author, other, student] = await Promise.all([createUser({ role: 'instructor' }), createUser({ role: 'instructor' }), createUser()]);
  const viaEmail = await author.db.rpc('add_question_editor', { p_email: student.email });
  expect([viaEmail.status, viaEmail.error?.code, viaEmail.error?.message]).toEqual([400, 'editor_not_found', `No instructor has the email ${student.email}.`]);
  const unknown = await author.db.rpc('add_question_editor', { p_email: 'nobody-here@test.local' });
  expect([unknown.status, unknown.error?.code]).toEqual([400, 'editor_not_found']);
  const self = await author.db.rpc('add_question_editor', { p_email: author.email });
  expect([self.status, self.error?.code]).toEqual([400, '22023']);
  const garbage = await author.db.rpc('add_question_editor', { p_email: 'not an email' });
  expect([garbage.status, garbage.error?.code]).toEqual([400, '22023']);

  // Directly, by id: a student, oneself, or a row in another author's name.
  const direct = await Promise.all([
    author.db.from('question_editors').insert({ editor_id: student.id }),
    author.db.from('question_editors').insert({ editor_id: author.id }),
    other.db.from('question_editors').insert({ owner_id: author.id, editor_id: other.id }),
  ]);
  // RLS refuses the student and the borrowed name (403); naming oneself breaks question_editors_not_self (400).
  expect(direct.map((r) => [r.status, r.error?.code])).toEqual([[403, '42501'], [400, '23514'], [403, '42501']]);
  // Students cannot name anyone, or list authors.
  const byStudent = await student.db.rpc('add_question_editor', { p_email: author.email });
  expect([byStudent.status, byStudent.error?.code]).toEqual([403, '42501']);
  const authors = await student.db.rpc('get_question_authors');
  expect([authors.status, authors.error?.code]).toEqual([403, '42501']);

  const { data } = await admin().from('question_editors').select('editor_id').in('owner_id', [author.id, other.id]).throwOnError();
  expect(data).toEqual([]);
});

test('an editor row cannot be rewritten to point at someone else (no update through the API)', async () => {
  const [author, colleague, third] = await Promise.all([createUser({ role: 'instructor' }), createUser({ role: 'instructor' }), createUser({ role: 'instructor' })]);
  await author.db.rpc('add_question_editor', { p_email: colleague.email }).throwOnError();
  const moved = await author.db.from('question_editors').update({ editor_id: third.id }).eq('editor_id', colleague.id);
  expect(moved.status).toBe(403);
  const hijack = await admin().from('question_editors').update({ owner_id: third.id }).eq('owner_id', author.id);
  expect(hijack.error?.code).toBe('42501');
  const { data } = await admin().from('question_editors').select('owner_id, editor_id').eq('owner_id', author.id).throwOnError();
  expect(data).toEqual([{ owner_id: author.id, editor_id: colleague.id }]);
});

test('get_question_authors names who wrote what the caller can read, and whether the caller may edit it', async () => {
  const [author, colleague, stranger] = await Promise.all([
    createUser({ role: 'instructor', displayName: 'Dr Published' }),
    createUser({ role: 'instructor', displayName: 'Dr Drafts Only' }),
    createUser({ role: 'instructor', displayName: 'Dr Stranger' }),
  ]);
  await ownQuestion(author, { published: true });
  await ownQuestion(colleague, { published: false });
  await colleague.db.rpc('add_question_editor', { p_email: stranger.email }).throwOnError();
  const authorsOf = async (u: TestUser) => {
    const { data } = await u.db.rpc('get_question_authors').throwOnError();
    return z.array(z.object({ author_id: z.string(), display_name: z.string(), can_edit: z.boolean(), is_me: z.boolean() })).parse(data);
  };
  const seenByStranger = await authorsOf(stranger);
  expect(seenByStranger).toEqual(expect.arrayContaining([
    { author_id: author.id, display_name: 'Dr Published', can_edit: false, is_me: false },
    { author_id: colleague.id, display_name: 'Dr Drafts Only', can_edit: true, is_me: false },
    { author_id: stranger.id, display_name: 'Dr Stranger', can_edit: true, is_me: true },
  ]));
  // An author with drafts only is not named to instructors who cannot read those drafts.
  const seenByAuthor = await authorsOf(author);
  expect(seenByAuthor.map((a) => a.author_id)).not.toContain(colleague.id);
  expect(seenByAuthor).toContainEqual({ author_id: author.id, display_name: 'Dr Published', can_edit: true, is_me: true });
});

test('looking instructors up by email is rate limited (10 a minute), misses included', async () => {
  const author = await createUser({ role: 'instructor' });
  const misses = await Promise.all(Array.from({ length: 10 }, (_, i) => author.db.rpc('add_question_editor', { p_email: `miss-${i}@test.local` })));
  expect(misses.map((r) => r.status)).toEqual(Array(10).fill(400));
  const limited = await author.db.rpc('add_question_editor', { p_email: 'one-more@test.local' });
  expect([limited.status, limited.error?.code]).toEqual([429, 'rate_limited']);
});
