/**
 * One user against everyone (issue #14): another user's simple requests, p50/p95, with no attack (the
 * baseline) and then while one user attacks, as a ratio to the baseline measured in the same run.
 *
 *   npm run bench:stall                       # PGlite (a fresh temporary data directory)
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:stall   # a fresh database
 *     [--seconds 20] [--baseline 200] [--parallel 20] [--attacks regex,sleep] [--flood]
 *
 * The API runs in a CHILD process (this file with --serve: seeded, with tests/fixtures applied for the
 * slow RPC), so the load generator never shares its event loop. The attacker is one signed-in user
 * running --parallel requests at a time in a loop for --seconds per attack:
 *   regex  the backreference filter, GET /rest/v1/questions?select=id&stem=match.^(.*)(.*)(.*)\1\2\3$
 *          (a 400 once regex filters are validated; then it is cheap and measures admission alone);
 *   sleep  a legit-but-slow read, GET /rest/v1/rpc/stall_sleep?p_seconds=30 (tests/fixtures/030_stall.sql),
 *          which only the role's statement_timeout (8 s) ends.
 * A loop that gets 429 (its user's queue is full) waits the Retry-After it was given, as a client of this
 * API is told to; --flood makes it send again at once, which turns the attack into a request flood (a
 * gateway rate limit's job, not the database's) and mostly measures the CPU the refusals cost.
 * The victim is another signed-in user with two sequential loops (each request waits for the previous
 * one, and at least 10 ms pass between starts, under the per-user request rate of rest/admission.ts): GET /rest/v1/questions?select=id&limit=1 and GET /health. Only 127.0.0.1 is contacted; every loop
 * is bounded by --seconds (baseline: --baseline requests each). Target: each ratio p95(attack) /
 * p95(baseline) ≤ 2. Human summary first; the LAST line is a JSON summary.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { z } from 'zod';
import { DEMO_ANON_KEY, DEMO_JWT_SECRET, repoRoot } from '../supabase/local/config.ts';
import { createFreshDatabase, dropDatabase } from '../supabase/local/db.ts';
import { signJwt } from '../supabase/local/jwt.ts';
import { startServer } from '../supabase/local/server.ts';
import { applyFixtures } from '../tests/global-setup.ts';
import { nearestRank } from './sampling.ts';

const ATTACKS = {
  regex: `/rest/v1/questions?select=id&stem=${encodeURIComponent('match.^(.*)(.*)(.*)\\1\\2\\3$')}`,
  sleep: '/rest/v1/rpc/stall_sleep?p_seconds=30',
} as const;
const VICTIM = { rest: '/rest/v1/questions?select=id&limit=1', health: '/health' } as const;
type Probe = keyof typeof VICTIM;

/** --serve: the API for the parent process, with the test fixtures (the slow RPC) applied. */
async function serve(): Promise<void> {
  const server = await startServer({ port: 0, logRequests: false, seed: true });
  await applyFixtures(server);
  process.stdout.write(`${JSON.stringify({ url: server.url, engine: server.engine.kind })}\n`);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void server.close().then(() => process.exit(0)));
}

async function startServerProcess(env: NodeJS.ProcessEnv): Promise<{ url: string; engine: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--serve'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const started = await new Promise<{ url: string; engine: string }>((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => l.includes('"url"'));
      if (line) resolve(z.object({ url: z.string(), engine: z.string() }).parse(JSON.parse(line)));
    });
    child.once('exit', (code) => reject(new Error(`API server exited with ${code}`)));
  });
  return {
    ...started,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const userToken = () => {
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ sub: randomUUID(), role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 3600 }, DEMO_JWT_SECRET);
};

interface Stats {
  n: number;
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
  statuses: Record<string, number>;
}

function stats(samples: { ms: number; status: number }[]): Stats {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  for (const s of samples) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  const r = (v: number | undefined) => Math.round((v ?? 0) * 10) / 10;
  return { n: samples.length, p50_ms: r(nearestRank(sorted, 50)), p95_ms: r(nearestRank(sorted, 95)), max_ms: r(sorted.at(-1)), statuses };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '20' },
      baseline: { type: 'string', default: '200' },
      parallel: { type: 'string', default: '20' },
      attacks: { type: 'string', default: 'regex,sleep' },
      flood: { type: 'boolean', default: false },
    },
  });
  const seconds = Number(values.seconds);
  const baselineCount = Number(values.baseline);
  const parallel = Number(values.parallel);
  const attacks = values.attacks.split(',').map((a) => z.enum(['regex', 'sleep']).parse(a.trim()));

  const base = process.env.DATABASE_URL;
  const fresh = base ? await createFreshDatabase(base, 'rounds_stall') : undefined;
  const server = await startServerProcess({
    ...process.env,
    DATABASE_URL: fresh ?? '',
    ROUNDS_DATA_DIR: 'memory://',
    ROUNDS_API_HOST: '127.0.0.1',
    ROUNDS_API_PORT: '0',
    ROUNDS_SEED: '1',
    ROUNDS_LOG: '0',
  });
  // Enough sockets for the attacker's parallel requests plus the victim's two loops.
  const dispatcher = new Agent({ connections: parallel + 8 });
  const get = async (pathAndQuery: string, token?: string): Promise<{ ms: number; status: number; retryAfterS: number }> => {
    const t0 = performance.now();
    const res = await request(`${server.url}${pathAndQuery}`, {
      dispatcher,
      headers: { apikey: DEMO_ANON_KEY, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    await res.body.text();
    return { ms: performance.now() - t0, status: res.statusCode, retryAfterS: Number(res.headers['retry-after'] ?? 0) || 0 };
  };

  const VICTIM_INTERVAL_MS = 10;
  const victim = await userToken();
  /** The victim's two sequential loops until `until()` says stop. */
  const probe = async (until: (probe: Probe, n: number) => boolean) => {
    const out: Record<Probe, { ms: number; status: number }[]> = { rest: [], health: [] };
    await Promise.all(
      (Object.keys(VICTIM) as Probe[]).map(async (p) => {
        while (!until(p, out[p].length)) {
          const started = performance.now();
          out[p].push(await get(VICTIM[p], p === 'rest' ? victim : undefined));
          // Paced at ≤ 100 requests a second, under the per-user request rate (the app sends ≤ 5).
          const left = VICTIM_INTERVAL_MS - (performance.now() - started);
          if (left > 0) await new Promise((r) => setTimeout(r, left));
        }
      }),
    );
    return out;
  };

  try {
    // Warm-up: first requests pay for connections, JIT and cold caches.
    await probe((_p, n) => n >= 20);
    const baseline = await probe((_p, n) => n >= baselineCount);
    const result: Record<string, unknown> = {};
    console.log(
      `Stall bench: ${server.engine} at ${server.url}, ${os.cpus().length} cores, attacker ${parallel} parallel${values.flood ? ' (flood: Retry-After ignored)' : ''}; victim p50/p95 ms (n)`,
    );
    const line = (label: string, s: Stats) => console.log(`  ${label.padEnd(28)} ${String(s.p50_ms).padStart(8)} ${String(s.p95_ms).padStart(9)}  (${s.n}) ${JSON.stringify(s.statuses)}`);
    const baseStats = { rest: stats(baseline.rest), health: stats(baseline.health) };
    line('baseline rest', baseStats.rest);
    line('baseline health', baseStats.health);

    for (const attack of attacks) {
      const attacker = await userToken();
      const deadline = performance.now() + seconds * 1000;
      const attackSamples: { ms: number; status: number }[] = [];
      const attackLoops = Array.from({ length: parallel }, async () => {
        while (performance.now() < deadline) {
          const r = await get(ATTACKS[attack], attacker);
          attackSamples.push(r);
          const wait = Math.min(r.retryAfterS * 1000, deadline - performance.now());
          if (r.status === 429 && !values.flood && wait > 0) await new Promise((done) => setTimeout(done, wait));
        }
      });
      // Let the attack take hold before the victim measures.
      await new Promise((r) => setTimeout(r, 500));
      const during = await probe(() => performance.now() >= deadline);
      await Promise.all(attackLoops);
      const duringStats = { rest: stats(during.rest), health: stats(during.health) };
      const ratio = (p: Probe) => Math.round((duringStats[p].p95_ms / Math.max(baseStats[p].p95_ms, 0.1)) * 100) / 100;
      line(`${attack}: rest`, duringStats.rest);
      line(`${attack}: health`, duringStats.health);
      const attackerStats = stats(attackSamples);
      console.log(`  ${attack}: attacker ${attackerStats.n} requests ${JSON.stringify(attackerStats.statuses)}, p50 ${attackerStats.p50_ms} ms`);
      console.log(`  ${attack}: p95 ratio rest ×${ratio('rest')}, health ×${ratio('health')} (target ≤ 2)`);
      result[attack] = { victim: duringStats, ratio: { rest: ratio('rest'), health: ratio('health') }, attacker: attackerStats };
      // The next phase starts after the server has finished the last attack statement.
      await probe((p, n) => n >= 1);
    }
    console.log(
      JSON.stringify({
        engine: server.engine,
        machine: { cpus: os.cpus().length, node: process.version },
        parallel,
        seconds,
        flood: values.flood,
        baseline: baseStats,
        attacks: result,
      }),
    );
  } finally {
    await dispatcher.close();
    await server.stop();
    if (fresh) await dropDatabase(fresh);
  }
}

if (process.argv[1] === import.meta.filename) {
  if (process.argv.includes('--serve')) await serve();
  else await main();
}
