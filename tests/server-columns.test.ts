/**
 * Columns the server sets stay the server's (docs/decisions/018-privileges-in-both-modes.md): the column
 * grants refuse them to students and instructors, and a trigger refuses them even to a role that holds
 * the whole table — the service role does (its table-level UPDATE), and so would every API role on a
 * database where Supabase's default privileges are on and a migration forgot its revoke.
 */
import { expect, inject, test } from 'vitest';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { z } from 'zod';
import { admin, createUser, untypedAdmin } from './helpers.ts';
import { answer, buildWorld, createCohort, publishedQuestionIds, startAttempt } from './world.ts';

const w = await buildWorld();

test('a student cannot rewrite their attempt, its start or their profile (403, nothing changes)', async () => {
  const before = await w.A.db.from('attempts').select('question_ids, started_at, mode').eq('id', w.attemptId).single().throwOnError();
  const forged = [
    { question_ids: w.questionIds },
    { started_at: '2020-01-01T00:00:00Z' },
    { mode: 'timed', time_limit_seconds: 60 },
    { user_id: w.B.id },
  ];
  for (const patch of forged) {
    const r = await w.A.db.from('attempts').update(patch).eq('id', w.attemptId);
    expect(r.status, JSON.stringify(patch)).toBe(403);
    expect(r.error?.code).toBe('42501');
  }
  const after = await w.A.db.from('attempts').select('question_ids, started_at, mode').eq('id', w.attemptId).single().throwOnError();
  expect(after.data).toEqual(before.data);

  for (const patch of [{ created_at: '2020-01-01T00:00:00Z' }, { role: 'instructor' }, { id: randomUUID() }]) {
    const r = await w.A.db.from('profiles').update(patch).eq('id', w.A.id);
    expect(r.status, JSON.stringify(patch)).toBe(403);
  }
});

test('the service role holds the whole table, and still cannot change what the server set (42501)', async () => {
  // Untyped: the probes below name tables and columns from a list.
  const service = untypedAdmin();
  const stored = await service.from('answers').select('choice, is_correct').eq('id', w.answerId).single().throwOnError();
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['attempts', { question_ids: w.questionIds }, 'id', w.attemptId],
    ['attempts', { started_at: '2020-01-01T00:00:00Z' }, 'id', w.attemptId],
    ['attempts', { user_id: w.B.id }, 'id', w.attemptId],
    ['answers', { is_correct: true }, 'id', w.answerId],
    ['answers', { choice: 'E', is_correct: false }, 'id', w.answerId],
    ['profiles', { created_at: '2020-01-01T00:00:00Z' }, 'id', w.A.id],
    ['cohorts', { instructor_id: w.I2.id }, 'id', w.cohort1.id],
    ['cohorts', { join_code: 'PROBE123' }, 'id', w.cohort1.id],
  ];
  for (const [table, patch, col, id] of cases) {
    const r = await service.from(table).update(patch, { count: 'exact' }).eq(col, id);
    expect(r.error?.code, `${table} ${JSON.stringify(patch)}`).toBe('42501');
    expect(r.error?.message).toMatch(/cannot be changed/);
  }
  const { data } = await service.from('answers').select('choice, is_correct').eq('id', w.answerId).single().throwOnError();
  expect(data).toEqual(stored.data);
  // What the service role is for keeps working: making an instructor, and changing mutable columns.
  const s = await createUser();
  await service.from('profiles').update({ role: 'instructor' }).eq('id', s.id).throwOnError();
  const { data: promoted } = await s.db.from('profiles').select('role').eq('id', s.id).single().throwOnError();
  expect(promoted).toEqual({ role: 'instructor' });
});

test('join codes come from the server only: writing one is refused the same way whether it exists or not', async () => {
  const mine = await createCohort(w.I2);
  const taken = await w.I2.db.from('cohorts').update({ join_code: w.cohort1.join_code }).eq('id', mine.id);
  const free = await w.I2.db.from('cohorts').update({ join_code: 'FREECODE9' }).eq('id', mine.id);
  expect([taken.status, taken.error?.code]).toEqual([403, '42501']);
  expect([free.status, free.error?.code]).toEqual([403, '42501']);
  const chosen = await w.I2.db.from('cohorts').insert({ name: 'Chosen code', instructor_id: w.I2.id, join_code: 'CHOSEN99' });
  expect(chosen.status).toBe(403);
  const { data } = await w.I2.db.from('cohorts').select('join_code').eq('id', mine.id).single().throwOnError();
  expect(data).toEqual({ join_code: mine.join_code });
  // The one way to change it.
  const { data: rotated } = await w.I2.db.rpc('rotate_join_code', { p_cohort_id: mine.id }).throwOnError();
  expect(z.string().regex(/^[A-Z0-9]{8}$/).parse(rotated)).not.toBe(mine.join_code);
});

test('the service role cannot choose a cohort code or creation time either', async () => {
  const { data } = await admin()
    .from('cohorts')
    .insert({ name: 'Service cohort', instructor_id: w.I1.id, join_code: 'CHOSEN77', created_at: '2020-01-01T00:00:00Z' })
    .select('join_code, created_at')
    .single()
    .throwOnError();
  const row = z.object({ join_code: z.string(), created_at: z.string() }).parse(data);
  expect(row.join_code).not.toBe('CHOSEN77');
  expect(new Date(row.created_at).getFullYear()).toBeGreaterThan(2020);
});

test('an attempt carries at most 4 KiB of filters (400, nothing stored)', async () => {
  const [q] = await publishedQuestionIds(w.A, 1);
  const id = randomUUID();
  const r = await w.A.db.from('attempts').insert({ id, mode: 'tutor', question_ids: [q ?? 0], filters: { pad: 'x'.repeat(5000) } });
  expect(r.status).toBe(400);
  expect(r.error?.code).toBe('23514');
  const { data } = await w.A.db.from('attempts').select('id').eq('id', id).throwOnError();
  expect(data).toEqual([]);
  expect(await startAttempt(w.A, [q ?? 0])).toMatch(/^[0-9a-f-]{36}$/);
});

// With a broad grant in force (as Supabase's default privileges give every API role), a signed-in user is
// still stopped by the triggers. Needs a second connection to the database, so Postgres only; the grant
// lives in a transaction that is rolled back.
test.runIf(inject('engine') === 'postgres')('with every table granted to authenticated, the triggers still refuse', async () => {
  const db = new pg.Client({ connectionString: inject('testDatabaseUrl') });
  await db.connect();
  const attempt = await startAttempt(w.B, w.questionIds.slice(0, 2));
  const { data: stored } = await w.B.db.rpc('submit_answers', { answers: [answer(attempt, w.questionIds[0] ?? 0, 'B')] }).throwOnError();
  expect(stored).toHaveLength(1);
  const tryAs = async (sql: string, params: unknown[]): Promise<string> => {
    await db.query('begin');
    try {
      await db.query('grant all on all tables in schema public to authenticated');
      await db.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [
        JSON.stringify({ sub: w.B.id, role: 'authenticated' }),
      ]);
      await db.query(sql, params);
      return 'changed';
    } catch (e) {
      return z.object({ code: z.string() }).parse(e).code;
    } finally {
      await db.query('rollback');
    }
  };
  try {
    expect(await tryAs(`update public.profiles set role = 'instructor' where id = $1`, [w.B.id])).toBe('42501');
    expect(await tryAs(`update public.attempts set question_ids = $2 where id = $1`, [attempt, w.questionIds])).toBe('42501');
    expect(await tryAs(`update public.attempts set started_at = now() - interval '1 year' where id = $1`, [attempt])).toBe('42501');
    expect(await tryAs(`update public.profiles set created_at = now() - interval '1 year' where id = $1`, [w.B.id])).toBe('42501');
    // What the student may change still changes (the grant is not what is being tested here).
    expect(await tryAs(`update public.profiles set leaderboard_alias = 'Still me' where id = $1`, [w.B.id])).toBe('changed');
  } finally {
    await db.end();
  }
});
