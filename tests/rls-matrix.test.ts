/**
 * RLS matrix: anon, students A and B (same cohort), student C (other cohort), the cohort's instructor I1
 * and another instructor I2 × every table × select / insert / update / delete. Every cell is asserted.
 * Outcomes: visible / empty (RLS hides the row) / ok / none (0 rows affected) / d401 / d403 (refused by
 * a grant or a WITH CHECK: 401 for anon, 403 for signed-in roles, as PostgREST maps 42501).
 */
import { expect, test } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { anonKey, apiUrl, client, untypedClient } from './helpers.ts';
import { buildWorld, createCohort, answer } from './world.ts';

const w = await buildWorld();
type Actor = 'anon' | 'A' | 'B' | 'C' | 'I1' | 'I2';
const actors: Record<Actor, SupabaseClient> = {
  anon: client(),
  A: w.A.db,
  B: w.B.db,
  C: w.C.db,
  I1: w.I1.db,
  I2: w.I2.db,
};
const ACTORS = Object.keys(actors) as Actor[];

interface Res {
  error: { code?: string } | null;
  status: number;
  data?: unknown;
  count?: number | null;
}
function read(r: Res): string {
  if (r.error) return `d${r.status}`;
  return Array.isArray(r.data) && r.data.length > 0 ? 'visible' : 'empty';
}
function wrote(r: Res): string {
  if (r.error) return `d${r.status}`;
  return (r.count ?? 0) > 0 ? 'ok' : 'none';
}
async function each(fn: (db: SupabaseClient, who: Actor) => PromiseLike<string>): Promise<Record<Actor, string>> {
  const out = {} as Record<Actor, string>;
  for (const who of ACTORS) out[who] = await fn(actors[who], who);
  return out;
}

test('profiles: select', async () => {
  expect(await each(async (db) => read(await db.from('profiles').select('id, display_name').eq('id', w.A.id)))).toEqual({
    anon: 'd401', A: 'visible', B: 'empty', C: 'empty', I1: 'visible', I2: 'empty',
  });
});

test('profiles: insert', async () => {
  expect(
    await each(async (db) => {
      const r = await db.from('profiles').insert({ id: randomUUID(), display_name: 'x' });
      return r.error ? `d${r.status}` : 'ok';
    }),
  ).toEqual({ anon: 'd401', A: 'd403', B: 'd403', C: 'd403', I1: 'd403', I2: 'd403' });
});

test('profiles: update', async () => {
  expect(
    await each(async (db) =>
      wrote(await db.from('profiles').update({ leaderboard_alias: 'Renamed' }, { count: 'exact' }).eq('id', w.A.id)),
    ),
  ).toEqual({ anon: 'd401', A: 'ok', B: 'none', C: 'none', I1: 'none', I2: 'none' });
});

test('profiles: nobody can make themselves an instructor', async () => {
  const r = await w.A.db.from('profiles').update({ role: 'instructor' }).eq('id', w.A.id);
  expect(r.status).toBe(403);
  expect(r.error?.code).toBe('42501');
  const { data } = await w.A.db.from('profiles').select('role').eq('id', w.A.id).single();
  expect(data).toEqual({ role: 'student' });
  // Sign-up metadata cannot ask for it either.
  const anon = client();
  const { data: signed } = await anon.auth.signUp({
    email: `sneaky-${randomUUID().slice(0, 8)}@test.local`,
    password: 'correct-horse-battery',
    options: { data: { role: 'instructor', display_name: 'Sneaky' } },
  });
  const sneaky = client(undefined, signed.session?.access_token);
  const { data: prof } = await sneaky.from('profiles').select('role').single();
  expect(prof).toEqual({ role: 'student' });
});

test('profiles: delete', async () => {
  expect(await each(async (db) => wrote(await db.from('profiles').delete({ count: 'exact' }).eq('id', w.A.id)))).toEqual({
    anon: 'd401', A: 'd403', B: 'd403', C: 'd403', I1: 'd403', I2: 'd403',
  });
});

test('cohorts: select', async () => {
  expect(await each(async (db) => read(await db.from('cohorts').select('id').eq('id', w.cohort1.id)))).toEqual({
    anon: 'd401', A: 'visible', B: 'visible', C: 'empty', I1: 'visible', I2: 'empty',
  });
});

test('cohorts: insert (instructors only, only as themselves)', async () => {
  expect(
    await each(async (db, who) => {
      const me = who === 'anon' ? randomUUID() : ({ A: w.A, B: w.B, C: w.C, I1: w.I1, I2: w.I2 }[who]).id;
      const r = await db.from('cohorts').insert({ name: `by ${who}`, instructor_id: me });
      return r.error ? `d${r.status}` : 'ok';
    }),
  ).toEqual({ anon: 'd401', A: 'd403', B: 'd403', C: 'd403', I1: 'ok', I2: 'ok' });
  const forged = await w.I2.db.from('cohorts').insert({ name: 'for someone else', instructor_id: w.I1.id });
  expect(forged.status).toBe(403);
});

test('cohorts: update', async () => {
  expect(
    await each(async (db) => wrote(await db.from('cohorts').update({ name: 'Renamed cohort' }, { count: 'exact' }).eq('id', w.cohort1.id))),
  ).toEqual({ anon: 'd401', A: 'none', B: 'none', C: 'none', I1: 'ok', I2: 'none' });
});

test('cohorts: delete', async () => {
  const scratch = await createCohort(w.I1, 'Scratch');
  expect(
    await each(async (db, who) =>
      wrote(await db.from('cohorts').delete({ count: 'exact' }).eq('id', who === 'I1' ? scratch.id : w.cohort1.id)),
    ),
  ).toEqual({ anon: 'd401', A: 'none', B: 'none', C: 'none', I1: 'ok', I2: 'none' });
});

test('cohort_members: select', async () => {
  expect(
    await each(async (db) => read(await db.from('cohort_members').select('user_id').eq('cohort_id', w.cohort1.id).eq('user_id', w.A.id))),
  ).toEqual({ anon: 'd401', A: 'visible', B: 'empty', C: 'empty', I1: 'visible', I2: 'empty' });
});

test('cohort_members: insert and update are refused (joining goes through join_cohort)', async () => {
  expect(
    await each(async (db, who) => {
      const me = who === 'anon' ? randomUUID() : ({ A: w.A, B: w.B, C: w.C, I1: w.I1, I2: w.I2 }[who]).id;
      const r = await db.from('cohort_members').insert({ cohort_id: w.cohort2.id, user_id: me });
      return r.error ? `d${r.status}` : 'ok';
    }),
  ).toEqual({ anon: 'd401', A: 'd403', B: 'd403', C: 'd403', I1: 'd403', I2: 'd403' });
  expect(
    await each(async (db) =>
      wrote(await db.from('cohort_members').update({ joined_at: new Date().toISOString() }, { count: 'exact' }).eq('user_id', w.A.id)),
    ),
  ).toEqual({ anon: 'd401', A: 'd403', B: 'd403', C: 'd403', I1: 'd403', I2: 'd403' });
});

test('cohort_members: delete (the member leaves, or the instructor removes)', async () => {
  const others = await each(async (db, who) =>
    who === 'A' || who === 'I1'
      ? 'skip'
      : wrote(await db.from('cohort_members').delete({ count: 'exact' }).eq('cohort_id', w.cohort1.id).eq('user_id', w.A.id)),
  );
  expect(others).toEqual({ anon: 'd401', A: 'skip', B: 'none', C: 'none', I1: 'skip', I2: 'none' });
  // A member leaves on their own; the instructor removes another student.
  const self = await w.D.db.from('cohort_members').delete({ count: 'exact' }).eq('cohort_id', w.cohort1.id).eq('user_id', w.D.id);
  expect(wrote(self)).toBe('ok');
  const removed = await w.I1.db.from('cohort_members').delete({ count: 'exact' }).eq('cohort_id', w.cohort1.id).eq('user_id', w.E.id);
  expect(wrote(removed)).toBe('ok');
});

test('questions: select published and drafts', async () => {
  const qid = w.questionIds[0];
  expect(await each(async (db) => read(await db.from('questions').select('id, correct_choice, explanation').eq('id', qid)))).toEqual({
    anon: 'd401', A: 'visible', B: 'visible', C: 'visible', I1: 'visible', I2: 'visible',
  });
  const { data: draft } = await w.I1.db
    .from('questions')
    .insert(draftQuestion(w.I1.id))
    .select('id')
    .single()
    .throwOnError();
  // A draft is its author's (and the author's editors'): another instructor does not see it.
  expect(await each(async (db) => read(await db.from('questions').select('id').eq('id', draft?.id)))).toEqual({
    anon: 'd401', A: 'empty', B: 'empty', C: 'empty', I1: 'visible', I2: 'empty',
  });
});

function draftQuestion(createdBy: string) {
  return {
    stem: 'A 30-year-old draft vignette that is long enough to pass the check. Which is correct?',
    choices: ['One', 'Two', 'Three', 'Four', 'Five'],
    correct_choice: 'C',
    explanation: 'Draft explanation.',
    organ_system: 'renal',
    discipline: 'physiology',
    difficulty: 2,
    tags: ['draft'],
    published: false,
    created_by: createdBy,
  };
}

test('questions: insert', async () => {
  expect(
    await each(async (db, who) => {
      const me = who === 'anon' ? randomUUID() : ({ A: w.A, B: w.B, C: w.C, I1: w.I1, I2: w.I2 }[who]).id;
      const r = await db.from('questions').insert(draftQuestion(me));
      return r.error ? `d${r.status}` : 'ok';
    }),
  ).toEqual({ anon: 'd401', A: 'd403', B: 'd403', C: 'd403', I1: 'ok', I2: 'ok' });
});

test('questions: update (the author only; another instructor is refused out loud)', async () => {
  const { data } = await w.I1.db.from('questions').insert(draftQuestion(w.I1.id)).select('id').single().throwOnError();
  expect(
    await each(async (db) => wrote(await db.from('questions').update({ difficulty: 4 }, { count: 'exact' }).eq('id', data?.id))),
  ).toEqual({ anon: 'd401', A: 'none', B: 'none', C: 'none', I1: 'ok', I2: 'none' });
  const { data: published } = await w.I1.db
    .from('questions')
    // Published questions explain every wrong choice by letter (tests/seed.test.ts reads the whole bank).
    .insert({ ...draftQuestion(w.I1.id), published: true, explanation: 'C is right; (A), (B), (D) and (E) are not.' })
    .select('id')
    .single()
    .throwOnError();
  expect(
    await each(async (db) => wrote(await db.from('questions').update({ difficulty: 4 }, { count: 'exact' }).eq('id', published?.id))),
  ).toEqual({ anon: 'd401', A: 'none', B: 'none', C: 'none', I1: 'ok', I2: 'd403' });
  // The seeded bank has no author: nobody edits it through the API.
  expect(
    await each(async (db) => wrote(await db.from('questions').update({ difficulty: 4 }, { count: 'exact' }).eq('id', w.questionIds[0]))),
  ).toEqual({ anon: 'd401', A: 'none', B: 'none', C: 'none', I1: 'd403', I2: 'd403' });
});

test('question_editors: select, insert, update, delete', async () => {
  const { data: named } = await w.I1.db.rpc('add_question_editor', { p_email: w.I2.email }).throwOnError();
  expect(named).toEqual({ editor_id: w.I2.id, display_name: 'Dr Two' });
  expect(await each(async (db) => read(await db.from('question_editors').select('editor_id').eq('owner_id', w.I1.id)))).toEqual({
    anon: 'd401', A: 'empty', B: 'empty', C: 'empty', I1: 'visible', I2: 'visible',
  });
  expect(
    await each(async (db, who) => {
      const me = who === 'anon' ? randomUUID() : ({ A: w.A, B: w.B, C: w.C, I1: w.I1, I2: w.I2 }[who]).id;
      const r = await db.from('question_editors').insert({ owner_id: me, editor_id: who === 'I2' ? w.I1.id : w.I2.id });
      return r.error ? `d${r.status}` : 'ok';
    }),
  ).toEqual({ anon: 'd401', A: 'd403', B: 'd403', C: 'd403', I1: 'd409', I2: 'ok' });
  expect(
    await each(async (db) =>
      wrote(await db.from('question_editors').update({ editor_id: w.A.id }, { count: 'exact' }).eq('owner_id', w.I1.id)),
    ),
  ).toEqual({ anon: 'd401', A: 'd403', B: 'd403', C: 'd403', I1: 'd403', I2: 'd403' });
  const others = await each(async (db, who) =>
    who === 'I1' ? 'skip' : wrote(await db.from('question_editors').delete({ count: 'exact' }).eq('owner_id', w.I1.id)),
  );
  expect(others).toEqual({ anon: 'd401', A: 'none', B: 'none', C: 'none', I1: 'skip', I2: 'none' });
  expect(wrote(await w.I1.db.from('question_editors').delete({ count: 'exact' }).eq('owner_id', w.I1.id))).toBe('ok');
});

test('questions: delete is refused to everyone (unpublish instead)', async () => {
  expect(await each(async (db) => wrote(await db.from('questions').delete({ count: 'exact' }).eq('id', w.questionIds[0])))).toEqual({
    anon: 'd401', A: 'd403', B: 'd403', C: 'd403', I1: 'd403', I2: 'd403',
  });
});

test('attempts: select', async () => {
  expect(await each(async (db) => read(await db.from('attempts').select('id').eq('id', w.attemptId)))).toEqual({
    anon: 'd401', A: 'visible', B: 'empty', C: 'empty', I1: 'visible', I2: 'empty',
  });
});

test('attempts: insert (own only)', async () => {
  expect(
    await each(async (db) => {
      const r = await db.from('attempts').insert({ id: randomUUID(), mode: 'tutor', question_ids: w.questionIds.slice(0, 2) });
      return r.error ? `d${r.status}` : 'ok';
    }),
  ).toEqual({ anon: 'd401', A: 'ok', B: 'ok', C: 'ok', I1: 'ok', I2: 'ok' });
  const forged = await w.B.db.from('attempts').insert({ id: randomUUID(), user_id: w.A.id, mode: 'tutor', question_ids: w.questionIds.slice(0, 2) });
  expect(forged.status).toBe(403);
});

test('attempts: update (owner completes; nothing else is writable)', async () => {
  expect(
    await each(async (db) =>
      wrote(await db.from('attempts').update({ completed_at: new Date().toISOString() }, { count: 'exact' }).eq('id', w.attemptId)),
    ),
  ).toEqual({ anon: 'd401', A: 'ok', B: 'none', C: 'none', I1: 'none', I2: 'none' });
  const widen = await w.A.db.from('attempts').update({ question_ids: w.questionIds }).eq('id', w.attemptId);
  expect(widen.status).toBe(403);
});

test('attempts: delete is refused', async () => {
  expect(await each(async (db) => wrote(await db.from('attempts').delete({ count: 'exact' }).eq('id', w.attemptId)))).toEqual({
    anon: 'd401', A: 'd403', B: 'd403', C: 'd403', I1: 'd403', I2: 'd403',
  });
});

// Assignments (#18): readable by the cohort (members A, B and its instructor I1); set, edited and removed
// by I1 only. tests/assignments.test.ts covers results and the blocks students take.
async function newAssignment(): Promise<string> {
  const { data } = await w.I1.db
    .from('assignments')
    .insert({ cohort_id: w.cohort1.id, title: 'Matrix', mode: 'tutor', question_ids: w.questionIds.slice(0, 2), due_at: new Date(Date.now() + 86_400_000).toISOString() })
    .select('id')
    .single()
    .throwOnError();
  return data.id;
}

test('assignments: select', async () => {
  const id = await newAssignment();
  expect(await each(async (db) => read(await db.from('assignments').select('id').eq('id', id)))).toEqual({
    anon: 'd401', A: 'visible', B: 'visible', C: 'empty', I1: 'visible', I2: 'empty',
  });
});

test('assignments: insert (the cohort\'s instructor only)', async () => {
  expect(
    await each(async (db) => {
      const r = await db
        .from('assignments')
        .insert({ cohort_id: w.cohort1.id, title: 'Mine now', mode: 'tutor', question_ids: w.questionIds.slice(0, 1), due_at: new Date(Date.now() + 86_400_000).toISOString() });
      return r.error ? `d${r.status}` : 'ok';
    }),
  ).toEqual({ anon: 'd401', A: 'd403', B: 'd403', C: 'd403', I1: 'ok', I2: 'd403' });
});

test('assignments: update and delete (the cohort\'s instructor only)', async () => {
  const id = await newAssignment();
  expect(
    await each(async (db) => wrote(await db.from('assignments').update({ title: 'Renamed' }, { count: 'exact' }).eq('id', id))),
  ).toEqual({ anon: 'd401', A: 'none', B: 'none', C: 'none', I1: 'ok', I2: 'none' });
  const others = await each(async (db, who) => (who === 'I1' ? 'skip' : wrote(await db.from('assignments').delete({ count: 'exact' }).eq('id', id))));
  expect(others).toEqual({ anon: 'd401', A: 'none', B: 'none', C: 'none', I1: 'skip', I2: 'none' });
  expect(wrote(await w.I1.db.from('assignments').delete({ count: 'exact' }).eq('id', id))).toBe('ok');
});

test('live_sessions and live_questions: the cohort reads; only its instructor starts; nobody writes them directly', async () => {
  const ids: Partial<Record<Actor, string>> = {};
  expect(
    await each(async (db, who) => {
      const id = randomUUID();
      ids[who] = id;
      const r = await db.from('live_sessions').insert({ id, cohort_id: w.cohort1.id, title: 'Live', question_ids: w.questionIds.slice(0, 2) });
      return r.error ? `d${r.status}` : 'ok';
    }),
  ).toEqual({ anon: 'd401', A: 'd403', B: 'd403', C: 'd403', I1: 'ok', I2: 'd403' });
  const id = ids.I1 ?? '';
  expect(await each(async (db) => read(await db.from('live_sessions').select('id').eq('id', id)))).toEqual({
    anon: 'd401', A: 'visible', B: 'visible', C: 'empty', I1: 'visible', I2: 'empty',
  });
  expect(await each(async (db) => wrote(await db.from('live_sessions').update({ title: 'Renamed' }, { count: 'exact' }).eq('id', id)))).toEqual({
    anon: 'd401', A: 'd403', B: 'd403', C: 'd403', I1: 'd403', I2: 'd403',
  });
  expect(await each(async (db) => wrote(await db.from('live_sessions').delete({ count: 'exact' }).eq('id', id)))).toEqual({
    anon: 'd401', A: 'd403', B: 'd403', C: 'd403', I1: 'd403', I2: 'd403',
  });
  await w.I1.db.rpc('next_live_question', { p_session_id: id }).throwOnError();
  expect(await each(async (db) => read(await db.from('live_questions').select('position').eq('session_id', id)))).toEqual({
    anon: 'd401', A: 'visible', B: 'visible', C: 'empty', I1: 'visible', I2: 'empty',
  });
  expect(
    await each(async (db) => wrote(await db.from('live_questions').update({ closes_at: new Date(Date.now() + 3_600_000).toISOString() }, { count: 'exact' }).eq('session_id', id))),
  ).toEqual({ anon: 'd401', A: 'd403', B: 'd403', C: 'd403', I1: 'd403', I2: 'd403' });
  expect(
    await each(async (db) => {
      const r = await db.from('live_questions').insert({ session_id: id, position: 1, question_id: w.questionIds[1], choices_at: new Date().toISOString(), closes_at: new Date(Date.now() + 60_000).toISOString() });
      return r.error ? `d${r.status}` : 'ok';
    }),
  ).toEqual({ anon: 'd401', A: 'd403', B: 'd403', C: 'd403', I1: 'd403', I2: 'd403' });
  await w.I1.db.rpc('end_live_session', { p_session_id: id }).throwOnError();
});

test('answers: select', async () => {
  expect(await each(async (db) => read(await db.from('answers').select('id, is_correct').eq('id', w.answerId)))).toEqual({
    anon: 'd401', A: 'visible', B: 'empty', C: 'empty', I1: 'visible', I2: 'empty',
  });
});

test('answers: direct insert, update and delete are refused (only submit_answers writes)', async () => {
  const row = { ...answer(w.attemptId, w.questionIds[1] ?? 0, 'A'), user_id: w.A.id, is_correct: true };
  expect(
    await each(async (db) => {
      const r = await db.from('answers').insert(row);
      return r.error ? `d${r.status}` : 'ok';
    }),
  ).toEqual({ anon: 'd401', A: 'd403', B: 'd403', C: 'd403', I1: 'd403', I2: 'd403' });
  expect(await each(async (db) => wrote(await db.from('answers').update({ is_correct: true }, { count: 'exact' }).eq('id', w.answerId)))).toEqual({
    anon: 'd401', A: 'd403', B: 'd403', C: 'd403', I1: 'd403', I2: 'd403',
  });
  expect(await each(async (db) => wrote(await db.from('answers').delete({ count: 'exact' }).eq('id', w.answerId)))).toEqual({
    anon: 'd401', A: 'd403', B: 'd403', C: 'd403', I1: 'd403', I2: 'd403',
  });
});

for (const table of ['leaderboard_all_time', 'leaderboard_weekly'] as const) {
  test(`${table}: select`, async () => {
    expect(
      await each(async (db) => read(await db.from(table).select('user_id, answered').eq('cohort_id', w.cohort1.id).eq('user_id', w.A.id))),
    ).toEqual({ anon: 'd401', A: 'visible', B: 'empty', C: 'empty', I1: 'visible', I2: 'empty' });
  });

  test(`${table}: insert, update and delete are refused (triggers maintain it)`, async () => {
    expect(
      await each(async (db) => {
        const r = await db.from(table).insert({ cohort_id: w.cohort1.id, user_id: w.B.id, answered: 999, correct: 999, ...(table === 'leaderboard_weekly' ? { week_start: '2026-11-16' } : {}) });
        return r.error ? `d${r.status}` : 'ok';
      }),
    ).toEqual({ anon: 'd401', A: 'd403', B: 'd403', C: 'd403', I1: 'd403', I2: 'd403' });
    expect(await each(async (db) => wrote(await db.from(table).update({ correct: 999 }, { count: 'exact' }).eq('user_id', w.A.id)))).toEqual({
      anon: 'd401', A: 'd403', B: 'd403', C: 'd403', I1: 'd403', I2: 'd403',
    });
    expect(await each(async (db) => wrote(await db.from(table).delete({ count: 'exact' }).eq('user_id', w.A.id)))).toEqual({
      anon: 'd401', A: 'd403', B: 'd403', C: 'd403', I1: 'd403', I2: 'd403',
    });
  });
}

test('the rate-limit table is not reachable through the API', async () => {
  const r = await untypedClient(anonKey, w.A.accessToken).from('rate_limit_calls').select('*');
  expect(r.status).toBe(404);
  const raw = await fetch(`${apiUrl()}/rest/v1/rate_limit_calls`, {
    headers: { apikey: anonKey, Authorization: `Bearer ${w.A.accessToken}`, 'Accept-Profile': 'private' },
  });
  expect(raw.status).toBe(406);
});

test('RPCs refuse anonymous callers', async () => {
  const anon = actors.anon;
  const s = await anon.rpc('submit_answers', { answers: [] });
  expect(s.status).toBe(401);
  const j = await anon.rpc('join_cohort', { code: w.cohort1.join_code });
  expect(j.status).toBe(401);
  const l = await anon.rpc('get_leaderboard', { p_cohort_id: w.cohort1.id });
  expect(l.status).toBe(401);
});
