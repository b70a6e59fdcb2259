/**
 * Instructor reads over answers benchmark: the instructor RPCs that read their students' answers —
 * get_item_statistics, get_student_system_accuracy, export_cohort_results, get_cohort_roster — for a
 * small cohort and a big one run by the SAME instructor, each against the same RPC run without RLS
 * (as the database owner, with the same auth.uid()): what the read costs when nothing but the query
 * itself is paid for. A ratio near 1 means RLS adds nothing; the doubt this answers was that the
 * answers' policy (`user_id = any(readable_user_ids())`, an array of every student the instructor
 * teaches) made every such read slow, the small cohort's too, once the instructor has a big cohort.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres tsx scripts/bench-instructor-reads.ts \
 *     [--students 10000] [--answers 500000] [--small 40] [--small-answers 200] [--reps 5] [--small-reps 15] [--keep]
 *
 * Data: scripts/bench-world.ts (the big cohort: N students, M answers of history, leaderboard rollups),
 * then a second cohort of the same instructor with `--small` students and `--small-answers` answers each
 * (blocks of 40, per-student skill, first answers claimed and the all-time rollup built like bench-world).
 * Each read runs in its own transaction as PostgREST makes it (role authenticated + request.jwt.claims of
 * the instructor) and fetches every row; the baseline runs the same call in the same way but as the
 * superuser the bench connects as (RLS does not apply to it), alternating with it. The first call of each
 * side is compared: the results must be equal (else the bench fails).
 * The human summary is printed first; the LAST line is a JSON summary.
 */
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { nearestRank } from './sampling.ts';
import { COHORT, INSTRUCTOR, loadBenchCohort, openBenchDatabase } from './bench-world.ts';

const { values: args } = parseArgs({
  options: {
    students: { type: 'string', default: '10000' },
    answers: { type: 'string', default: '500000' },
    small: { type: 'string', default: '40' },
    'small-answers': { type: 'string', default: '200' },
    reps: { type: 'string', default: '5' },
    'small-reps': { type: 'string', default: '15' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(args.students);
const M = Number(args.answers);
const SMALL = Number(args.small);
const SMALL_PER = Number(args['small-answers']);
const REPS = Number(args.reps);
const SMALL_REPS = Number(args['small-reps']);
if (![N, M, SMALL, SMALL_PER, REPS, SMALL_REPS].every((n) => Number.isInteger(n) && n > 0)) {
  throw new Error('--students, --answers, --small, --small-answers, --reps and --small-reps must be positive integers');
}
const base = process.env.DATABASE_URL;
if (!base) throw new Error('Set DATABASE_URL to a Postgres server (the bench creates and drops its own database).');

const log = (s: string) => console.log(s);
const SMALL_COHORT = '00000000-0000-4000-8000-00000000c002';
const READS = ['get_item_statistics', 'get_student_system_accuracy', 'export_cohort_results', 'get_cohort_roster'] as const;
const round = (ms: number) => Math.round(ms * 100) / 100;
const stats = (samples: number[]) => {
  const sorted = [...samples].sort((x, y) => x - y);
  return { p50_ms: round(nearestRank(sorted, 50) ?? NaN), p95_ms: round(nearestRank(sorted, 95) ?? NaN) };
};

const { q, close } = await openBenchDatabase(base);
try {
  const { loadSeconds } = await loadBenchCohort(q, { students: N, answers: M, log });

  const t = performance.now();
  await q(`insert into public.cohorts (id, name, instructor_id, min_answers_to_rank) values ($1, 'Bench small cohort', $2, 10)`, [SMALL_COHORT, INSTRUCTOR]);
  await q(`create table bench_small (s integer primary key, id uuid not null)`);
  await q(`insert into bench_small select g, gen_random_uuid() from generate_series(0, $1 - 1) g`, [SMALL]);
  await q(`insert into auth.users (instance_id, id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
           select '00000000-0000-0000-0000-000000000000', b.id, 'authenticated', 'authenticated', 'bench-small-' || b.s || '@example.com',
                  '{}', jsonb_build_object('display_name', 'Small Student ' || b.s), now(), now()
           from bench_small b`);
  await q(`insert into public.cohort_members (cohort_id, user_id, joined_at) select $1, b.id, now() - interval '90 days' from bench_small b`, [SMALL_COHORT]);
  const blocks = Math.ceil(SMALL_PER / 40);
  await q(`alter table public.attempts disable trigger attempts_before_insert`);
  await q(`alter table public.answers disable trigger answers_into_rollups`);
  await q(`insert into public.attempts (id, user_id, mode, question_ids, started_at, created_at)
           select md5('small:' || b.s || ':' || k)::uuid, b.id, 'tutor',
                  array(select 1 + (b.s * 11 + j * 17) % 1000 from generate_series(k * 40, k * 40 + 39) j),
                  now() - interval '30 days', now() - interval '30 days'
           from bench_small b, generate_series(0, $1 - 1) k`, [blocks]);
  // Per-student skill as in bench-world; a retake of a question now and then (k * 40 + j wraps at 1000).
  await q(`insert into public.answers (id, attempt_id, question_id, user_id, choice, is_correct, time_spent_ms, answered_at, received_at)
           select gen_random_uuid(), md5('small:' || b.s || ':' || (j / 40))::uuid, 1 + (b.s * 11 + j * 17) % 1000, b.id,
                  case when x.ok then 'A' else chr(66 + (j % 4)) end, x.ok, 20000 + (j * 7919 % 70000), x.at, x.at + interval '2 seconds'
           from bench_small b
           cross join generate_series(0, $1 - 1) j
           cross join lateral (select random() < 0.35 + 0.55 * ((b.s * 2654435761) % 1000) / 1000.0 as ok,
                                      now() - interval '30 days' * random() as at) x`, [blocks * 40]);
  await q(`alter table public.answers enable trigger answers_into_rollups`);
  await q(`alter table public.attempts enable trigger attempts_before_insert`);
  await q(`insert into private.first_answers (user_id, question_id, answer_id)
           select distinct on (a.user_id, a.question_id) a.user_id, a.question_id, a.id
           from public.answers a join bench_small b on b.id = a.user_id
           order by a.user_id, a.question_id, a.received_at, a.answered_at, a.id`);
  await q(`insert into public.leaderboard_all_time (cohort_id, user_id, answered, correct, reached_at, hidden)
           select $1, a.user_id, count(*), count(*) filter (where a.is_correct),
                  coalesce(max(least(a.received_at, greatest(a.answered_at, a.received_at - interval '7 days'))) filter (where a.is_correct), 'infinity'),
                  false
           from private.first_answers f
           join public.answers a on a.id = f.answer_id
           join bench_small b on b.id = a.user_id
           group by a.user_id`, [SMALL_COHORT]);
  await q(`vacuum analyze public.attempts, public.answers, public.cohort_members, public.profiles, public.leaderboard_all_time`);
  const smallAnswers = Number((await q(`select count(*) from public.answers a join bench_small b on b.id = a.user_id`)).rows[0].count);
  log(`small cohort: ${SMALL} students, ${smallAnswers} answers in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const claims = JSON.stringify({ sub: INSTRUCTOR, role: 'authenticated', aud: 'authenticated' });
  // One read in its own transaction; `rls` as PostgREST runs it (role authenticated), else as the
  // superuser with the same claims: the same function, the same auth.uid(), no policy applied.
  async function call(fn: (typeof READS)[number], cohort: string, rls: boolean) {
    await q('begin');
    try {
      await q(`select set_config('request.jwt.claims', $1, true)`, [claims]);
      if (rls) await q(`set local role authenticated`);
      const t0 = performance.now();
      const r = await q(`select * from public.${fn}($1)`, [cohort]);
      const ms = performance.now() - t0;
      await q('commit');
      return { ms, rows: r.rows };
    } catch (e) {
      await q('rollback');
      throw e;
    }
  }

  const results: Record<string, { cohort: string; students: number; rows: number; rls: ReturnType<typeof stats>; owner: ReturnType<typeof stats>; ratio_p50: number }> = {};
  for (const [label, cohort, students, reps] of [['small', SMALL_COHORT, SMALL, SMALL_REPS], ['big', COHORT, N, REPS]] as const) {
    for (const fn of READS) {
      const first = await call(fn, cohort, true);
      const firstOwner = await call(fn, cohort, false);
      if (!isDeepStrictEqual(first.rows, firstOwner.rows)) {
        throw new Error(`${fn} (${label} cohort): the instructor's result differs from the owner's (${first.rows.length} vs ${firstOwner.rows.length} rows)`);
      }
      if (first.rows.length === 0) throw new Error(`${fn} (${label} cohort): no rows`);
      const rlsMs: number[] = [first.ms];
      const ownerMs: number[] = [firstOwner.ms];
      for (let i = 1; i < reps; i++) {
        // Alternating, so a busy moment of the host falls on both alike.
        rlsMs.push((await call(fn, cohort, true)).ms);
        ownerMs.push((await call(fn, cohort, false)).ms);
      }
      const rls = stats(rlsMs);
      const owner = stats(ownerMs);
      const key = `${fn}:${label}`;
      results[key] = { cohort: label, students, rows: first.rows.length, rls, owner, ratio_p50: round(rls.p50_ms / owner.p50_ms) };
      log(`${fn.padEnd(28)} ${label.padEnd(5)} ${String(first.rows.length).padStart(6)} rows   instructor p50 ${rls.p50_ms} ms (p95 ${rls.p95_ms})   without RLS p50 ${owner.p50_ms} ms (p95 ${owner.p95_ms})   ×${results[key].ratio_p50}`);
    }
  }

  const summary = {
    bench: 'instructor-reads',
    students: N,
    history_answers: M,
    small_students: SMALL,
    small_answers: smallAnswers,
    load_seconds: Math.round(loadSeconds),
    reps: { big: REPS, small: SMALL_REPS },
    reads: results,
    postgres: (await q('show server_version')).rows[0].server_version,
  };
  log(JSON.stringify(summary));
} finally {
  await close(args.keep);
}
