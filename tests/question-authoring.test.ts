/**
 * Question authoring: optimistic locking (409 with the current row), field validation (400 with a
 * per-field report), publishing, and all-or-nothing import with a per-row report.
 */
import { expect, test } from 'vitest';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { anonKey, createUser, untypedClient, type TestUser } from './helpers.ts';

const questionRow = z.object({
  id: z.number(),
  stem: z.string(),
  choices: z.array(z.string()),
  correct_choice: z.string(),
  explanation: z.string(),
  organ_system: z.string(),
  discipline: z.string(),
  difficulty: z.number(),
  tags: z.array(z.string()),
  version: z.number(),
  published: z.boolean(),
  created_by: z.string().nullable(),
});

function draft(overrides: Record<string, unknown> = {}) {
  return {
    stem: `A 45-year-old man has crushing chest pain radiating to the left arm (${randomUUID().slice(0, 8)}).`,
    choices: ['Aortic dissection', 'Myocardial infarction', 'Pericarditis', 'Pulmonary embolism', 'GERD'],
    correct_choice: 'B',
    explanation: 'ST elevation with troponin rise (B); not (A) dissection, (C) pericarditis, (D) embolism or (E) reflux.',
    organ_system: 'cardiovascular',
    discipline: 'pathology',
    ...overrides,
  };
}

async function importOne(instructor: TestUser, row = draft()): Promise<number> {
  const { data } = await instructor.db.rpc('import_questions', { p_rows: [row] }).throwOnError();
  return z.array(z.number()).parse(data)[0] ?? 0;
}

const detailsOf = (details: string | undefined): unknown => JSON.parse(details ?? 'null');

test('update_question saves the changes and bumps the version', async () => {
  const author = await createUser({ role: 'instructor' });
  const id = await importOne(author);
  const { data } = await author.db
    .rpc('update_question', { p_id: id, p_expected_version: 1, p_changes: { stem: '  A 46-year-old woman has sudden pleuritic chest pain.  ', difficulty: 4, tags: ['chest pain'] } })
    .throwOnError();
  expect(questionRow.parse(data)).toMatchObject({
    id, version: 2, stem: 'A 46-year-old woman has sudden pleuritic chest pain.', difficulty: 4, tags: ['chest pain'], correct_choice: 'B', published: false,
  });
});

test('a stale editor gets 409 with the current row in details, and nothing changes', async () => {
  const [first, second] = await Promise.all([createUser({ role: 'instructor' }), createUser({ role: 'instructor' })]);
  const id = await importOne(first);
  // Two people editing one question: the author and an editor the author named.
  await first.db.rpc('add_question_editor', { p_email: second.email }).throwOnError();
  await first.db.rpc('update_question', { p_id: id, p_expected_version: 1, p_changes: { explanation: 'Saved by the first editor.' } }).throwOnError();

  const r = await second.db.rpc('update_question', { p_id: id, p_expected_version: 1, p_changes: { explanation: 'Second editor.' } });
  expect([r.status, r.error?.code]).toEqual([409, 'version_conflict']);
  expect(r.error?.message).toBe(`Question ${id} was changed by someone else since you opened it (you edited version 1; it is now version 2).`);
  const current = questionRow.parse(detailsOf(r.error?.details));
  expect([current.id, current.version, current.explanation]).toEqual([id, 2, 'Saved by the first editor.']);

  const { data } = await second.db.from('questions').select('version, explanation').eq('id', id).single().throwOnError();
  expect(data).toEqual({ version: 2, explanation: 'Saved by the first editor.' });
});

test('invalid changes answer 400 with every field problem, and change nothing', async () => {
  const author = await createUser({ role: 'instructor' });
  const id = await importOne(author);
  const r = await author.db.rpc('update_question', {
    p_id: id, p_expected_version: 1,
    p_changes: { difficulty: 7, organ_system: 'heart', choices: ['only', 'four', 'choices', 'here'], published: true },
  });
  expect([r.status, r.error?.code]).toEqual([400, 'invalid_question']);
  expect(detailsOf(r.error?.details)).toEqual([
    { field: 'published', message: expect.stringContaining('is not an editable field') },
    { field: 'choices', message: 'must be a list of exactly 5 choices (A to E)' },
    { field: 'organ_system', message: expect.stringMatching(/^must be one of cardiovascular, respiratory, /) },
    { field: 'difficulty', message: 'must be a whole number from 1 to 5' },
  ]);
  const { data } = await author.db.from('questions').select('version, difficulty').eq('id', id).single().throwOnError();
  expect(data).toEqual({ version: 1, difficulty: 3 });
});

test('authoring errors: 404 for an unknown question, 400 for empty changes, 403 for students', async () => {
  const author = await createUser({ role: 'instructor' });
  const id = await importOne(author);
  const missing = await author.db.rpc('update_question', { p_id: 9_000_000_000, p_expected_version: 1, p_changes: { difficulty: 2 } });
  expect([missing.status, missing.error?.code]).toEqual([404, 'question_not_found']);
  const empty = await author.db.rpc('update_question', { p_id: id, p_expected_version: 1, p_changes: {} });
  expect([empty.status, empty.error?.code]).toEqual([400, '22023']);
  const student = await createUser();
  for (const [fn, args] of [
    ['update_question', { p_id: id, p_expected_version: 1, p_changes: { difficulty: 2 } }],
    ['set_question_published', { p_id: id, p_expected_version: 1, p_published: true }],
    ['import_questions', { p_rows: [draft()] }],
  ] as const) {
    const r = await untypedClient(anonKey, student.accessToken).rpc(fn, args);
    expect([fn, r.status, r.error?.code]).toEqual([fn, 403, '42501']);
  }
});

test('set_question_published checks the version, then students can see the question', async () => {
  const author = await createUser({ role: 'instructor' });
  const student = await createUser();
  const id = await importOne(author);
  await author.db.rpc('update_question', { p_id: id, p_expected_version: 1, p_changes: { difficulty: 5 } }).throwOnError();
  const stale = await author.db.rpc('set_question_published', { p_id: id, p_expected_version: 1, p_published: true });
  expect([stale.status, stale.error?.code]).toEqual([409, 'version_conflict']);
  expect((await student.db.from('questions').select('id').eq('id', id)).data).toEqual([]);

  const { data } = await author.db.rpc('set_question_published', { p_id: id, p_expected_version: 2, p_published: true }).throwOnError();
  expect(questionRow.parse(data)).toMatchObject({ published: true, version: 3, difficulty: 5 });
  expect((await student.db.from('questions').select('id').eq('id', id)).data).toEqual([{ id }]);
});

test('import_questions writes nothing when any row is invalid and reports every problem by row and field', async () => {
  const author = await createUser({ role: 'instructor' });
  const marker = randomUUID().slice(0, 8);
  const r = await author.db.rpc('import_questions', {
    p_rows: [
      draft({ stem: `Valid stem for the import test, marker ${marker}.` }),
      draft({ correct_choice: 'F', explanation: undefined, stem: `Second row marker ${marker}, long enough.` }),
      draft({ organ_system: 'heart', tags: ['ok', ''], difficulty: 2.5 }),
      'not an object',
    ],
  });
  expect([r.status, r.error?.code, r.error?.message]).toEqual([400, 'invalid_rows', '3 of 4 rows have errors; nothing was imported.']);
  expect(detailsOf(r.error?.details)).toEqual([
    { row: 2, field: 'explanation', message: 'is required' },
    { row: 2, field: 'correct_choice', message: 'must be one of A, B, C, D, E' },
    { row: 3, field: 'organ_system', message: expect.stringContaining('must be one of') },
    { row: 3, field: 'difficulty', message: 'must be a whole number from 1 to 5' },
    { row: 3, field: 'tags', message: 'each tag must be text of 1 to 50 characters' },
    { row: 4, field: null, message: 'must be a JSON object' },
  ]);
  const { data } = await author.db.from('questions').select('id').like('stem', `%${marker}%`).throwOnError();
  expect(data).toEqual([]);
});

test('import_questions applies client defaults (Aiken has no explanation or taxonomy) and keeps row order', async () => {
  const author = await createUser({ role: 'instructor' });
  const aiken = ['first', 'second', 'third'].map((w) => ({
    stem: `Aiken question number ${w}: which vessel supplies the SA node most often?`,
    choices: ['Right coronary artery', 'Left circumflex', 'LAD', 'Posterior descending', 'Marginal'],
    correct_choice: 'A',
  }));
  const { data } = await author.db
    .rpc('import_questions', {
      p_rows: aiken,
      p_defaults: { explanation: 'Imported from Aiken; explanation pending.', organ_system: 'cardiovascular', discipline: 'anatomy' },
    })
    .throwOnError();
  const ids = z.array(z.number()).length(3).parse(data);
  const { data: rows } = await author.db.from('questions').select('*').in('id', ids).order('id').throwOnError();
  expect(z.array(questionRow).parse(rows).map((q) => [q.id, q.stem.split(':')[0], q.explanation, q.discipline, q.difficulty, q.tags, q.published, q.version, q.created_by])).toEqual(
    ids.map((id, i) => [id, `Aiken question number ${['first', 'second', 'third'][i]}`, 'Imported from Aiken; explanation pending.', 'anatomy', 3, [], false, 1, author.id]),
  );
});

test('import_questions refuses an empty or oversized batch with 400', async () => {
  const author = await createUser({ role: 'instructor' });
  const empty = await author.db.rpc('import_questions', { p_rows: [] });
  expect([empty.status, empty.error?.code]).toEqual([400, '22023']);
  const big = await author.db.rpc('import_questions', { p_rows: Array.from({ length: 501 }, () => draft()) });
  expect([big.status, big.error?.code, big.error?.message]).toEqual([400, '22023', 'Too many questions in one import: 501 (the limit is 500).']);
});
