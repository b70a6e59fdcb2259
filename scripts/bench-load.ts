/**
 * Load test: N virtual students doing a realistic session against the local API over HTTP, then a check
 * in the database that every answer is stored exactly once and the leaderboard rollups add up.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:load -- --users 500
 *     [--seed 1] [--pool 20] [--ramp-ms 10000] [--keep]
 *
 * Setup: a fresh database next to DATABASE_URL (dropped afterwards unless --keep); the API runs in a
 * CHILD process (supabase/local/main.ts), so the load generator does not share its event loop, with
 * GoTrue's per-IP sign-in/sign-up limit raised (ROUNDS_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS): every virtual
 * student comes from 127.0.0.1, which the default (30 per 5 minutes, like hosted GoTrue) would refuse
 * after the 30th. The per-user SQL rate limits (attempts, submit_answers, join_cohort) stay as they are.
 * Students are signed up first (POST /auth/v1/signup, 16 at a time), then each one, starting evenly
 * over --ramp-ms, with a seeded think time of 200–800 ms between steps:
 *   sign in (password grant) → join_cohort('ROUNDS28') → GET 40 published questions → insert the attempt
 *   → 4 × submit_answers with 10 answers (client UUIDs) → get_leaderboard for the cohort.
 * A 429 is counted and retried after Retry-After (at most 5 times); any other non-2xx or network error is
 * a failed operation. Only 127.0.0.1 is contacted; every loop is bounded by --users.
 * Verification (direct pg connection): acknowledged answer ids missing from public.answers (lost),
 * stored answers whose choice is not the one sent under that id (changed), ids stored that were never sent, and
 * leaderboard_all_time / leaderboard_weekly against a recount of the first answers (one per student and
 * question, the earliest received; docs/decisions/017) from public.answers.
 * Human summary first; the LAST line is a JSON summary.
 *
 * runScenario/verifyStored are also used by tests/load-50.test.ts (50 students, correctness only).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import path from 'node:path';
import pg from 'pg';
import { Agent, request } from 'undici';
import { z } from 'zod';
import { DEMO_ANON_KEY, repoRoot } from '../supabase/local/config.ts';
import { createFreshDatabase, dropDatabase } from '../supabase/local/db.ts';
import { mulberry32, nearestRank } from './sampling.ts';

export const COHORT_CODE = 'ROUNDS28';
const BLOCK_SIZE = 40;
const BATCH = 10;
const MAX_429_RETRIES = 5;

export type Op = 'signup' | 'signin' | 'join_cohort' | 'questions' | 'create_attempt' | 'submit_answers' | 'leaderboard';

export interface ScenarioOptions {
  apiUrl: string;
  users: number;
  /** Seeds think times and answer choices (default 1). */
  seed?: number;
  /** Think time between steps, uniform in [min, max] ms (default 200–800). */
  thinkMs?: [number, number];
  /** Students start evenly spread over this many ms (default users × 20). */
  rampMs?: number;
  anonKey?: string;
}

export interface OpStats {
  count: number;
  ok: number;
  failed: number;
  rateLimited: number;
  p50_ms: number;
  p90_ms: number;
  p95_ms: number;
  p99_ms: number;
}

export interface Failure {
  op: Op;
  status: number;
  body: string;
}

export interface ScenarioResult {
  users: number;
  userIds: string[];
  cohortId: string | undefined;
  /** Every answer id sent in a submit_answers call. */
  sentAnswerIds: string[];
  /** The choice sent under each answer id. */
  sentChoices: Map<string, string>;
  /** Ids the server reported as accepted or duplicate. */
  ackedAnswerIds: string[];
  ops: Record<Op, OpStats>;
  failures: Failure[];
  requests: number;
  /** Wall time of the session phase (sign-in to leaderboard), excluding sign-ups. */
  sessionMs: number;
  signupMs: number;
}

const sessionSchema = z.object({ access_token: z.string(), user: z.object({ id: z.string() }) });
const questionsSchema = z.array(z.object({ id: z.number() }));
const outcomesSchema = z.array(z.object({ id: z.string(), status: z.string() }));
const cohortSchema = z.object({ id: z.string() });

function pct(sorted: number[], p: number): number {
  return Math.round((nearestRank(sorted, p) ?? 0) * 10) / 10;
}

export async function runScenario(opts: ScenarioOptions): Promise<ScenarioResult> {
  const { apiUrl, users } = opts;
  const seed = opts.seed ?? 1;
  const [thinkMin, thinkMax] = opts.thinkMs ?? [200, 800];
  const rampMs = opts.rampMs ?? users * 20;
  const anonKey = opts.anonKey ?? DEMO_ANON_KEY;
  if (!Number.isInteger(users) || users < 1 || users > 10_000) throw new Error('users must be an integer in 1..10000');
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(apiUrl).hostname)) throw new Error('load tests target this machine only');

  // One keep-alive connection per student at most: a real client has its own.
  const dispatcher = new Agent({ connections: users + 8, keepAliveTimeout: 4_000, pipelining: 1 });
  const samples = new Map<Op, number[]>();
  const counts = new Map<Op, { ok: number; failed: number; rateLimited: number }>();
  const failures: Failure[] = [];
  let requests = 0;

  /** One operation: retried after Retry-After on 429, timed from first try to final answer. */
  async function call(op: Op, method: 'GET' | 'POST', pathAndQuery: string, token: string | undefined, body?: unknown, prefer?: string) {
    const c = counts.get(op) ?? { ok: 0, failed: 0, rateLimited: 0 };
    counts.set(op, c);
    const t0 = performance.now();
    for (let attempt = 0; ; attempt++) {
      requests++;
      let status = 0;
      let text: string;
      let retryAfter = 1;
      try {
        const res = await request(`${apiUrl}${pathAndQuery}`, {
          method,
          dispatcher,
          headers: {
            apikey: anonKey,
            authorization: `Bearer ${token ?? anonKey}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(prefer ? { prefer } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        status = res.statusCode;
        text = await res.body.text();
        retryAfter = Number(res.headers['retry-after'] ?? 1) || 1;
      } catch (e) {
        text = e instanceof Error ? e.message : String(e);
      }
      if (status === 429 && attempt < MAX_429_RETRIES) {
        c.rateLimited++;
        await sleep(Math.min(retryAfter, 10) * 1000);
        continue;
      }
      if (status === 429) c.rateLimited++;
      const ms = performance.now() - t0;
      const list = samples.get(op) ?? [];
      list.push(ms);
      samples.set(op, list);
      if (status >= 200 && status < 300) {
        c.ok++;
        return text;
      }
      c.failed++;
      if (failures.length < 50) failures.push({ op, status, body: text.slice(0, 300) });
      return undefined;
    }
  }

  const signupStart = performance.now();
  const runId = randomUUID().slice(0, 8);
  const emails = Array.from({ length: users }, (_, i) => `load-${runId}-${i}@bench.local`);
  const password = 'load-test-password';
  const userIds: string[] = [];
  // Sign-ups are set-up, not the scenario: a bounded number at a time.
  for (let i = 0; i < users; i += 16) {
    await Promise.all(
      emails.slice(i, i + 16).map(async (email) => {
        const text = await call('signup', 'POST', '/auth/v1/signup', undefined, { email, password });
        if (text) userIds.push(sessionSchema.parse(JSON.parse(text)).user.id);
      }),
    );
  }
  const signupMs = performance.now() - signupStart;

  const sentAnswerIds: string[] = [];
  const sentChoices = new Map<string, string>();
  const ackedAnswerIds: string[] = [];
  let cohortId: string | undefined;

  async function student(index: number): Promise<void> {
    const random = mulberry32(seed * 100_003 + index);
    const think = () => sleep(thinkMin + random() * (thinkMax - thinkMin));
    await sleep((rampMs * index) / users);

    const signin = await call('signin', 'POST', '/auth/v1/token?grant_type=password', undefined, { email: emails[index], password });
    if (!signin) return;
    const token = sessionSchema.parse(JSON.parse(signin)).access_token;
    await think();

    const joined = await call('join_cohort', 'POST', '/rest/v1/rpc/join_cohort', token, { code: COHORT_CODE });
    if (joined) cohortId ??= cohortSchema.parse(JSON.parse(joined)).id;
    await think();

    // A block: 40 published questions from a seeded window of the bank, as the block builder would.
    const offset = Math.floor(random() * 40);
    const qs = await call(
      'questions',
      'GET',
      `/rest/v1/questions?select=id,stem,choices,organ_system,discipline,difficulty&published=eq.true&order=id&limit=${BLOCK_SIZE}&offset=${offset}`,
      token,
    );
    if (!qs) return;
    const questionIds = questionsSchema.parse(JSON.parse(qs)).map((q) => q.id);
    if (questionIds.length === 0) return;
    await think();

    const attemptId = randomUUID();
    const created = await call('create_attempt', 'POST', '/rest/v1/attempts', token, { id: attemptId, mode: 'tutor', question_ids: questionIds }, 'return=minimal');
    if (created === undefined) return;

    for (let i = 0; i < questionIds.length; i += BATCH) {
      await think();
      const answers = questionIds.slice(i, i + BATCH).map((questionId) => ({
        id: randomUUID(),
        attempt_id: attemptId,
        question_id: questionId,
        choice: 'ABCDE'[Math.floor(random() * 5)],
        time_spent_ms: Math.floor(20_000 + random() * 70_000),
        answered_at: new Date().toISOString(),
      }));
      sentAnswerIds.push(...answers.map((a) => a.id));
      for (const a of answers) sentChoices.set(a.id, a.choice ?? '');
      const out = await call('submit_answers', 'POST', '/rest/v1/rpc/submit_answers', token, { answers });
      if (!out) continue;
      for (const o of outcomesSchema.parse(JSON.parse(out))) {
        if (o.status === 'accepted' || o.status === 'duplicate') ackedAnswerIds.push(o.id);
        else if (failures.length < 50) failures.push({ op: 'submit_answers', status: 200, body: JSON.stringify(o) });
      }
    }
    await think();

    if (cohortId) await call('leaderboard', 'POST', '/rest/v1/rpc/get_leaderboard', token, { p_cohort_id: cohortId, p_period: 'all' });
  }

  const sessionStart = performance.now();
  await Promise.all(Array.from({ length: users }, (_, i) => student(i)));
  const sessionMs = performance.now() - sessionStart;
  await dispatcher.close();

  const ops = {} as Record<Op, OpStats>;
  for (const op of ['signup', 'signin', 'join_cohort', 'questions', 'create_attempt', 'submit_answers', 'leaderboard'] as const) {
    const s = [...(samples.get(op) ?? [])].sort((a, b) => a - b);
    const c = counts.get(op) ?? { ok: 0, failed: 0, rateLimited: 0 };
    ops[op] = { count: s.length, ...c, p50_ms: pct(s, 50), p90_ms: pct(s, 90), p95_ms: pct(s, 95), p99_ms: pct(s, 99) };
  }
  return { users, userIds, cohortId, sentAnswerIds, sentChoices, ackedAnswerIds, ops, failures, requests, sessionMs, signupMs };
}

/** Runs one SQL statement as a privileged login (RLS does not apply). */
export type AdminQuery = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

export interface Verification {
  stored: number;
  lost: number;
  /** Stored under a sent id with another choice than the one sent (the server must never change an answer). */
  changed: number;
  /** Stored for these students but never sent by the scenario. */
  unexpected: number;
  rollupMismatches: number;
}

export async function verifyStored(query: AdminQuery, result: ScenarioResult): Promise<Verification> {
  const rows = await query('select id::text as id, choice from public.answers where user_id = any($1::uuid[])', [result.userIds]);
  const stored = new Set(rows.map((r) => String(r.id)));
  const sent = new Set(result.sentAnswerIds);
  const lost = result.ackedAnswerIds.filter((id) => !stored.has(id)).length;
  const unexpected = [...stored].filter((id) => !sent.has(id)).length;
  const changed = rows.filter((r) => result.sentChoices.has(String(r.id)) && result.sentChoices.get(String(r.id)) !== String(r.choice)).length;
  // Rollups against a recount from the raw answers (every student joined the cohort before answering):
  // first answers only, the earliest received per student and question.
  const [mismatch] = await query(
    `with me as (select unnest($1::uuid[]) as user_id),
     firsts as (select distinct on (user_id, question_id) user_id, is_correct
                  from public.answers where user_id = any($1::uuid[])
                 order by user_id, question_id, received_at, answered_at, id),
     raw as (select user_id, count(*)::int as answered, (count(*) filter (where is_correct))::int as correct
               from firsts group by user_id),
     weekly as (select user_id, sum(answered)::int as answered, sum(correct)::int as correct
                  from public.leaderboard_weekly where cohort_id = $2 and user_id = any($1::uuid[]) group by user_id)
     select count(*)::int as n
       from me
       left join raw r using (user_id)
       left join public.leaderboard_all_time l on l.user_id = me.user_id and l.cohort_id = $2
       left join weekly w on w.user_id = me.user_id
      where coalesce(r.answered, 0) <> coalesce(l.answered, 0) or coalesce(r.correct, 0) <> coalesce(l.correct, 0)
         or coalesce(r.answered, 0) <> coalesce(w.answered, 0) or coalesce(r.correct, 0) <> coalesce(w.correct, 0)`,
    [result.userIds, result.cohortId],
  );
  return {
    stored: stored.size,
    lost,
    changed,
    unexpected,
    rollupMismatches: Number(mismatch?.n ?? 0),
  };
}

/** Starts supabase/local/main.ts in a child process on a free port; resolves with its URL. */
async function startServerProcess(env: NodeJS.ProcessEnv): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'supabase/local/main.ts')], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => l.includes('"url"'));
      if (line) resolve(z.object({ url: z.string() }).parse(JSON.parse(line)).url);
    });
    child.once('exit', (code) => reject(new Error(`API server exited with ${code}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

if (process.argv[1] === import.meta.filename) {
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: '500' },
      seed: { type: 'string', default: '1' },
      pool: { type: 'string', default: '20' },
      'ramp-ms': { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  const users = Number(values.users);
  const base = process.env.DATABASE_URL;
  if (!base) {
    console.error('bench-load needs Postgres: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres).');
    process.exit(2);
  }
  const fresh = await createFreshDatabase(base, 'rounds_load');
  const server = await startServerProcess({
    ...process.env,
    DATABASE_URL: fresh,
    ROUNDS_API_HOST: '127.0.0.1',
    ROUNDS_API_PORT: '0',
    ROUNDS_SEED: '1',
    ROUNDS_LOG: '0',
    ROUNDS_DB_POOL_SIZE: values.pool,
    // Every virtual student signs up and in from 127.0.0.1: lift the per-IP limit for the bench only.
    ROUNDS_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS: String(users * 4 + 100),
  });
  const db = new pg.Client({ connectionString: fresh });
  let exitCode = 0;
  try {
    const result = await runScenario({
      apiUrl: server.url,
      users,
      seed: Number(values.seed),
      ...(values['ramp-ms'] ? { rampMs: Number(values['ramp-ms']) } : {}),
    });
    await db.connect();
    const check = await verifyStored(async (sql, params) => (await db.query(sql, params)).rows, result);
    const failed = Object.values(result.ops).reduce((n, o) => n + o.failed, 0);
    const total = Object.values(result.ops).reduce((n, o) => n + o.count, 0);
    const r429 = Object.values(result.ops).reduce((n, o) => n + o.rateLimited, 0);
    const summary = {
      users,
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      dbPoolSize: Number(values.pool),
      signupSeconds: Math.round(result.signupMs / 100) / 10,
      sessionSeconds: Math.round(result.sessionMs / 100) / 10,
      requests: result.requests,
      throughputRps: Math.round((total / ((result.signupMs + result.sessionMs) / 1000)) * 10) / 10,
      sessionThroughputRps: Math.round(((total - result.ops.signup.count) / (result.sessionMs / 1000)) * 10) / 10,
      successRate: total ? Math.round(((total - failed) / total) * 10_000) / 10_000 : 0,
      failed,
      rateLimited429: r429,
      answers: { sent: result.sentAnswerIds.length, acked: result.ackedAnswerIds.length, ...check },
      ops: result.ops,
    };
    console.log(`Load test: ${users} students against ${server.url} (Postgres, API pool ${values.pool}), ${os.cpus().length} cores`);
    console.log(`  sign-ups ${summary.signupSeconds} s, sessions ${summary.sessionSeconds} s, ${result.requests} requests`);
    console.log('  op               count    ok  fail  429     p50     p90     p95     p99 (ms)');
    for (const [op, s] of Object.entries(result.ops)) {
      console.log(
        `  ${op.padEnd(15)} ${String(s.count).padStart(6)} ${String(s.ok).padStart(5)} ${String(s.failed).padStart(5)} ${String(s.rateLimited).padStart(4)} ${[s.p50_ms, s.p90_ms, s.p95_ms, s.p99_ms].map((v) => v.toFixed(1).padStart(7)).join(' ')}`,
      );
    }
    console.log(`  success ${(summary.successRate * 100).toFixed(2)} %, ${summary.throughputRps} req/s overall, ${summary.sessionThroughputRps} req/s in sessions`);
    console.log(`  answers sent ${summary.answers.sent}, acked ${summary.answers.acked}, stored ${check.stored}, lost ${check.lost}, changed ${check.changed}, unexpected ${check.unexpected}, rollup mismatches ${check.rollupMismatches}`);
    for (const f of result.failures.slice(0, 5)) console.log(`  failure: ${f.op} ${f.status} ${f.body}`);
    if (failed || check.lost || check.changed || check.unexpected || check.rollupMismatches) exitCode = 1;
    console.log(JSON.stringify(summary));
  } finally {
    await db.end().catch(() => undefined);
    await server.stop();
    if (!values.keep) await dropDatabase(fresh);
    else console.error(`kept database ${fresh}`);
  }
  process.exit(exitCode);
}
