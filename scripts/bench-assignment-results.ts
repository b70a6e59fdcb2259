/**
 * Assignment results benchmark (issue #18, docs/decisions/023): get_assignment_results — every member's
 * status and result sitting, and the class's choices per question, judged on read (lateness, counted
 * sittings, the best one) — for a big cohort that has taken one 40-question assignment, against the
 * straightforward GROUP BY of the same answers (no judgement) and one leaderboard page, in the same run.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres tsx scripts/bench-assignment-results.ts \
 *     [--students 10000] [--answers 500000] [--reps 20] [--keep]
 *
 * Data: scripts/bench-world.ts (one cohort of N students with M answers of history), then one tutor
 * assignment of 40 questions taken by every student: one block (kind 'assignment', section 0) and 40
 * answers each (N × 40 rows), one in ten after the due date, one in twenty of the students with a second
 * sitting (not counted: max_attempts 1). Each read runs in its own transaction as PostgREST makes it
 * (role authenticated + request.jwt.claims of the instructor); the GROUP BY as the admin login.
 * The human summary is printed first; the LAST line is a JSON summary.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { nearestRank } from './sampling.ts';
import { COHORT, INSTRUCTOR, loadBenchCohort, openBenchDatabase } from './bench-world.ts';

const { values: args } = parseArgs({
  options: {
    students: { type: 'string', default: '10000' },
    answers: { type: 'string', default: '500000' },
    reps: { type: 'string', default: '20' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(args.students);
const M = Number(args.answers);
const REPS = Number(args.reps);
if (![N, M, REPS].every((n) => Number.isInteger(n) && n > 0)) throw new Error('--students, --answers and --reps must be positive integers');
const base = process.env.DATABASE_URL;
if (!base) throw new Error('Set DATABASE_URL to a Postgres server (the bench creates and drops its own database).');

const log = (s: string) => console.log(s);
const ASSIGNMENT = '00000000-0000-4000-8000-0000000a5519';
const round = (ms: number) => Math.round(ms * 100) / 100;
const stats = (samples: number[]) => {
  const sorted = [...samples].sort((x, y) => x - y);
  return { p50_ms: round(nearestRank(sorted, 50) ?? NaN), p95_ms: round(nearestRank(sorted, 95) ?? NaN) };
};

const { q, close } = await openBenchDatabase(base);
try {
  const { loadSeconds } = await loadBenchCohort(q, { students: N, answers: M, log });

  const t = performance.now();
  await q(`insert into public.assignments (id, cohort_id, created_by, title, question_ids, mode, opens_at, due_at)
           values ($1, $2, $3, 'Bench assignment', array(select g from generate_series(1, 40) g), 'tutor',
                   now() - interval '7 days', now() - interval '1 day')`, [ASSIGNMENT, COHORT, INSTRUCTOR]);
  await q(`alter table public.attempts disable trigger attempts_before_insert`);
  await q(`alter table public.answers disable trigger answers_into_rollups`);
  // Every student's sitting; one in twenty a second one (over max_attempts: stored, never counted).
  await q(`insert into public.attempts (id, user_id, mode, kind, question_ids, started_at, completed_at, created_at, assignment_id, sitting_id, section)
           select x.id, b.id, 'tutor', 'assignment', array(select g from generate_series(1, 40) g),
                  now() - interval '3 days' + x.n * interval '1 hour', now() - interval '3 days' + x.n * interval '1 hour' + interval '40 minutes',
                  now(), $1, x.id, 0
           from bench_students b
           cross join lateral (select md5('asg:' || b.s || ':' || n)::uuid as id, n from generate_series(0, case when b.s % 20 = 0 then 1 else 0 end) n) x`,
  [ASSIGNMENT]);
  await q(`insert into public.answers (id, attempt_id, question_id, user_id, choice, is_correct, time_spent_ms, answered_at, received_at)
           select gen_random_uuid(), t.id, qid, t.user_id, case when ok then 'A' else chr(66 + (qid % 4)) end, ok, 45000,
                  t.started_at + qid * interval '1 minute',
                  -- One in ten synced two days after the due date: late whatever the device's clock says.
                  case when (hashtext(t.id::text) & 9) = 0 then now() else t.started_at + qid * interval '1 minute' + interval '1 second' end
           from public.attempts t
           cross join generate_series(1, 40) qid
           cross join lateral (select random() < 0.7 as ok) r
           where t.assignment_id = $1`, [ASSIGNMENT]);
  await q(`alter table public.answers enable trigger answers_into_rollups`);
  await q(`alter table public.attempts enable trigger attempts_before_insert`);
  await q(`vacuum analyze public.attempts, public.answers`);
  const taken = (await q(`select count(*)::int as blocks, (select count(*) from public.answers a join public.attempts t on t.id = a.attempt_id where t.assignment_id = $1)::int as answers
                          from public.attempts where assignment_id = $1`, [ASSIGNMENT])).rows[0] as { blocks: number; answers: number };
  const takeSeconds = (performance.now() - t) / 1000;
  log(`assignment taken: ${taken.blocks} blocks, ${taken.answers} answers in ${takeSeconds.toFixed(1)} s`);

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
  const results = async () =>
    asInstructor(async () => {
      const t0 = performance.now();
      const r = await q(`select public.get_assignment_results($1) as r`, [ASSIGNMENT]);
      return { ms: performance.now() - t0, value: r.rows[0].r as { students: { status: string; correct: number }[]; questions: { answered: number }[] } };
    });
  // The same counts written directly, without lateness, sittings or members who have not started.
  const naive = async () => {
    const t0 = performance.now();
    const r = await q(`select t.user_id, count(*) as answered, count(*) filter (where a.is_correct) as correct
                       from public.attempts t join public.answers a on a.attempt_id = t.id
                       where t.assignment_id = $1 group by t.user_id`, [ASSIGNMENT]);
    return { ms: performance.now() - t0, rows: r.rowCount ?? 0 };
  };
  const leaderboard = async () =>
    asInstructor(async () => {
      const t0 = performance.now();
      await q(`select * from public.get_leaderboard($1, 'all', null, 50)`, [COHORT]);
      return performance.now() - t0;
    });

  // What is measured is right: every member listed, one counted sitting each, 40 questions.
  const check = (await results()).value;
  const byStatus = Object.fromEntries(['done', 'late'].map((s) => [s, check.students.filter((x) => x.status === s).length]));
  if (check.students.length !== N || check.questions.length !== 40 || byStatus.done! + byStatus.late! !== N) {
    throw new Error(`unexpected results: ${check.students.length} students, ${check.questions.length} questions, ${JSON.stringify(byStatus)}`);
  }
  const counted = check.questions.reduce((n, x) => n + x.answered, 0);
  if (counted !== N * 40) throw new Error(`the per-question counts hold ${counted} answers, not ${N * 40} (extra sittings counted?)`);
  log(`checked: ${N} students (${byStatus.done} done, ${byStatus.late} late), ${counted} counted answers of ${taken.answers} stored`);

  const rpcMs: number[] = [];
  const naiveMs: number[] = [];
  const boardMs: number[] = [];
  for (let i = 0; i < REPS; i++) {
    // Alternating, so a busy moment of the host falls on all three alike.
    rpcMs.push((await results()).ms);
    naiveMs.push((await naive()).ms);
    boardMs.push(await leaderboard());
  }
  const rpc = stats(rpcMs);
  const plain = stats(naiveMs);
  const board = stats(boardMs);
  const summary = {
    bench: 'assignment-results',
    students: N,
    history_answers: M,
    assignment_blocks: taken.blocks,
    assignment_answers: taken.answers,
    load_seconds: Math.round(loadSeconds),
    reps: REPS,
    get_assignment_results: rpc,
    plain_group_by: plain,
    leaderboard_first_page: board,
    ratio_p50_vs_plain_group_by: round(rpc.p50_ms / plain.p50_ms),
    ratio_p50_vs_leaderboard_page: round(rpc.p50_ms / board.p50_ms),
    postgres: (await q('show server_version')).rows[0].server_version,
  };
  log(`\nget_assignment_results p50 ${rpc.p50_ms} ms (p95 ${rpc.p95_ms}) for ${N} students × 40 questions; the plain GROUP BY ${plain.p50_ms} ms (×${summary.ratio_p50_vs_plain_group_by}); a leaderboard page ${board.p50_ms} ms.`);
  log(JSON.stringify(summary));
} finally {
  await close(args.keep);
}
