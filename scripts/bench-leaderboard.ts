/**
 * Leaderboard benchmark: rollup + keyset index (get_leaderboard) against the naive GROUP BY + rank()
 * over raw answers, on a fresh Postgres database with every migration applied.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres tsx scripts/bench-leaderboard.ts \
 *     [--students 100000] [--answers 5000000] [--reps 50] [--naive-reps 7] [--submit-reps 20] [--keep]
 *
 * Data (as the admin login, set-based): scripts/bench-world.ts, shared with bench-analytics — 1,000
 * questions, one cohort of N students, M answers over the last 60 days, leaderboard rollups built and
 * checked against the raw answers before measuring.
 * Measured (p50/p95 over --reps calls, each in its own transaction the way PostgREST calls an RPC:
 * set_config('role','authenticated') + request.jwt.claims), for the instructor and for a student:
 *   get_leaderboard first page and a deep page (cursor at rank ~N/2), and the naive query for the same
 *   pages (run as the admin login, i.e. without RLS: the most favourable case for the naive query).
 *   the deep page with a cursor lacking its rank (the count-then-page way of 20261122090500) as the baseline,
 *   get_my_leaderboard_position for the student against the same two counts written directly (admin login),
 *   get_leaderboard against the function of 20261123090000 (definer, before 016) for the same pages, alternating,
 *   auto_explain (ANALYZE, BUFFERS) of the statements inside get_leaderboard, and the rollup upkeep of one
 *   submit_answers batch of 50, before and after the first-answer rule, in the same run: the same batch
 *   with the first-answer trigger (now), with the trigger function of 20261122090500 that counted every
 *   answer (before; recreated here as a bench-only trigger), and with no rollup trigger (the floor), each
 *   for a batch of new questions and for a retake of the same 50 (the farming case), rotating the order.
 * The human summary is printed first; the LAST line is a JSON summary.
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { nearestRank } from './sampling.ts';
import { COHORT, INSTRUCTOR, loadBenchCohort, openBenchDatabase } from './bench-world.ts';

const { values: args } = parseArgs({
  options: {
    students: { type: 'string', default: '100000' },
    answers: { type: 'string', default: '5000000' },
    reps: { type: 'string', default: '50' },
    'naive-reps': { type: 'string', default: '7' },
    'submit-reps': { type: 'string', default: '20' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(args.students);
const M = Number(args.answers);
const REPS = Number(args.reps);
const NAIVE_REPS = Number(args['naive-reps']);
const SUBMIT_REPS = Number(args['submit-reps']);
const PAGE = 50;
if (![N, M, REPS, NAIVE_REPS, SUBMIT_REPS].every((n) => Number.isInteger(n) && n > 0) || N < 3 * SUBMIT_REPS + 3) {
  throw new Error('--students, --answers, --reps, --naive-reps, --submit-reps must be positive integers (students ≥ 3 × submit-reps + 3)');
}
const base = process.env.DATABASE_URL;
if (!base) {
  console.error('bench-leaderboard needs Postgres: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres).');
  process.exit(2);
}

const log = (s: string) => console.log(s);

function pct(samples: number[], p: number): number {
  return nearestRank([...samples].sort((a, b) => a - b), p) ?? NaN;
}
const round = (x: number) => Math.round(x * 1000) / 1000;
const stats = (samples: number[]) => ({ p50_ms: round(pct(samples, 50)), p95_ms: round(pct(samples, 95)), n: samples.length });

const { db, q, close } = await openBenchDatabase(base);
try {
  const { loadSeconds, counts } = await loadBenchCohort(q, { students: N, answers: M, log });

  // ------------------------------------------------------------------------------------ leaderboard
  const student = (await q(`select id from bench_students where s = 1`)).rows[0].id as string;
  const deepRank = Math.max(1, Math.floor(Number(counts.ranked) / 2));
  // The row at rank deepRank on the instructor's board; its cursor as get_leaderboard returns it, with
  // the rank on the caller's own board ('n': a student does not see the 1 % who opted out).
  const cursorRow = (
    await q(`select sort_correct as c, sort_accuracy as a, reached_at::text as r, user_id as u
             from public.leaderboard_all_time
             where cohort_id = $1 and answered >= 10 order by sort_correct, sort_accuracy, reached_at, user_id offset $2 limit 1`,
            [COHORT, deepRank - 1])
  ).rows[0];
  const studentDeepRank = Number(
    (
      await q(`select count(*) as n from public.leaderboard_all_time l
               where l.cohort_id = $1 and l.answered >= 10 and (not l.hidden or l.user_id = $2)
                 and (l.sort_correct, l.sort_accuracy, l.reached_at, l.user_id) <= ($3, $4, $5, $6)`,
              [COHORT, student, cursorRow.c, cursorRow.a, cursorRow.r, cursorRow.u])
    ).rows[0].n,
  );
  // Field values as text: node-postgres would turn reached_at into a millisecond Date.
  // The cursor as get_leaderboard returns it since 20261204120000: the row's key, how many rows with that
  // key the caller's board has shown up to it ('k'), and its rank ('n'); no user id.
  const cursorOf = async (viewer: string, n: number) =>
    (
      await q(`select jsonb_build_object('c', l.sort_correct, 'a', l.sort_accuracy, 'r', l.reached_at, 'n', $3::int,
                        'k', (select count(*) from public.leaderboard_all_time t
                               where t.cohort_id = l.cohort_id and t.answered >= 10 and (not t.hidden or t.user_id = $4 or $4 = $5)
                                 and (t.sort_correct, t.sort_accuracy, t.reached_at) = (l.sort_correct, l.sort_accuracy, l.reached_at)
                                 and t.user_id <= l.user_id)) as j
               from public.leaderboard_all_time l where l.cohort_id = $1 and l.user_id = $2`, [COHORT, cursorRow.u, n, viewer, INSTRUCTOR])
    ).rows[0].j as unknown;
  // A cursor issued before 20261123090000: the row's key and user id, no rank (the function counts).
  const legacyCursorOf = async () =>
    (
      await q(`select jsonb_build_object('c', sort_correct, 'a', sort_accuracy, 'r', reached_at, 'u', user_id) as j
               from public.leaderboard_all_time where cohort_id = $1 and user_id = $2`, [COHORT, cursorRow.u])
    ).rows[0].j as unknown;
  const deepCursor = { instructor: await cursorOf(INSTRUCTOR, deepRank), student: await cursorOf(student, studentDeepRank) };
  const deepOffset = { instructor: deepRank, student: studentDeepRank };

  async function asUser<T>(uid: string, fn: () => Promise<T>): Promise<T> {
    await q('begin');
    try {
      await q(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`,
        [JSON.stringify({ sub: uid, role: 'authenticated', aud: 'authenticated' })]);
      const out = await fn();
      await q('commit');
      return out;
    } catch (e) {
      await q('rollback');
      throw e;
    }
  }
  async function timeRpc(uid: string, after: unknown, fn = 'get_leaderboard'): Promise<{ ms: number; firstRank: number; rows: number }> {
    return asUser(uid, async () => {
      const t0 = performance.now();
      const r = await q(`select * from public.${fn}($1, 'all', $2, $3)`, [COHORT, after, PAGE]);
      return { ms: performance.now() - t0, firstRank: Number(r.rows[0]?.rank ?? 0), rows: r.rowCount ?? 0 };
    });
  }
  // Counts every answer: the generated data never repeats a (student, question) (k × 13 mod 1000 is
  // distinct for the ≤ 1,000 answers per student), so this is also the first-answer board; the load
  // checks that (rollup answered = distinct (student, question)) before anything is measured.
  const naiveSql = `
    with s as (
      select a.user_id, count(*) as answered, count(*) filter (where a.is_correct) as correct,
             (count(*) filter (where a.is_correct) * 10000) / count(*) as accuracy_bp,
             coalesce(max(least(a.received_at, greatest(a.answered_at, a.received_at - interval '7 days'))) filter (where a.is_correct), 'infinity') as reached_at
      from public.answers a
      join public.cohort_members m on m.user_id = a.user_id and m.cohort_id = $1
      join public.profiles p on p.id = a.user_id
      where ($3 or not p.leaderboard_opt_out or p.id = $4)
      group by a.user_id
      having count(*) >= 10
    )
    select rank() over (order by correct desc, accuracy_bp desc, reached_at, user_id) as rank, user_id, answered, correct
    from s order by rank offset $2 limit ${PAGE}`;
  async function timeNaive(offset: number, instructor: boolean, uid: string) {
    const t0 = performance.now();
    const r = await q(naiveSql, [COHORT, offset, instructor, uid]);
    return { ms: performance.now() - t0, firstRank: Number(r.rows[0]?.rank ?? 0) };
  }

  const results: Record<string, { rollup: ReturnType<typeof stats>; naive: ReturnType<typeof stats>; ratio_p50: number; first_rank: number }> = {};
  for (const [label, uid, instructor] of [['instructor', INSTRUCTOR, true], ['student', student, false]] as const) {
    for (const [page, after, offset] of [['first', null, 0], ['deep', deepCursor[label], deepOffset[label]]] as const) {
      for (let i = 0; i < 3; i++) await timeRpc(uid, after); // warm-up
      const roll: number[] = [];
      let firstRank = 0;
      for (let i = 0; i < REPS; i++) {
        const r = await timeRpc(uid, after);
        roll.push(r.ms);
        firstRank = r.firstRank;
        if (r.rows !== PAGE) throw new Error(`expected ${PAGE} rows, got ${r.rows}`);
      }
      const naive: number[] = [];
      await timeNaive(offset, instructor, uid); // warm-up
      for (let i = 0; i < NAIVE_REPS; i++) {
        const r = await timeNaive(offset, instructor, uid);
        naive.push(r.ms);
        // The rollup page starts right after the cursor row, whose visible rank the naive query gives.
        if (r.firstRank !== offset + 1) throw new Error(`naive rank ${r.firstRank} ≠ ${offset + 1}`);
      }
      if (firstRank !== offset + 1) throw new Error(`rollup rank ${firstRank} ≠ ${offset + 1}`);
      const rs = stats(roll);
      const ns = stats(naive);
      results[`${label}_${page}`] = { rollup: rs, naive: ns, ratio_p50: Math.round((ns.p50_ms / rs.p50_ms) * 10) / 10, first_rank: firstRank };
      log(`${label.padEnd(10)} ${page.padEnd(5)} page (rank ${firstRank}): get_leaderboard p50 ${rs.p50_ms} ms p95 ${rs.p95_ms} ms | naive p50 ${ns.p50_ms} ms p95 ${ns.p95_ms} ms | naive/rollup ×${results[`${label}_${page}`]?.ratio_p50}`);
    }
  }

  // The deep page as get_leaderboard ran it before 20261123090000: a cursor without its rank, so the
  // function counts the visible rows up to the cursor first. Same run, same data: the baseline.
  const legacyCursor = await legacyCursorOf();
  for (let i = 0; i < 3; i++) await timeRpc(student, legacyCursor);
  const legacy: number[] = [];
  for (let i = 0; i < REPS; i++) legacy.push((await timeRpc(student, legacyCursor)).ms);
  const deepNow = results.student_deep?.rollup.p50_ms ?? NaN;
  const legacyDeep = { count_then_page: stats(legacy), ratio_p50: Math.round((pct(legacy, 50) / deepNow) * 10) / 10 };
  log(`student    deep  page with a cursor without its rank (count up to the cursor, the old way): p50 ${legacyDeep.count_then_page.p50_ms} ms p95 ${legacyDeep.count_then_page.p95_ms} ms | ×${legacyDeep.ratio_p50} the rank-carrying cursor`);

  // Same run, same data, same pages: get_leaderboard as it was before 20261204120000 (security definer,
  // the page read straight from the rollup, user ids in rows and cursors), created under another name from
  // its own migration file, with the cursors it issued ({c, a, r, u, n}).
  await q(
    readFileSync(new URL('../supabase/migrations/20261123090000_leaderboard_cursor_rank.sql', import.meta.url), 'utf8')
      .replaceAll('public.get_leaderboard(', 'public.bench_get_leaderboard_pre016(')
      .replace('create or replace function', 'create function'),
  );
  const pre016: Record<string, { before: ReturnType<typeof stats>; now: ReturnType<typeof stats>; ratio_p50: number }> = {};
  for (const [label, uid] of [['instructor', INSTRUCTOR], ['student', student]] as const) {
    const oldCursor = { ...(await legacyCursorOf()) as object, n: deepOffset[label] };
    for (const [page, after, oldAfter] of [['first', null, null], ['deep', deepCursor[label], oldCursor]] as const) {
      const before: number[] = [];
      const now: number[] = [];
      for (let i = 0; i < 3; i++) {
        await timeRpc(uid, oldAfter, 'bench_get_leaderboard_pre016');
        await timeRpc(uid, after);
      }
      // Alternating, so load from other jobs on the machine falls on both alike.
      for (let i = 0; i < REPS; i++) {
        const b = await timeRpc(uid, oldAfter, 'bench_get_leaderboard_pre016');
        const n = await timeRpc(uid, after);
        if (b.firstRank !== n.firstRank || b.rows !== n.rows) throw new Error(`pre-016 page ${JSON.stringify(b)} ≠ ${JSON.stringify(n)}`);
        before.push(b.ms);
        now.push(n.ms);
      }
      pre016[`${label}_${page}`] = { before: stats(before), now: stats(now), ratio_p50: Math.round((pct(now, 50) / pct(before, 50)) * 100) / 100 };
      log(`${label.padEnd(10)} ${page.padEnd(5)} page: get_leaderboard p50 ${pct(now, 50).toFixed(3)} ms | before 20261204120000 p50 ${pct(before, 50).toFixed(3)} ms | now/before ×${pre016[`${label}_${page}`]?.ratio_p50}`);
    }
  }
  await q(`drop function public.bench_get_leaderboard_pre016(uuid, text, jsonb, integer)`);

  // get_my_leaderboard_position counts the whole visible board (through private.ranked_peers since
  // 20261204120000). Baseline in the same run: the two counts written directly against the rollup (the
  // statement the function ran before, as the admin login), so the ratio is what the view, the helper and
  // the invoker wrapper cost on top.
  const positions: number[] = [];
  const directCounts: number[] = [];
  let position: { rank: number; total: number } | undefined;
  for (let i = 0; i < 3 + REPS; i++) {
    const p = await asUser(student, async () => {
      const t0 = performance.now();
      const r = await q(`select rank, ranked_count from public.get_my_leaderboard_position($1, 'all')`, [COHORT]);
      return { ms: performance.now() - t0, rank: Number(r.rows[0].rank), total: Number(r.rows[0].ranked_count) };
    });
    const t0 = performance.now();
    const d = await q(`select count(*) filter (where (l.sort_correct, l.sort_accuracy, l.reached_at, l.user_id) < (m.sort_correct, m.sort_accuracy, m.reached_at, m.user_id)) + 1 as rank,
                              count(*) as total
                       from public.leaderboard_all_time l, public.leaderboard_all_time m
                       where m.cohort_id = $1 and m.user_id = $2 and l.cohort_id = $1 and l.answered >= 10 and (not l.hidden or l.user_id = $2)`,
                      [COHORT, student]);
    const directMs = performance.now() - t0;
    if (Number(d.rows[0].rank) !== p.rank || Number(d.rows[0].total) !== p.total) {
      throw new Error(`position ${JSON.stringify(p)} ≠ direct count ${JSON.stringify(d.rows[0])}`);
    }
    position = p;
    if (i >= 3) {
      positions.push(p.ms);
      directCounts.push(directMs);
    }
  }
  const myPosition = {
    rpc: stats(positions),
    direct_count: stats(directCounts),
    ratio_p50: Math.round((pct(positions, 50) / pct(directCounts, 50)) * 10) / 10,
    rank: position?.rank,
    ranked_count: position?.total,
  };
  log(`student    get_my_leaderboard_position (rank ${myPosition.rank} of ${myPosition.ranked_count}): p50 ${myPosition.rpc.p50_ms} ms p95 ${myPosition.rpc.p95_ms} ms | direct count p50 ${myPosition.direct_count.p50_ms} ms | ×${myPosition.ratio_p50}`);

  // The plans of the statements inside get_leaderboard, as it runs them: auto_explain of nested
  // statements (ANALYZE, BUFFERS), sent to this client as notices, after enough calls in the session
  // for PL/pgSQL to settle on its cached (generic) plan.
  const notices: string[] = [];
  const onNotice = (m: { message?: string }) => notices.push(m.message ?? '');
  db.on('notice', onNotice);
  await q(`load 'auto_explain'`);
  await q(`set auto_explain.log_min_duration = 0; set auto_explain.log_nested_statements = on; set auto_explain.log_analyze = on;
           set auto_explain.log_buffers = on; set auto_explain.log_timing = on; set auto_explain.log_level = 'notice'`);
  const plans: Record<string, string[]> = {};
  for (const [label, uid] of [['instructor', INSTRUCTOR], ['student', student]] as const) {
    for (const [page, after] of [['first', null], ['deep', deepCursor[label]]] as const) {
      for (let i = 0; i < 8; i++) {
        notices.length = 0;
        await timeRpc(uid, after);
      }
      plans[`${label}_${page}`] = notices.filter((n) => /leaderboard_(all_time|weekly)/.test(n) && !/get_leaderboard/.test(n.split('\n')[0] ?? ''));
    }
  }
  db.off('notice', onNotice);
  await q(`set auto_explain.log_min_duration = -1`);
  const pagePlans = Object.values(plans).flat();
  log('\nPlans of the statements inside get_leaderboard (auto_explain, 8th call in the session):');
  for (const [k, v] of Object.entries(plans)) log(`-- ${k}\n${v.map((l) => l.split('\n').map((x) => '  ' + x).join('\n')).join('\n')}`);
  const indexScans =
    pagePlans.length > 0 &&
    Object.values(plans).every((v) => v.length > 0) &&
    // The cohort's own row (threshold, instructor) may be read by a scan of the tiny cohorts table.
    pagePlans.every((l) => !/Seq Scan on (leaderboard|profiles)/.test(l) && /Index (Only )?Scan using leaderboard_all_time_rank_idx/.test(l));

  // ----------------------------------------------------------------------- rollup cost on submit_answers
  // Before: the trigger function of 20261122090500 (every answer counted), verbatim but for its name,
  // as a bench-only trigger that is enabled only while it is measured.
  await q(`create function public.bench_rollups_all_answers() returns trigger language plpgsql security definer set search_path = '' as $$
    begin
      insert into public.leaderboard_all_time as l (cohort_id, user_id, answered, correct, reached_at, hidden)
      select m.cohort_id, n.user_id, count(*), count(*) filter (where n.is_correct),
             coalesce(max(private.answer_effective_time(n.answered_at, n.received_at)) filter (where n.is_correct), 'infinity'),
             bool_or(p.leaderboard_opt_out)
      from new_answers n
      join public.cohort_members m on m.user_id = n.user_id
      join public.profiles p on p.id = n.user_id
      group by m.cohort_id, n.user_id
      on conflict (cohort_id, user_id) do update set
        answered = l.answered + excluded.answered,
        correct = l.correct + excluded.correct,
        reached_at = case
          when excluded.correct = 0 then l.reached_at
          when l.correct = 0 then excluded.reached_at
          else greatest(l.reached_at, excluded.reached_at) end;
      insert into public.leaderboard_weekly as l (cohort_id, week_start, user_id, answered, correct, reached_at, hidden)
      select m.cohort_id, private.iso_week_start(private.answer_effective_time(n.answered_at, n.received_at)), n.user_id,
             count(*), count(*) filter (where n.is_correct),
             coalesce(max(private.answer_effective_time(n.answered_at, n.received_at)) filter (where n.is_correct), 'infinity'),
             bool_or(p.leaderboard_opt_out)
      from new_answers n
      join public.cohort_members m on m.user_id = n.user_id
      join public.profiles p on p.id = n.user_id
      group by 1, 2, 3
      on conflict (cohort_id, week_start, user_id) do update set
        answered = l.answered + excluded.answered,
        correct = l.correct + excluded.correct,
        reached_at = case
          when excluded.correct = 0 then l.reached_at
          when l.correct = 0 then excluded.reached_at
          else greatest(l.reached_at, excluded.reached_at) end;
      return null;
    end $$`);
  await q(`create trigger bench_rollups_all_answers after insert on public.answers
           referencing new table as new_answers for each statement execute function public.bench_rollups_all_answers()`);
  await q(`alter table public.answers disable trigger bench_rollups_all_answers`);
  const variants = {
    none: { first: false, all: false },
    all_answers: { first: false, all: true },
    first_answers: { first: true, all: false },
  } as const;
  type Variant = keyof typeof variants;
  async function useVariant(v: Variant) {
    await q(`alter table public.answers ${variants[v].first ? 'enable' : 'disable'} trigger answers_into_rollups`);
    await q(`alter table public.answers ${variants[v].all ? 'enable' : 'disable'} trigger bench_rollups_all_answers`);
  }

  const submitters = (await q(`select id from bench_students where s between 2 and $1 + 2 order by s`, [3 * SUBMIT_REPS])).rows.map((r) => r.id as string);
  const qids = Array.from({ length: 50 }, (_, i) => 500 + i);
  async function submitBatch(uid: string): Promise<number> {
    const a1 = crypto.randomUUID();
    const a2 = crypto.randomUUID();
    await q(`insert into public.attempts (id, user_id, mode, question_ids) values ($1, $3, 'tutor', $4), ($2, $3, 'tutor', $5)`,
      [a1, a2, uid, qids.slice(0, 40), qids.slice(40)]);
    const rows = qids.map((qid, i) => ({
      id: crypto.randomUUID(), attempt_id: i < 40 ? a1 : a2, question_id: qid, choice: i % 3 === 0 ? 'B' : 'A',
      time_spent_ms: 30000, answered_at: new Date().toISOString(),
    }));
    return asUser(uid, async () => {
      const t0 = performance.now();
      const r = await q(`select public.submit_answers($1::jsonb) as o`, [JSON.stringify(rows)]);
      const ms = performance.now() - t0;
      const accepted = (r.rows[0].o as { status: string }[]).filter((o) => o.status === 'accepted').length;
      if (accepted !== 50) throw new Error(`submit_answers accepted ${accepted}/50`);
      return ms;
    });
  }
  const samples: Record<Variant, { fresh: number[]; retake: number[] }> = {
    none: { fresh: [], retake: [] }, all_answers: { fresh: [], retake: [] }, first_answers: { fresh: [], retake: [] },
  };
  const order: Variant[] = ['first_answers', 'all_answers', 'none'];
  await useVariant('first_answers');
  await submitBatch(submitters[submitters.length - 1] ?? ''); // warm-up (commits; the student is not reused)
  for (let i = 0; i < SUBMIT_REPS; i++) {
    for (let j = 0; j < order.length; j++) {
      // Rotate which variant goes first so drift (autovacuum, the other jobs on the machine) spreads evenly.
      const v = order[(i + j) % order.length] ?? 'none';
      const uid = submitters[3 * i + j] ?? '';
      await useVariant(v);
      samples[v].fresh.push(await submitBatch(uid)); // 50 questions this student has not answered before
      samples[v].retake.push(await submitBatch(uid)); // the same 50 again in two new blocks
    }
  }
  await useVariant('first_answers');
  await q(`drop trigger bench_rollups_all_answers on public.answers`);
  await q(`drop function public.bench_rollups_all_answers()`);
  const cost = (kind: 'fresh' | 'retake') => {
    const [none, before, after] = [stats(samples.none[kind]), stats(samples.all_answers[kind]), stats(samples.first_answers[kind])];
    return {
      no_rollup_trigger: none,
      before_all_answers: before,
      after_first_answers: after,
      upkeep_before_p50_ms: round(before.p50_ms - none.p50_ms),
      upkeep_after_p50_ms: round(after.p50_ms - none.p50_ms),
    };
  };
  const rollupCost = { batch_of_new_questions: cost('fresh'), retake_of_the_same_50: cost('retake') };
  for (const [label, c] of Object.entries(rollupCost)) {
    log(`\nsubmit_answers, 50 answers, ${label.replace(/_/g, ' ')}: p50 (p95) ms — no rollup trigger ${c.no_rollup_trigger.p50_ms} (${c.no_rollup_trigger.p95_ms}) | before, every answer counted ${c.before_all_answers.p50_ms} (${c.before_all_answers.p95_ms}) | after, first answers ${c.after_first_answers.p50_ms} (${c.after_first_answers.p95_ms}) → upkeep before ${c.upkeep_before_p50_ms} ms, after ${c.upkeep_after_p50_ms} ms (p50)`);
  }

  const summary = {
    bench: 'leaderboard',
    students: N,
    answers: Number(counts.answers),
    rows: counts,
    load_seconds: Math.round(loadSeconds),
    page_size: PAGE,
    deep_rank: deepRank + 1,
    reps: { rollup: REPS, naive: NAIVE_REPS, submit: SUBMIT_REPS },
    leaderboard: results,
    deep_page_without_rank_in_cursor: legacyDeep,
    my_leaderboard_position: myPosition,
    get_leaderboard_vs_before_016: pre016,
    plans_index_scans_only: indexScans,
    submit_answers_rollup_cost: rollupCost,
    postgres: (await q('show server_version')).rows[0].server_version,
  };
  log(`\nSummary: ${N} students, ${counts.answers} answers, loaded in ${summary.load_seconds} s. Deep page at rank ${deepRank + 1}.`);
  log(JSON.stringify(summary));
} finally {
  await close(args.keep);
}
