/**
 * The data side of migration 20261204110000 (first-answer rollups, docs/decisions/017): on a database
 * migrated up to just before it, answers are written under the old rule (every answer counted), then the
 * migration runs and must back-fill the first-answer claims and recompute the rollups. Own database:
 * PGlite in memory, or a fresh Postgres database next to the test database (dropped afterwards).
 */
import { expect, inject, test } from 'vitest';
import { createFreshDatabase, dropDatabase, openEngine, type Engine } from '../supabase/local/db.ts';
import { migrate } from '../supabase/local/migrate.ts';
import { loadConfig } from '../supabase/local/config.ts';

const MIGRATION = '20261204110000';
const INSTRUCTOR = '00000000-0000-4000-8000-00000000a001';
const S1 = '00000000-0000-4000-8000-00000000a011';
const S2 = '00000000-0000-4000-8000-00000000a012';
const COHORT = '00000000-0000-4000-8000-00000000a0c1';
// Monday 2026-11-09 and Monday 2026-11-16: two ISO weeks.
const WEEK1 = '2026-11-10T10:00:00Z';
const WEEK2 = '2026-11-17T10:00:00Z';

async function withScratchDatabase(fn: (engine: Engine) => Promise<void>) {
  // The cluster-wide authenticator password must stay the one the shared test server logs in with.
  const { authenticatorPassword } = loadConfig();
  const base = inject('engine') === 'postgres' ? inject('testDatabaseUrl') : '';
  const url = base ? await createFreshDatabase(base, 'rounds_migration_test') : undefined;
  const engine = await openEngine({ databaseUrl: url, dataDir: 'memory://', authenticatorPassword, poolSize: 1 });
  try {
    await migrate(engine, { seed: false, authenticatorPassword, stopBefore: MIGRATION });
    await fn(engine);
  } finally {
    await engine.close();
    if (url) await dropDatabase(url);
  }
}

interface Rollup {
  user_id: string;
  answered: number;
  correct: number;
}

async function rollups(engine: Engine): Promise<{ all: Rollup[]; weekly: (Rollup & { week_start: string })[] }> {
  return engine.admin(async (tx) => ({
    all: (await tx.query<Rollup & Record<string, unknown>>(
      `select user_id::text, answered, correct from public.leaderboard_all_time order by user_id`)).rows,
    weekly: (await tx.query<Rollup & { week_start: string } & Record<string, unknown>>(
      `select user_id::text, week_start::text, answered, correct from public.leaderboard_weekly order by user_id, week_start`)).rows,
  }));
}

test('the migration back-fills the first answers and recomputes existing rollups under the first-answer rule', async () => {
  await withScratchDatabase(async (engine) => {
    const ids = await engine.admin(async (tx) => {
      await tx.exec(`
        insert into auth.users (instance_id, id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
        values ('00000000-0000-0000-0000-000000000000', '${INSTRUCTOR}', 'authenticated', 'authenticated', 'mig-i@example.com',
                '{"role":"instructor"}', '{"display_name":"Mig Instructor"}', now(), now()),
               ('00000000-0000-0000-0000-000000000000', '${S1}', 'authenticated', 'authenticated', 'mig-s1@example.com',
                '{}', '{"display_name":"Mig One"}', now(), now()),
               ('00000000-0000-0000-0000-000000000000', '${S2}', 'authenticated', 'authenticated', 'mig-s2@example.com',
                '{}', '{"display_name":"Mig Two"}', now(), now());
        insert into public.questions (id, stem, choices, correct_choice, explanation, organ_system, discipline, published)
        overriding system value
        select g, 'Migration question ' || g || ': a vignette long enough for the check.', array['A','B','C','D','E'], 'A',
               'Migration.', 'renal', 'physiology', true
        from generate_series(1, 3) g;
        insert into public.cohorts (id, name, instructor_id, min_answers_to_rank) values ('${COHORT}', 'Migration cohort', '${INSTRUCTOR}', 1);
        insert into public.cohort_members (cohort_id, user_id) values ('${COHORT}', '${S1}'), ('${COHORT}', '${S2}');
        -- The attempts trigger rate-limits by auth.uid(), which an admin script does not have.
        alter table public.attempts disable trigger attempts_before_insert;
        insert into public.attempts (id, user_id, mode, question_ids)
        values ('00000000-0000-4000-8000-0000000a0001', '${S1}', 'tutor', '{1,2}'),
               ('00000000-0000-4000-8000-0000000a0002', '${S1}', 'tutor', '{1,2,3}'),
               ('00000000-0000-4000-8000-0000000a0003', '${S2}', 'tutor', '{1}'),
               ('00000000-0000-4000-8000-0000000a0004', '${S2}', 'tutor', '{1}');
        alter table public.attempts enable trigger attempts_before_insert;`);
      // S1: block 1 in week 1 (q1 wrong, q2 right), block 2 in week 2 (q1 right, q2 right, q3 wrong): 3
      // first answers (q1 wrong, q2 right in week 1; q3 wrong in week 2), 5 answers. The repeat of q1 has
      // an earlier answered_at than the first, but arrived later: it does not count.
      // S2: q1 wrong, then right in a second block (separate inserts, as separate batches would be).
      const rows = [
        ['0001', S1, 1, 'B', '2026-11-10T09:00:00Z', WEEK1],
        ['0001', S1, 2, 'A', '2026-11-10T09:01:00Z', WEEK1],
        ['0002', S1, 1, 'A', '2026-11-10T08:00:00Z', WEEK2],
        ['0002', S1, 2, 'A', WEEK2, WEEK2],
        ['0002', S1, 3, 'C', WEEK2, WEEK2],
        ['0003', S2, 1, 'B', WEEK1, WEEK1],
        ['0004', S2, 1, 'A', WEEK2, WEEK2],
      ] as const;
      const answerIds: string[] = [];
      for (const [i, [attempt, user, q, choice, answeredAt, receivedAt]] of rows.entries()) {
        const id = `00000000-0000-4000-8000-0000000b${String(i).padStart(4, '0')}`;
        answerIds.push(id);
        await tx.query(
          `insert into public.answers (id, attempt_id, question_id, user_id, choice, is_correct, time_spent_ms, answered_at, received_at)
           values ($1, $2, $3, $4, $5::char(1), $5::char(1) = 'A', 30000, $6, $7)`,
          [id, `00000000-0000-4000-8000-0000000a${attempt}`, q, user, choice, answeredAt, receivedAt],
        );
      }
      return answerIds;
    });

    // The old rule counted every answer: S1 5 answered / 3 correct, S2 2 / 1.
    const before = await rollups(engine);
    expect(before.all).toEqual([
      { user_id: S1, answered: 5, correct: 3 },
      { user_id: S2, answered: 2, correct: 1 },
    ]);

    await migrate(engine, { seed: false, authenticatorPassword: loadConfig().authenticatorPassword });

    const after = await rollups(engine);
    expect(after.all).toEqual([
      { user_id: S1, answered: 3, correct: 1 },
      { user_id: S2, answered: 1, correct: 0 },
    ]);
    expect(after.weekly).toEqual([
      { user_id: S1, week_start: '2026-11-09', answered: 2, correct: 1 },
      { user_id: S1, week_start: '2026-11-16', answered: 1, correct: 0 },
      { user_id: S2, week_start: '2026-11-09', answered: 1, correct: 0 },
    ]);
    const claims = await engine.admin((tx) =>
      tx.query<{ answer_id: string }>('select answer_id::text from private.first_answers order by answer_id'));
    expect(claims.rows.map((r) => r.answer_id)).toEqual([ids[0], ids[1], ids[4], ids[5]]);

    // After the migration the trigger keeps the same rule: a repeat changes nothing, a new question counts.
    await engine.admin(async (tx) => {
      await tx.exec(`
        alter table public.attempts disable trigger attempts_before_insert;
        insert into public.attempts (id, user_id, mode, question_ids)
        values ('00000000-0000-4000-8000-0000000a0005', '${S2}', 'tutor', '{1,2}');
        alter table public.attempts enable trigger attempts_before_insert;
        insert into public.answers (id, attempt_id, question_id, user_id, choice, is_correct, time_spent_ms, answered_at)
        values ('00000000-0000-4000-8000-0000000c0001', '00000000-0000-4000-8000-0000000a0005', 1, '${S2}', 'A', true, 1000, now()),
               ('00000000-0000-4000-8000-0000000c0002', '00000000-0000-4000-8000-0000000a0005', 2, '${S2}', 'A', true, 1000, now());`);
    });
    expect((await rollups(engine)).all).toEqual([
      { user_id: S1, answered: 3, correct: 1 },
      { user_id: S2, answered: 2, correct: 1 },
    ]);
  });
});
