/**
 * Cohort analytics benchmark (issue #18, docs/decisions/022): the three analytics RPCs, read from the
 * trigger-kept rollups, against the straightforward GROUP BY over the raw answers, in the same run; one
 * leaderboard page as the reference "leaderboard read"; and what the analytics upkeep adds to one
 * submit_answers batch of 50.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres tsx scripts/bench-analytics.ts \
 *     [--students 10000] [--answers 5000000] [--reps 50] [--naive-reps 5] [--submit-reps 15] [--keep]
 *
 * Data: scripts/bench-world.ts (the bench-leaderboard generator: one cohort, 1,000 questions over 6 organ
 * systems × 4 disciplines, answers over the last 60 days), then 2 % more members who joined 30 days ago
 * and never answered (the "never active" at-risk rule has someone to find), and the analytics rollups
 * built by private.rebuild_cohort_analytics() (what the migration runs), checked against the naive
 * queries' results before anything is timed.
 * Measured (p50/p95, each call in its own transaction as PostgREST makes it: role authenticated +
 * request.jwt.claims of the instructor): get_cohort_topic_accuracy, get_cohort_activity,
 * get_cohort_students_at_risk (first page of 50), get_leaderboard (first page of 50, the reference); the
 * naive queries run as the admin login (no RLS: the most favourable case for them). Submit: the same
 * batch of 50 new questions (and a retake of them) with the trigger of this change, with the trigger
 * before it (20261205100000_spaced_review.sql's function, created here as a bench-only trigger), and with
 * no rollup trigger, rotating the order.
 * The human summary is printed first; the LAST line is a JSON summary.
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { nearestRank } from './sampling.ts';
import { COHORT, INSTRUCTOR, loadBenchCohort, openBenchDatabase } from './bench-world.ts';

const { values: args } = parseArgs({
  options: {
    students: { type: 'string', default: '10000' },
    answers: { type: 'string', default: '5000000' },
    reps: { type: 'string', default: '50' },
    'naive-reps': { type: 'string', default: '5' },
    'submit-reps': { type: 'string', default: '15' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(args.students);
const M = Number(args.answers);
const REPS = Number(args.reps);
const NAIVE_REPS = Number(args['naive-reps']);
const SUBMIT_REPS = Number(args['submit-reps']);
if (![N, M, REPS, NAIVE_REPS, SUBMIT_REPS].every((n) => Number.isInteger(n) && n > 0) || N < 3 * SUBMIT_REPS + 3) {
  throw new Error('--students, --answers, --reps, --naive-reps, --submit-reps must be positive integers (students ≥ 3 × submit-reps + 3)');
}
const base = process.env.DATABASE_URL;
if (!base) {
  console.error('bench-analytics needs Postgres: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres).');
  process.exit(2);
}

const log = (s: string) => console.log(s);
const pct = (samples: number[], p: number) => nearestRank([...samples].sort((a, b) => a - b), p) ?? NaN;
const round = (x: number) => Math.round(x * 1000) / 1000;
const stats = (samples: number[]) => ({ p50_ms: round(pct(samples, 50)), p95_ms: round(pct(samples, 95)), n: samples.length });

// The straightforward reads: one GROUP BY each over the cohort's members' answers (first answers through
// private.first_answers, the definition the rollups follow), as the admin login.
const NAIVE = {
  topic_accuracy: `
    with f as (
      select q.organ_system, q.discipline, a.is_correct,
             date_trunc('week', least(a.received_at, greatest(a.answered_at, a.received_at - interval '7 days')) at time zone 'UTC')::date as week_start
      from public.cohort_members m
      join private.first_answers fa on fa.user_id = m.user_id
      join public.answers a on a.id = fa.answer_id
      join public.questions q on q.id = a.question_id
      where m.cohort_id = $1
    )
    select organ_system, discipline, week_start, count(*)::int as answered, (count(*) filter (where is_correct))::int as correct
    from f group by grouping sets ((organ_system), (discipline), (organ_system, discipline),
                                   (organ_system, discipline, week_start))`,
  activity: `
    select date_trunc('week', least(a.received_at, greatest(a.answered_at, a.received_at - interval '7 days')) at time zone 'UTC')::date::text as week_start,
           count(distinct a.user_id)::int as students_active, count(*)::int as answers
    from public.cohort_members m
    join public.answers a on a.user_id = m.user_id
    where m.cohort_id = $1
      and least(a.received_at, greatest(a.answered_at, a.received_at - interval '7 days'))
          >= date_trunc('week', now() at time zone 'UTC') at time zone 'UTC' - interval '49 days'
    group by 1 order by 1`,
  students_at_risk: `
    with s as (
      select m.user_id, m.joined_at,
             (select max(least(a.received_at, greatest(a.answered_at, a.received_at - interval '7 days'))) from public.answers a where a.user_id = m.user_id) as last_at,
             f.n, f.c
      from public.cohort_members m
      left join (select fa.user_id, count(*)::int as n, (count(*) filter (where a.is_correct))::int as c
                 from private.first_answers fa join public.answers a on a.id = fa.answer_id group by fa.user_id) f on f.user_id = m.user_id
      where m.cohort_id = $1
    ),
    d as (select percentile_disc(0.1) within group (order by c::numeric / n) as p10, count(*) as qualified from s where n >= 50),
    r as (
      select s.user_id, coalesce(s.last_at, s.joined_at) as quiet_since, s.c::numeric / nullif(s.n, 0) as accuracy,
             coalesce(s.last_at, s.joined_at) <= now() - interval '7 days' as inactive,
             coalesce(s.n >= 50 and d.qualified >= 10 and s.c::numeric / s.n <= d.p10, false) as low_accuracy
      from s cross join d
    )
    select r.user_id, p.display_name, r.inactive, r.low_accuracy
    from r join public.profiles p on p.id = r.user_id
    where r.inactive or r.low_accuracy
    order by (r.inactive and r.low_accuracy) desc, r.quiet_since, r.accuracy nulls first, r.user_id
    limit 50`,
} as const;

const { q, close } = await openBenchDatabase(base);
try {
  const { loadSeconds, counts } = await loadBenchCohort(q, { students: N, answers: M, log });
  const t = performance.now();
  const never = Math.max(1, Math.round(N * 0.02));
  await q(`insert into auth.users (instance_id, id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
           select '00000000-0000-0000-0000-000000000000', md5('never:' || g)::uuid, 'authenticated', 'authenticated', 'bench-never-' || g || '@example.com',
                  '{}', jsonb_build_object('display_name', 'Bench Quiet ' || g), now(), now()
           from generate_series(1, $1) g`, [never]);
  await q(`insert into public.cohort_members (cohort_id, user_id, joined_at)
           select $1, md5('never:' || g)::uuid, now() - interval '30 days' from generate_series(1, $2) g`, [COHORT, never]);
  await q(`select private.rebuild_cohort_analytics()`);
  await q(`vacuum analyze private.cohort_topic_totals, private.cohort_topic_weekly, private.cohort_activity_weekly,
                          private.cohort_member_weeks, private.cohort_member_stats`);
  const analyticsBuildSeconds = (performance.now() - t) / 1000;
  const sizes = (
    await q(`select pg_size_pretty(sum(pg_total_relation_size(c))) as analytics_rollups,
                    (select count(*) from private.cohort_topic_totals)::int as topic_totals_rows,
                    (select count(*) from private.cohort_topic_weekly)::int as topic_weekly_rows,
                    (select count(*) from private.cohort_activity_weekly)::int as activity_weekly_rows,
                    (select count(*) from private.cohort_member_weeks)::int as member_weeks_rows,
                    (select count(*) from private.cohort_member_stats)::int as member_stats_rows
             from unnest(array['private.cohort_topic_totals', 'private.cohort_topic_weekly', 'private.cohort_activity_weekly',
                               'private.cohort_member_weeks', 'private.cohort_member_stats']::regclass[]) c`)
  ).rows[0];
  log(`analytics rollups (${never} never-active members added, rebuild + vacuum): ${analyticsBuildSeconds.toFixed(1)} s; ${JSON.stringify(sizes)}`);

  async function asInstructor<T>(fn: () => Promise<T>): Promise<T> {
    await q('begin');
    try {
      await q(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`,
        [JSON.stringify({ sub: INSTRUCTOR, role: 'authenticated', aud: 'authenticated' })]);
      const out = await fn();
      await q('commit');
      return out;
    } catch (e) {
      await q('rollback');
      throw e;
    }
  }
  const RPCS = {
    topic_accuracy: `select public.get_cohort_topic_accuracy($1) as r`,
    activity: `select public.get_cohort_activity($1) as r`,
    students_at_risk: `select public.get_cohort_students_at_risk($1, 50, 0) as r`,
  } as const;
  type Read = keyof typeof RPCS;
  const callRpc = (name: Read) =>
    asInstructor(async () => {
      const t0 = performance.now();
      const r = await q(RPCS[name], [COHORT]);
      return { ms: performance.now() - t0, value: r.rows[0].r as Record<string, unknown> };
    });
  const callNaive = async (name: Read) => {
    const t0 = performance.now();
    const r = await q(NAIVE[name], [COHORT]);
    return { ms: performance.now() - t0, rows: r.rows as Record<string, unknown>[] };
  };

  // ------------------------------------------------------------------ the same answers, both ways
  {
    const topics = (await callRpc('topic_accuracy')).value as { by_system: { organ_system: string; answered: number; correct: number }[]; weakest_topics: { organ_system: string; discipline: string; answered: number; correct: number }[] };
    const naive = (await callNaive('topic_accuracy')).rows;
    for (const s of topics.by_system) {
      const n = naive.find((r) => r.organ_system === s.organ_system && r.discipline === null && r.week_start === null);
      if (n?.answered !== s.answered || n.correct !== s.correct) throw new Error(`by_system ${JSON.stringify(s)} ≠ naive ${JSON.stringify(n)}`);
    }
    const naiveWeakest = naive
      .filter((r) => r.organ_system !== null && r.discipline !== null && r.week_start === null && Number(r.answered) >= 30)
      .sort((a, b) => Number(a.correct) / Number(a.answered) - Number(b.correct) / Number(b.answered))
      .slice(0, 10)
      .map((r) => `${String(r.organ_system)}/${String(r.discipline)}`);
    const weakest = topics.weakest_topics.map((r) => `${r.organ_system}/${r.discipline}`);
    if (JSON.stringify(naiveWeakest) !== JSON.stringify(weakest)) throw new Error(`weakest ${weakest.join()} ≠ naive ${naiveWeakest.join()}`);

    const act = (await callRpc('activity')).value as { weeks: { week_start: string; students_active: number; answers: number }[] };
    const naiveAct = (await callNaive('activity')).rows;
    for (const w of act.weeks) {
      const n = naiveAct.find((r) => r.week_start === w.week_start);
      if ((n?.students_active ?? 0) !== w.students_active || (n?.answers ?? 0) !== w.answers) throw new Error(`activity ${JSON.stringify(w)} ≠ naive ${JSON.stringify(n)}`);
    }
    const risk = (await callRpc('students_at_risk')).value as { total: number; students: { user_id: string }[] };
    const naiveRisk = (await callNaive('students_at_risk')).rows;
    if (JSON.stringify(risk.students.map((s) => s.user_id)) !== JSON.stringify(naiveRisk.map((r) => r.user_id))) {
      throw new Error('students at risk: the RPC and the naive query disagree on the first page');
    }
    log(`checked: by system, the weakest 10 (${weakest.slice(0, 3).join(', ')}, …), 8 weeks of activity and the first at-risk page (${risk.total} at risk) agree with the naive queries`);
  }

  // ---------------------------------------------------------------------------------- reads timed
  const reads: Record<string, { rpc: ReturnType<typeof stats>; naive: ReturnType<typeof stats>; ratio_p50: number }> = {};
  for (const name of Object.keys(RPCS) as Read[]) {
    for (let i = 0; i < 3; i++) await callRpc(name);
    const rpc: number[] = [];
    for (let i = 0; i < REPS; i++) rpc.push((await callRpc(name)).ms);
    await callNaive(name);
    const naive: number[] = [];
    for (let i = 0; i < NAIVE_REPS; i++) naive.push((await callNaive(name)).ms);
    reads[name] = { rpc: stats(rpc), naive: stats(naive), ratio_p50: Math.round((pct(naive, 50) / pct(rpc, 50)) * 10) / 10 };
    log(`${name.padEnd(17)} RPC p50 ${reads[name].rpc.p50_ms} ms p95 ${reads[name].rpc.p95_ms} ms | naive GROUP BY p50 ${reads[name].naive.p50_ms} ms p95 ${reads[name].naive.p95_ms} ms | naive/RPC ×${reads[name].ratio_p50}`);
  }
  const board: number[] = [];
  for (let i = 0; i < 3 + REPS; i++) {
    const ms = await asInstructor(async () => {
      const t0 = performance.now();
      await q(`select * from public.get_leaderboard($1, 'all', null, 50)`, [COHORT]);
      return performance.now() - t0;
    });
    if (i >= 3) board.push(ms);
  }
  const leaderboardRead = stats(board);
  log(`reference: get_leaderboard first page (instructor) p50 ${leaderboardRead.p50_ms} ms p95 ${leaderboardRead.p95_ms} ms`);
  const vsLeaderboard = Object.fromEntries(Object.entries(reads).map(([k, v]) => [k, Math.round((v.rpc.p50_ms / leaderboardRead.p50_ms) * 10) / 10]));
  log(`RPC p50 / leaderboard p50: ${JSON.stringify(vsLeaderboard)}`);

  // ------------------------------------------------------------- upkeep on one submit_answers batch
  // Before this change: answers_into_rollups of 20261205100000_spaced_review.sql (claims and the two
  // leaderboard rollups), created from its migration under another name as a bench-only trigger.
  const before = /create or replace function private\.answers_into_rollups\(\)[\s\S]*?\n\$\$;/.exec(
    readFileSync(new URL('../supabase/migrations/20261205100000_spaced_review.sql', import.meta.url), 'utf8'),
  )?.[0];
  if (!before) throw new Error('answers_into_rollups not found in 20261205100000_spaced_review.sql');
  await q(before.replace('create or replace function private.answers_into_rollups()', 'create function public.bench_rollups_before_analytics()'));
  await q(`create trigger bench_rollups_before_analytics after insert on public.answers
           referencing new table as new_answers for each statement execute function public.bench_rollups_before_analytics()`);
  const variants = { none: [false, false], before_analytics: [false, true], with_analytics: [true, false] } as const;
  type Variant = keyof typeof variants;
  async function useVariant(v: Variant) {
    await q(`alter table public.answers ${variants[v][0] ? 'enable' : 'disable'} trigger answers_into_rollups`);
    await q(`alter table public.answers ${variants[v][1] ? 'enable' : 'disable'} trigger bench_rollups_before_analytics`);
  }
  const submitters = (await q(`select id from bench_students where s between 2 and $1 + 2 order by s`, [3 * SUBMIT_REPS])).rows.map((r) => r.id as string);
  // 50 questions nobody has answered (the generator uses ids 1–1,000), so the first batch claims 50.
  await q(`insert into public.questions (id, stem, choices, correct_choice, explanation, organ_system, discipline, published)
           overriding system value
           select g, 'Bench question ' || g || ': a vignette long enough for the check.', array['A','B','C','D','E'], 'A', 'Bench.',
                  (array['cardiovascular','respiratory','renal','gastrointestinal','endocrine','nervous'])[1 + g % 6],
                  (array['anatomy','physiology','pathology','pharmacology'])[1 + g % 4], true
           from generate_series(1001, 1050) g`);
  const qids = Array.from({ length: 50 }, (_, i) => 1001 + i);
  async function submitBatch(uid: string): Promise<number> {
    const a1 = crypto.randomUUID();
    const a2 = crypto.randomUUID();
    await q(`insert into public.attempts (id, user_id, mode, question_ids) values ($1, $3, 'tutor', $4), ($2, $3, 'tutor', $5)`,
      [a1, a2, uid, qids.slice(0, 40), qids.slice(40)]);
    const rows = qids.map((qid, i) => ({
      id: crypto.randomUUID(), attempt_id: i < 40 ? a1 : a2, question_id: qid, choice: i % 3 === 0 ? 'B' : 'A',
      time_spent_ms: 30000, answered_at: new Date().toISOString(),
    }));
    await q('begin');
    try {
      await q(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`,
        [JSON.stringify({ sub: uid, role: 'authenticated', aud: 'authenticated' })]);
      const t0 = performance.now();
      const r = await q(`select public.submit_answers($1::jsonb) as o`, [JSON.stringify(rows)]);
      const ms = performance.now() - t0;
      await q('commit');
      const accepted = (r.rows[0].o as { status: string }[]).filter((o) => o.status === 'accepted').length;
      if (accepted !== 50) throw new Error(`submit_answers accepted ${accepted}/50`);
      return ms;
    } catch (e) {
      await q('rollback');
      throw e;
    }
  }
  const samples: Record<Variant, { fresh: number[]; retake: number[] }> = {
    none: { fresh: [], retake: [] }, before_analytics: { fresh: [], retake: [] }, with_analytics: { fresh: [], retake: [] },
  };
  const order: Variant[] = ['with_analytics', 'before_analytics', 'none'];
  await useVariant('with_analytics');
  await submitBatch(submitters[submitters.length - 1] ?? ''); // warm-up
  for (let i = 0; i < SUBMIT_REPS; i++) {
    for (let j = 0; j < order.length; j++) {
      const v = order[(i + j) % order.length] ?? 'none';
      const uid = submitters[3 * i + j] ?? '';
      await useVariant(v);
      samples[v].fresh.push(await submitBatch(uid));
      samples[v].retake.push(await submitBatch(uid));
    }
  }
  await useVariant('with_analytics');
  await q(`drop trigger bench_rollups_before_analytics on public.answers`);
  await q(`drop function public.bench_rollups_before_analytics()`);
  const cost = (kind: 'fresh' | 'retake') => {
    const [none, before, after] = [stats(samples.none[kind]), stats(samples.before_analytics[kind]), stats(samples.with_analytics[kind])];
    return {
      no_rollup_trigger: none,
      before_analytics: before,
      with_analytics: after,
      upkeep_before_p50_ms: round(before.p50_ms - none.p50_ms),
      upkeep_with_analytics_p50_ms: round(after.p50_ms - none.p50_ms),
      analytics_added_p50_ms: round(after.p50_ms - before.p50_ms),
    };
  };
  const submitCost = { batch_of_new_questions: cost('fresh'), retake_of_the_same_50: cost('retake') };
  for (const [label, c] of Object.entries(submitCost)) {
    log(`submit_answers, 50 answers, ${label.replace(/_/g, ' ')}: p50 (p95) ms — no rollup trigger ${c.no_rollup_trigger.p50_ms} (${c.no_rollup_trigger.p95_ms}) | before analytics ${c.before_analytics.p50_ms} (${c.before_analytics.p95_ms}) | with analytics ${c.with_analytics.p50_ms} (${c.with_analytics.p95_ms}) → analytics adds ${c.analytics_added_p50_ms} ms (p50)`);
  }

  const summary = {
    bench: 'analytics',
    students: N,
    never_active_members: never,
    answers: Number(counts.answers),
    rows: { ...counts, ...sizes },
    load_seconds: Math.round(loadSeconds),
    analytics_build_seconds: Math.round(analyticsBuildSeconds * 10) / 10,
    reps: { rpc: REPS, naive: NAIVE_REPS, submit: SUBMIT_REPS },
    reads,
    leaderboard_first_page: leaderboardRead,
    rpc_over_leaderboard_p50: vsLeaderboard,
    submit_answers_cost: submitCost,
    postgres: (await q('show server_version')).rows[0].server_version,
  };
  log(`\nSummary: ${N} students (+${never} never active), ${counts.answers} answers. Analytics reads p50 ${Object.entries(reads).map(([k, v]) => `${k} ${v.rpc.p50_ms} ms (naive ×${v.ratio_p50})`).join(', ')}; leaderboard page ${leaderboardRead.p50_ms} ms.`);
  log(JSON.stringify(summary));
} finally {
  await close(args.keep);
}
