/**
 * Live-session fan-out (issue #19): N students connected to one live session over Realtime, from the
 * instructor's "show question" to every student's receipt, answers counted against answers sent in time,
 * and the same N students as 1-second pollers of get_live_session (the fallback without Realtime) as the
 * baseline in the same run.
 *
 *   npm run bench:live                       # PGlite (in memory)
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:live   # a fresh database
 *     [--students 300] [--questions 5] [--window 10] [--late 0.1] [--seed 1]
 *
 * The API runs in a CHILD process (this file with --serve), so the N clients never share its event loop.
 * It starts with the demo seed (published questions), the Realtime connection limit raised to N + 10 and
 * GoTrue's per-IP sign-in limit lifted (every student signs in from 127.0.0.1), and creates the instructor,
 * the cohort and the N students directly in the database (auth.users rows with one shared bcrypt hash of
 * cost 4, the sign-up trigger's profiles, memberships), the way scripts/bench-world.ts does; each student then
 * signs in with the password grant, so every token is one GoTrue issued.
 *
 * Realtime phase: the instructor starts a session of --questions questions; every student's supabase-js
 * client (its own WebSocket) joins the private channel live:<session> with its token, and sends its live
 * block (submit_answers with the block only, as the app does on joining). Per question the instructor
 * calls next_live_question (timer --window + 30 s, choices at once), waits --window seconds and calls
 * close_live_question. Fan-out latency = receipt of the 'question' broadcast − start of the instructor's
 * call, same process clock (performance.now). Each student answers through submit_answers at a random
 * moment between its receipt and 1.5 s before the close, except a seeded --late fraction per question who
 * answer 0–1 s after the close has returned (refused too_late). "Sent in time" = sent before the close
 * call started; the database's count of stored answers (service role) must equal the accepted ones and
 * the ones sent in time.
 * Polling phase (same students, same server, Realtime disconnected): a second session; every student
 * calls get_live_session once a second (seeded phase, no overlap: a slow poll delays the next) and the
 * detection latency is the first poll response showing the new question − start of the instructor's call.
 * Exit code 1 when a join fails, a receipt or a detection is missing, or the answer counts disagree.
 * Human summary first; the LAST line is a JSON summary.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { RealtimeChannel } from '@supabase/supabase-js';
import { z } from 'zod';
import { DEMO_SERVICE_ROLE_KEY, repoRoot } from '../supabase/local/config.ts';
import { createFreshDatabase, dropDatabase } from '../supabase/local/db.ts';
import { startServer } from '../supabase/local/server.ts';
import { createTestClient, type TestClient } from '../supabase/local/test-client.ts';
import { liveBlockId } from '../src/features/live/model/protocol.ts';
import { mulberry32, nearestRank } from './sampling.ts';

const PASSWORD = 'live-bench-password';
const INSTRUCTOR_EMAIL = 'live-bench-instructor@example.com';
const studentEmail = (i: number) => `live-bench-${i}@example.com`;
/** Hosted Realtime (https://supabase.com/docs/guides/realtime/limits), for the printout. */
const HOSTED = { free: { connections: 200, joinsPerSecond: 100 }, pro: { connections: 500, joinsPerSecond: 500 } };

/** --serve: the API for the parent, with the class created in the database. */
async function serve(students: number): Promise<void> {
  const server = await startServer({ port: 0, logRequests: false, seed: true });
  const cohortId = randomUUID();
  await server.engine.admin(async (tx) => {
    // One bcrypt hash for every bench user, at bcrypt's lowest cost: the sign-ins still go through GoTrue's
    // password grant (real tokens), but do not spend a minute of the 2 cores on bcrypt before measuring.
    await tx.query(
      `with h as (select extensions.crypt($1, extensions.gen_salt('bf', 4)) as pw),
            people as (
              select $2::text as email, 'Bench Instructor' as name, true as instructor
              union all
              select 'live-bench-' || g || '@example.com', 'Live Student ' || g, false from generate_series(0, $3::int - 1) g
            ),
            users as (
              insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                                      raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
                                      confirmation_token, recovery_token, email_change_token_new, email_change)
              select '00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', p.email, h.pw, now(),
                     case when p.instructor then '{"provider":"email","providers":["email"],"role":"instructor"}'::jsonb
                          else '{"provider":"email","providers":["email"]}'::jsonb end,
                     jsonb_build_object('display_name', p.name, 'email_verified', true), now(), now(), '', '', '', ''
              from people p, h
              returning id, email
            )
       insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
       select u.id::text, u.id, jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', true), 'email', now(), now()
       from users u`,
      [PASSWORD, INSTRUCTOR_EMAIL, students],
    );
    await tx.query(
      `insert into public.cohorts (id, name, instructor_id) select $1, 'Live bench cohort', u.id from auth.users u where u.email = $2`,
      [cohortId, INSTRUCTOR_EMAIL],
    );
    await tx.query(
      `insert into public.cohort_members (cohort_id, user_id) select $1, u.id from auth.users u where u.email like 'live-bench-%' and u.email <> $2`,
      [cohortId, INSTRUCTOR_EMAIL],
    );
  });
  process.stdout.write(`${JSON.stringify({ url: server.url, engine: server.engine.kind, cohortId })}\n`);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void server.close().then(() => process.exit(0)));
}

const started = z.object({ url: z.string(), engine: z.string(), cohortId: z.string() });

async function startServerProcess(env: NodeJS.ProcessEnv, students: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--serve', '--students', String(students)], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const info = await new Promise<z.infer<typeof started>>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => l.includes('"url"'));
      if (line) resolve(started.parse(JSON.parse(line)));
    });
    child.once('exit', (code) => reject(new Error(`API server exited with ${code}`)));
  });
  return {
    ...info,
    /** CPU seconds the server process has used (user + system, Linux /proc; its worker threads included, Postgres backends not). */
    cpuSeconds: (): number | undefined => {
      try {
        const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
      } catch {
        return undefined;
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

interface Person {
  id: string;
  token: string;
  db: TestClient;
}

const sessionSchema = z.object({ access_token: z.string(), user: z.object({ id: z.string() }) });
const outcomesSchema = z.array(z.object({ id: z.string(), status: z.string(), reason: z.string().optional() }));
const questionMessage = z.object({ position: z.number() });
const snapshotSchema = z.object({ question: z.object({ position: z.number() }).nullable() });

/** Runs `fn` over `xs` with at most `limit` at once. */
async function pool<T, R>(xs: readonly T[], limit: number, fn: (x: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(xs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, xs.length) }, async () => {
      while (next < xs.length) {
        const i = next++;
        out[i] = await fn(xs[i] as T, i);
      }
    }),
  );
  return out;
}

const round1 = (x: number | undefined) => Math.round((x ?? NaN) * 10) / 10;
function summary(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: round1(nearestRank(s, 50)), p95: round1(nearestRank(s, 95)), max: round1(s.at(-1)), n: s.length };
}

/** Subscribes; resolves with the time to SUBSCRIBED and how many join attempts timed out or failed before it. */
function join(ch: RealtimeChannel, deadlineMs: number): Promise<{ ms: number; retries: number; error?: string }> {
  const t0 = performance.now();
  let retries = 0;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ms: NaN, retries, error: 'no SUBSCRIBED before the deadline' }), deadlineMs);
    ch.subscribe((status, err) => {
      if (status === 'SUBSCRIBED') {
        clearTimeout(timer);
        resolve({ ms: performance.now() - t0, retries });
      } else if (status === 'CHANNEL_ERROR' && err && /permission/i.test(err.message)) {
        clearTimeout(timer);
        resolve({ ms: NaN, retries, error: err.message });
      } else {
        retries++; // TIMED_OUT / CHANNEL_ERROR / CLOSED: realtime-js rejoins by itself
      }
    });
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      students: { type: 'string', default: '300' },
      questions: { type: 'string', default: '5' },
      window: { type: 'string', default: '10' },
      late: { type: 'string', default: '0.1' },
      seed: { type: 'string', default: '1' },
      serve: { type: 'boolean', default: false },
    },
  });
  const N = Number(values.students);
  const Q = Number(values.questions);
  const W = Number(values.window);
  const LATE = Number(values.late);
  if (values.serve) return serve(N);
  if (!Number.isInteger(N) || N < 1 || N > 5000) throw new Error('--students must be an integer in 1..5000');
  if (!Number.isInteger(Q) || Q < 1 || Q > 40) throw new Error('--questions must be an integer in 1..40 (one live block)');
  if (!Number.isInteger(W) || W < 3 || W > 300) throw new Error('--window must be whole seconds in 3..300');
  if (!(LATE >= 0 && LATE < 1)) throw new Error('--late must be a fraction in [0, 1)');
  const rand = mulberry32(Number(values.seed));
  const log = (s: string) => console.log(s);

  const loadBefore = os.loadavg()[0];
  const base = process.env.DATABASE_URL;
  const fresh = base ? await createFreshDatabase(base, 'rounds_live') : undefined;
  const realtimeLimit = N + 10;
  const server = await startServerProcess(
    {
      ...process.env,
      DATABASE_URL: fresh ?? '',
      ROUNDS_DATA_DIR: 'memory://',
      ROUNDS_API_HOST: '127.0.0.1',
      ROUNDS_API_PORT: '0',
      ROUNDS_SEED: '1',
      ROUNDS_LOG: '0',
      ROUNDS_REALTIME_MAX_CONNECTIONS: String(realtimeLimit),
      ROUNDS_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS: String(N * 2 + 100),
    },
    N,
  );
  let exitCode = 0;
  const everyone: Person[] = [];
  try {
    log(`Live bench: ${server.engine} at ${server.url}, ${os.cpus().length} cores (load average ${loadBefore?.toFixed(1)} before), Node ${process.version}; ${N} students, ${Q} questions, ${W} s windows, ${Math.round(LATE * 100)} % late per question`);
    log(`  Realtime connection limit of the local server raised to ${realtimeLimit}; hosted Realtime allows ${HOSTED.free.connections} concurrent connections on Free and ${HOSTED.pro.connections} on Pro (channel joins per second: ${HOSTED.free.joinsPerSecond} / ${HOSTED.pro.joinsPerSecond}; supabase.com/docs/guides/realtime/limits)`);

    // ------------------------------------------------------------------------------------ sign-ins
    let t = performance.now();
    const signIn = async (email: string): Promise<Person> => {
      const { data, error } = await createTestClient(server.url).auth.signInWithPassword({ email, password: PASSWORD });
      if (error || !data.session) throw new Error(`sign-in ${email}: ${error?.message ?? 'no session'}`);
      const s = sessionSchema.parse(data.session);
      const db = createTestClient(server.url, { accessToken: s.access_token });
      // realtime-js sends this token with every join (and its refreshes).
      await db.realtime.setAuth(s.access_token);
      const p = { id: s.user.id, token: s.access_token, db };
      everyone.push(p);
      return p;
    };
    const instructor = await signIn(INSTRUCTOR_EMAIL);
    const students = await pool(Array.from({ length: N }, (_, i) => i), 8, (i) => signIn(studentEmail(i)));
    log(`  ${N + 1} users created in the database, signed in with the password grant in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const { data: qrows } = await instructor.db.from('questions').select('id').eq('published', true).order('id').limit(Q).throwOnError();
    const qids = z.array(z.object({ id: z.number() })).parse(qrows).map((r) => r.id);
    if (qids.length < Q) throw new Error(`only ${qids.length} published questions`);
    const startSession = async (title: string) => {
      const { data } = await instructor.db
        .from('live_sessions')
        .insert({ id: randomUUID(), cohort_id: server.cohortId, title, question_ids: qids })
        .select('id')
        .single()
        .throwOnError();
      return z.object({ id: z.string() }).parse(data).id;
    };
    const rpcJson = async (p: Person, fn: 'next_live_question' | 'close_live_question' | 'end_live_session', sessionId: string, extra: object = {}) => {
      const { data } = await p.db.rpc(fn, { p_session_id: sessionId, ...extra }).throwOnError();
      return data;
    };

    // ------------------------------------------------------------------------------ realtime phase
    const sessionId = await startSession('Live bench: Realtime');
    // Each student's live block id, derived as the app derives it on every device.
    const blockIds = await Promise.all(students.map((s) => liveBlockId(sessionId, s.id)));
    const host = instructor.db.channel(`live-host:${sessionId}`, { config: { private: true } });
    let hostMessages = 0;
    host.on('broadcast', { event: 'answers' }, () => hostMessages++);
    const hostJoin = await join(host, 60_000);
    if (hostJoin.error) throw new Error(`instructor join: ${hostJoin.error}`);

    // receipts[q][student] = ms after the instructor's call started.
    const shownAt: number[] = [];
    const receipts: (number | undefined)[][] = Array.from({ length: Q }, () => new Array<number | undefined>(N));
    const onQuestion: ((student: number, position: number, at: number) => void)[] = [];
    t = performance.now();
    const channels = students.map((s, i) => {
      const ch = s.db.channel(`live:${sessionId}`, { config: { private: true } });
      ch.on('broadcast', { event: 'question' }, (m: { payload: unknown }) => {
        const at = performance.now();
        const { position } = questionMessage.parse(m.payload);
        const row = receipts[position];
        if (row && row[i] === undefined) {
          row[i] = at - (shownAt[position] ?? NaN);
          for (const f of onQuestion) f(i, position, at);
        }
      });
      return ch;
    });
    const joins = await Promise.all(channels.map((ch) => join(ch, 120_000)));
    const joinWall = performance.now() - t;
    const joinFailures = joins.filter((j) => j.error);
    const joinStats = { ...summary(joins.filter((j) => !j.error).map((j) => j.ms)), wall_s: round1(joinWall / 1000), retries: joins.reduce((n, j) => n + j.retries, 0), failed: joinFailures.length };
    log(`  joins of live:<session>: ${N - joinFailures.length}/${N} SUBSCRIBED in ${joinStats.wall_s} s (p50 ${joinStats.p50} ms, p95 ${joinStats.p95} ms, max ${joinStats.max} ms; ${joinStats.retries} join retries)`);
    for (const f of joinFailures.slice(0, 3)) log(`    join failed: ${f.error}`);
    if (joinFailures.length) exitCode = 1;

    // Every student's live block reaches the server on joining (the app's answer sync does this).
    t = performance.now();
    const blocks = await Promise.all(
      students.map(async (s, i) => {
        const t0 = performance.now();
        const block = { id: blockIds[i], mode: 'tutor', kind: 'live', question_ids: qids, time_limit_seconds: null, filters: {}, started_at: new Date().toISOString(), live_session_id: sessionId };
        const { error } = await s.db.rpc('submit_answers', { answers: [], attempts: [block] });
        return { ms: performance.now() - t0, error: error?.message };
      }),
    );
    const blockErrors = blocks.filter((b) => b.error);
    const blockStats = summary(blocks.map((b) => b.ms));
    log(`  live blocks: ${N - blockErrors.length}/${N} sent in ${((performance.now() - t) / 1000).toFixed(1)} s (p50 ${blockStats.p50} ms, p95 ${blockStats.p95} ms)`);
    if (blockErrors.length) {
      exitCode = 1;
      log(`    block failed: ${blockErrors[0]?.error}`);
    }

    // slipped: meant to be in time but sent after the close had started (the client fell behind).
    const answers = { sent_in_time: 0, sent_late: 0, slipped: 0, accepted: 0, too_late: 0, other: 0, errors: 0 };
    const otherOutcomes: string[] = [];
    const submitMs: number[] = [];
    const showRpcMs: number[] = [];
    const closeRpcMs: number[] = [];
    let closeStartedAt = Infinity;
    let closeDone: Promise<void> = Promise.resolve();
    let pending: Promise<void>[] = [];
    const choices = ['A', 'B', 'C', 'D', 'E'] as const;

    async function submit(i: number, position: number, inTime: boolean): Promise<void> {
      const s = students[i];
      if (!s) return;
      const answer = {
        id: randomUUID(),
        attempt_id: blockIds[i],
        question_id: qids[position],
        choice: choices[Math.floor(rand() * choices.length)],
        time_spent_ms: 3000,
        answered_at: new Date().toISOString(),
      };
      const t0 = performance.now();
      // Sent in time = sent before the instructor's close started, by the same clock.
      const counted = inTime && t0 < closeStartedAt;
      if (counted) answers.sent_in_time++;
      else answers.sent_late++;
      if (inTime && !counted) answers.slipped++;
      const { data, error } = await s.db.rpc('submit_answers', { answers: [answer] });
      submitMs.push(performance.now() - t0);
      if (error) {
        answers.errors++;
        otherOutcomes.push(`${error.code}: ${error.message}`);
        return;
      }
      const o = outcomesSchema.parse(data)[0];
      if (o?.status === 'accepted') answers.accepted++;
      else if (o?.status === 'rejected' && o.reason === 'too_late') answers.too_late++;
      else {
        answers.other++;
        otherOutcomes.push(JSON.stringify(o));
      }
    }

    let late = new Set<number>();
    onQuestion.push((i, position, at) => {
      const shown = shownAt[position] ?? at;
      if (late.has(i)) {
        pending.push(closeDone.then(() => sleep(rand() * 1000)).then(() => submit(i, position, false)));
      } else {
        // A random moment between the receipt (+200 ms to read) and 1.5 s before the close.
        const from = at + 200;
        const to = Math.max(from, shown + W * 1000 - 1500);
        pending.push(sleep(from + rand() * (to - from) - performance.now()).then(() => submit(i, position, true)));
      }
    });

    log(`  questions (Realtime):`);
    const rtFrom = { at: performance.now(), server: server.cpuSeconds(), bench: process.cpuUsage() };
    for (let q = 0; q < Q; q++) {
      late = new Set(students.map((_, i) => i).filter(() => rand() < LATE));
      pending = [];
      closeStartedAt = Infinity;
      let closed!: () => void;
      closeDone = new Promise((r) => (closed = r));
      shownAt[q] = performance.now();
      await rpcJson(instructor, 'next_live_question', sessionId, { p_seconds: W + 30, p_choices_after_seconds: 0 });
      showRpcMs.push(performance.now() - (shownAt[q] ?? 0));
      await sleep((shownAt[q] ?? 0) + W * 1000 - performance.now());
      closeStartedAt = performance.now();
      await rpcJson(instructor, 'close_live_question', sessionId);
      closeRpcMs.push(performance.now() - closeStartedAt);
      closed();
      await Promise.all(pending);
      const got = receipts[q]?.filter((x) => x !== undefined) ?? [];
      const s = summary(got);
      log(`    #${q + 1}: ${got.length}/${N} received, fan-out p50 ${s.p50} ms p95 ${s.p95} ms max ${s.max} ms; show RPC ${round1(showRpcMs[q])} ms`);
    }
    const rtSeconds = (performance.now() - rtFrom.at) / 1000;
    const rtBench = process.cpuUsage(rtFrom.bench);
    const rtCpu = {
      server: Math.round((((server.cpuSeconds() ?? NaN) - (rtFrom.server ?? NaN)) / rtSeconds) * 100) / 100,
      bench: Math.round(((rtBench.user + rtBench.system) / 1e6 / rtSeconds) * 100) / 100,
    };
    await rpcJson(instructor, 'end_live_session', sessionId);

    const fanout = summary(receipts.flat().filter((x): x is number => x !== undefined));
    const missed = N * Q - fanout.n;

    // The database's count: every answer stored in the session's live blocks (service role, no RLS).
    const admin = createTestClient(server.url, { key: DEMO_SERVICE_ROLE_KEY });
    let stored = 0;
    for (let i = 0; i < blockIds.length; i += 50) {
      const { data } = await admin.from('answers').select('id').in('attempt_id', blockIds.slice(i, i + 50)).throwOnError();
      stored += data.length;
    }
    const consistent = stored === answers.accepted && answers.accepted === answers.sent_in_time && answers.too_late === answers.sent_late;
    log(`  fan-out over ${fanout.n} receipts (${missed} missed): p50 ${fanout.p50} ms, p95 ${fanout.p95} ms, max ${fanout.max} ms`);
    log(`  answers: sent in time ${answers.sent_in_time}, accepted ${answers.accepted}, stored ${stored}; sent after the close ${answers.sent_late} (${answers.slipped} of them meant in time), refused too_late ${answers.too_late}; other ${answers.other}, errors ${answers.errors} → ${consistent ? 'consistent' : 'MISMATCH'}`);
    log(`  submit_answers p50 ${summary(submitMs).p50} ms p95 ${summary(submitMs).p95} ms; instructor's live count messages received: ${hostMessages}`);
    log(`  CPU during the questions (cores): API server process ${rtCpu.server}, this bench process ${rtCpu.bench}`);
    for (const o of otherOutcomes.slice(0, 5)) log(`    unexpected: ${o}`);
    if (!consistent || missed || answers.other || answers.errors) exitCode = 1;

    await Promise.all(everyone.map((p) => p.db.realtime.disconnect()));

    // ------------------------------------------------------------------------------- polling phase
    const pollSession = await startSession('Live bench: polling');
    const polled: (number | undefined)[][] = Array.from({ length: Q }, () => new Array<number | undefined>(N));
    const pollShownAt: number[] = [];
    const pollMs: number[] = [];
    let pollErrors = 0;
    let polling = true;
    const phaseStart = performance.now();
    const pollers = students.map(async (s, i) => {
      let next = phaseStart + rand() * 1000;
      let seen: number | null = null;
      while (polling) {
        await sleep(next - performance.now());
        if (!polling) break;
        const t0 = performance.now();
        const { data, error } = await s.db.rpc('get_live_session', { p_session_id: pollSession });
        const at = performance.now();
        pollMs.push(at - t0);
        if (error) pollErrors++;
        else {
          const position = snapshotSchema.parse(data).question?.position ?? null;
          if (position !== null && position !== seen) {
            seen = position;
            const row = polled[position];
            if (row) row[i] = at - (pollShownAt[position] ?? NaN);
          }
        }
        // setInterval without overlap: the next poll a second after this one was due, or now if late.
        next = Math.max(next + 1000, performance.now());
      }
    });
    await sleep(2000); // every poller running
    const pollsBefore = pollMs.length;
    const measuredFrom = performance.now();
    const cpuFrom = { server: server.cpuSeconds(), bench: process.cpuUsage() };
    log(`  questions (polling every 1 s):`);
    for (let q = 0; q < Q; q++) {
      pollShownAt[q] = performance.now();
      await rpcJson(instructor, 'next_live_question', pollSession, { p_seconds: 30, p_choices_after_seconds: 0 });
      // Until every student has seen it (at most 10 s), then close and let a poll go by.
      while ((polled[q]?.filter((x) => x !== undefined).length ?? 0) < N && performance.now() - (pollShownAt[q] ?? 0) < 10_000) await sleep(100);
      await rpcJson(instructor, 'close_live_question', pollSession);
      const got = polled[q]?.filter((x) => x !== undefined) ?? [];
      const s = summary(got);
      log(`    #${q + 1}: ${got.length}/${N} detected, p50 ${s.p50} ms p95 ${s.p95} ms max ${s.max} ms`);
      await sleep(1000);
    }
    const pollSeconds = (performance.now() - measuredFrom) / 1000;
    const pollRequests = pollMs.length - pollsBefore;
    const serverCpu = (server.cpuSeconds() ?? NaN) - (cpuFrom.server ?? NaN);
    const benchCpu = process.cpuUsage(cpuFrom.bench);
    // Share of one core each process used while polling (2 cores in all on the project machine).
    const pollCpu = { server: Math.round((serverCpu / pollSeconds) * 100) / 100, bench: Math.round(((benchCpu.user + benchCpu.system) / 1e6 / pollSeconds) * 100) / 100 };
    polling = false;
    await Promise.all(pollers);
    await rpcJson(instructor, 'end_live_session', pollSession);
    const detection = summary(polled.flat().filter((x): x is number => x !== undefined));
    const pollMissed = N * Q - detection.n;
    const rps = round1(pollRequests / pollSeconds);
    const pollLatency = summary(pollMs);
    log(`  polling detection over ${detection.n} (${pollMissed} missed): p50 ${detection.p50} ms, p95 ${detection.p95} ms, max ${detection.max} ms`);
    log(`  polling load: ${pollRequests} get_live_session calls in ${pollSeconds.toFixed(1)} s = ${rps} requests/s answered (${N}/s asked for: one per student per second; each call p50 ${pollLatency.p50} ms, p95 ${pollLatency.p95} ms each; ${pollErrors} errors)`);
    log(`  CPU while polling (cores): API server process ${pollCpu.server}${server.engine === 'postgres' ? ' (Postgres backends not included)' : ' (PGlite included)'}, this bench process ${pollCpu.bench}`);
    const ratio = Math.round((detection.p50 / fanout.p50) * 10) / 10;
    log(`  polling p50 / Realtime fan-out p50: ×${ratio}`);
    if (pollErrors || pollMissed) exitCode = 1;

    log(
      JSON.stringify({
        bench: 'live',
        engine: server.engine,
        // The 1-minute load average before and after: other jobs on the machine show up here.
        machine: { cpus: os.cpus().length, node: process.version, load_before: round1(loadBefore), load_after: round1(os.loadavg()[0]) },
        students: N,
        questions: Q,
        window_s: W,
        realtime_connection_limit: realtimeLimit,
        joins_ms: joinStats,
        blocks_ms: blockStats,
        fanout_ms: { p50: fanout.p50, p95: fanout.p95, max: fanout.max, receipts: fanout.n, missed },
        show_rpc_ms: summary(showRpcMs),
        close_rpc_ms: summary(closeRpcMs),
        polling_ms: { p50: detection.p50, p95: detection.p95, max: detection.max, detections: detection.n, missed: pollMissed },
        polling_requests_per_s: rps,
        polling_requests_per_s_asked: N,
        poll_request_ms: pollLatency,
        realtime_cpu_cores: rtCpu,
        poll_cpu_cores: pollCpu,
        answers: { sent_in_time: answers.sent_in_time, accepted: answers.accepted, stored, sent_late: answers.sent_late, slipped: answers.slipped, too_late: answers.too_late, other: answers.other, errors: answers.errors },
        submit_ms: summary(submitMs),
        consistent,
        ratio_p50: ratio,
      }),
    );
  } finally {
    await Promise.all(everyone.map((p) => p.db.realtime.disconnect().catch(() => undefined)));
    await server.stop();
    if (fresh) await dropDatabase(fresh);
  }
  process.exit(exitCode);
}

if (process.argv[1] === import.meta.filename) await main();
