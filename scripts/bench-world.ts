/**
 * The data both database benchmarks load (bench-leaderboard, bench-analytics): one cohort of N students
 * and M answers on a fresh Postgres database with every migration applied.
 *
 *   - 1,000 published questions over 6 organ systems × 4 disciplines, 1 instructor and N students
 *     (auth.users rows; the sign-up trigger makes the profiles), all in one cohort; 1 % of the students
 *     opt out of the leaderboard.
 *   - M answers from generate_series: student = i mod N, spread over the last 60 days, per-student skill.
 *     The row-level attempt trigger and the statement-level rollup trigger are disabled during the bulk
 *     load; the first-answer claims (private.first_answers, docs/decisions/017) are then back-filled and
 *     the leaderboard rollups built with one INSERT … SELECT … GROUP BY per table over the first answers
 *     (the same arithmetic as the trigger, with the effective-time expression inlined), checked against
 *     the raw answers. Other rollups (the cohort analytics) are the caller's to build.
 */
import pg from 'pg';
import { performance } from 'node:perf_hooks';
import { createFreshDatabase, dropDatabase, openEngine } from '../supabase/local/db.ts';
import { migrate } from '../supabase/local/migrate.ts';
import { loadConfig } from '../supabase/local/config.ts';

export const INSTRUCTOR = '00000000-0000-4000-8000-00000000b001';
export const COHORT = '00000000-0000-4000-8000-00000000c001';

type Query = (sql: string, params?: unknown[]) => Promise<pg.QueryResult>;

/** A fresh database next to `base` with every migration applied, and an admin client on it. */
export async function openBenchDatabase(base: string): Promise<{ db: pg.Client; q: Query; close: (keep: boolean) => Promise<void> }> {
  const fresh = await createFreshDatabase(base, 'rounds_bench');
  // The authenticator role is cluster-wide: keep the password every local server and test run logs in
  // with, or a bench started next to them would lock their new API connections out.
  const { authenticatorPassword } = loadConfig();
  const engine = await openEngine({ databaseUrl: fresh, dataDir: 'memory://', authenticatorPassword });
  const db = new pg.Client({ connectionString: fresh });
  const close = async (keep: boolean) => {
    await db.end().catch(() => undefined);
    await engine.close().catch(() => undefined);
    if (!keep) await dropDatabase(fresh);
    else console.error(`kept ${fresh}`);
  };
  try {
    await migrate(engine, { seed: false, authenticatorPassword });
    await engine.close();
    await db.connect();
  } catch (e) {
    await close(false);
    throw e;
  }
  return { db, q: (sql, params) => db.query(sql, params), close };
}

/** Loads the cohort (see the header); returns the load time and row counts. */
export async function loadBenchCohort(q: Query, { students: N, answers: M, log }: { students: number; answers: number; log: (s: string) => void }) {
  const secs = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);
  let t = performance.now();
  const tLoad = t;
  await q(`set synchronous_commit = off; set maintenance_work_mem = '256MB'; set work_mem = '64MB'`);
  await q(`insert into public.questions (id, stem, choices, correct_choice, explanation, organ_system, discipline, published)
           overriding system value
           select g, 'Bench question ' || g || ': a vignette long enough for the check.',
                  array['A','B','C','D','E'], 'A', 'Bench.',
                  (array['cardiovascular','respiratory','renal','gastrointestinal','endocrine','nervous'])[1 + g % 6],
                  (array['anatomy','physiology','pathology','pharmacology'])[1 + g % 4], true
           from generate_series(1, 1000) g`);
  await q(`insert into auth.users (instance_id, id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
           values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', 'bench-instructor@example.com',
                   '{"role":"instructor"}', '{"display_name":"Bench Instructor"}', now(), now())`, [INSTRUCTOR]);
  await q(`insert into public.cohorts (id, name, instructor_id, min_answers_to_rank) values ($1, 'Bench cohort', $2, 10)`, [COHORT, INSTRUCTOR]);
  await q(`create table bench_students (s integer primary key, id uuid not null)`);
  await q(`insert into bench_students select g, gen_random_uuid() from generate_series(0, $1 - 1) g`, [N]);
  await q(`insert into auth.users (instance_id, id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
           select '00000000-0000-0000-0000-000000000000', b.id, 'authenticated', 'authenticated', 'bench-' || b.s || '@example.com',
                  '{}', jsonb_build_object('display_name', 'Bench Student ' || b.s), now(), now()
           from bench_students b`);
  await q(`update public.profiles p set leaderboard_opt_out = true from bench_students b where b.id = p.id and b.s % 100 = 0`);
  await q(`insert into public.cohort_members (cohort_id, user_id, joined_at) select $1, b.id, now() - interval '90 days' from bench_students b`, [COHORT]);
  log(`users, profiles, memberships: ${N} students in ${secs(t)} s`);

  t = performance.now();
  const perStudent = Math.ceil(M / N);
  const blocks = Math.ceil(perStudent / 40);
  await q(`alter table public.attempts disable trigger attempts_before_insert`);
  await q(`alter table public.answers disable trigger answers_into_rollups`);
  await q(`insert into public.attempts (id, user_id, mode, question_ids, started_at, created_at)
           select md5('att:' || b.s || ':' || k)::uuid, b.id, 'tutor',
                  array(select 1 + (b.s * 7 + j * 13) % 1000 from generate_series(k * 40, k * 40 + 39) j),
                  now() - interval '60 days', now() - interval '60 days'
           from bench_students b, generate_series(0, $1 - 1) k`, [blocks]);
  log(`attempts: ${N * blocks} in ${secs(t)} s`);
  t = performance.now();
  // Batches of ~1M rows keep memory and WAL bursts bounded.
  const batch = 1_000_000;
  for (let lo = 0; lo < M; lo += batch) {
    const hi = Math.min(M, lo + batch) - 1;
    await q(
      `insert into public.answers (id, attempt_id, question_id, user_id, choice, is_correct, time_spent_ms, answered_at, received_at)
       select gen_random_uuid(), md5('att:' || x.s || ':' || (x.k / 40))::uuid, 1 + (x.s * 7 + x.k * 13) % 1000, b.id,
              case when x.ok then 'A' else 'B' end, x.ok, 20000 + (g % 70000), x.at, x.at + interval '2 seconds'
       from generate_series($1::bigint, $2::bigint) g
       cross join lateral (
         select (g % $3)::integer as s, (g / $3)::integer as k,
                random() < 0.35 + 0.55 * (((g % $3) * 2654435761) % 1000) / 1000.0 as ok,
                now() - interval '60 days' * random() as at
       ) x
       join bench_students b on b.s = x.s`,
      [lo, hi, N],
    );
    log(`  answers ${hi + 1}/${M} (${secs(t)} s)`);
  }
  await q(`alter table public.answers enable trigger answers_into_rollups`);
  await q(`alter table public.attempts enable trigger attempts_before_insert`);
  log(`answers: ${M} in ${secs(t)} s`);

  t = performance.now();
  // The trigger was off: claim each student's first answer per question as it would have (earliest
  // received, then answered_at, then id), then roll up the claimed answers only.
  await q(`insert into private.first_answers (user_id, question_id, answer_id)
           select distinct on (a.user_id, a.question_id) a.user_id, a.question_id, a.id
           from public.answers a
           order by a.user_id, a.question_id, a.received_at, a.answered_at, a.id`);
  await q(`insert into public.leaderboard_all_time (cohort_id, user_id, answered, correct, reached_at, hidden)
           select m.cohort_id, a.user_id, count(*), count(*) filter (where a.is_correct),
                  coalesce(max(least(a.received_at, greatest(a.answered_at, a.received_at - interval '7 days'))) filter (where a.is_correct), 'infinity'),
                  bool_or(p.leaderboard_opt_out)
           from private.first_answers f
           join public.answers a on a.id = f.answer_id
           join public.cohort_members m on m.user_id = a.user_id
           join public.profiles p on p.id = a.user_id
           group by m.cohort_id, a.user_id`);
  await q(`insert into public.leaderboard_weekly (cohort_id, week_start, user_id, answered, correct, reached_at, hidden)
           select m.cohort_id, date_trunc('week', least(a.received_at, greatest(a.answered_at, a.received_at - interval '7 days')) at time zone 'UTC')::date, a.user_id,
                  count(*), count(*) filter (where a.is_correct),
                  coalesce(max(least(a.received_at, greatest(a.answered_at, a.received_at - interval '7 days'))) filter (where a.is_correct), 'infinity'),
                  bool_or(p.leaderboard_opt_out)
           from private.first_answers f
           join public.answers a on a.id = f.answer_id
           join public.cohort_members m on m.user_id = a.user_id
           join public.profiles p on p.id = a.user_id
           group by 1, 2, 3`);
  log(`rollups (INSERT … SELECT … GROUP BY): ${secs(t)} s`);
  t = performance.now();
  await q(`vacuum analyze`);
  log(`vacuum analyze: ${secs(t)} s`);
  const loadSeconds = (performance.now() - tLoad) / 1000;

  const counts = (
    await q(`select (select count(*) from auth.users)::int as users, (select count(*) from public.profiles)::int as profiles,
                    (select count(*) from public.cohort_members)::int as members, (select count(*) from public.answers)::bigint as answers,
                    (select count(*) from public.leaderboard_all_time)::int as all_time_rows,
                    (select count(*) from public.leaderboard_weekly)::int as weekly_rows,
                    (select sum(answered) from public.leaderboard_all_time)::bigint as rollup_answered,
                    (select count(*) from public.leaderboard_all_time where answered >= 10)::int as ranked,
                    (select count(distinct (user_id, question_id)) from public.answers)::bigint as first_answers,
                    pg_size_pretty(pg_total_relation_size('public.answers')) as answers_size,
                    pg_size_pretty(pg_total_relation_size('public.leaderboard_all_time')) as rollup_size`)
  ).rows[0];
  if (Number(counts.rollup_answered) !== Number(counts.first_answers)) throw new Error(`rollups inconsistent: ${JSON.stringify(counts)}`);
  log(`rows: ${JSON.stringify(counts)}`);
  return { loadSeconds, counts };
}
