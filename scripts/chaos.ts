/**
 * `npm run chaos -- --seeds 20`: the outbox chaos test (e2e/chaos.spec.ts) over more seeds than CI's
 * three. `--seeds N` runs seeds 1..N, `--seeds 4,9,17` exactly those (to replay a failing one).
 *
 * Builds the e2e bundle first (scripts/build-e2e.ts) when dist/ is missing, was built for another API
 * URL, or lacks the e2e hooks; then runs Playwright with CHAOS_SEEDS and ends with one line per seed
 * (answers given, stored, lost, not given, changed, re-keyed, ids re-sent, requests) and "chaos: N passed, N failed".
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readBuildInfo, sameApiUrl } from './build-info.ts';
import { E2E_API_URL } from '../e2e/e2e-env.ts';

const root = path.resolve(import.meta.dirname, '..');
const distDir = path.join(root, 'dist');

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '3' } } });
const seedsArg = values.seeds ?? '3';
const seeds = /^\d+$/.test(seedsArg)
  ? Array.from({ length: Number(seedsArg) }, (_, i) => i + 1)
  : seedsArg.split(',').map((s) => Number(s.trim()));
if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s) || s < 1)) {
  console.error(`--seeds takes a count (20) or a list (4,9,17); got ${seedsArg}`);
  process.exit(2);
}

async function hasE2EBuild(): Promise<boolean> {
  const info = await readBuildInfo(distDir);
  if (!info || !sameApiUrl(info.supabaseUrl, E2E_API_URL)) return false;
  const assets = await readdir(path.join(distDir, 'assets')).catch(() => []);
  for (const file of assets.filter((f) => f.endsWith('.js'))) {
    if ((await readFile(path.join(distDir, 'assets', file), 'utf8')).includes('__roundsE2E')) return true;
  }
  return false;
}

if (!(await hasE2EBuild())) {
  console.log(`dist/ is not an e2e build for ${E2E_API_URL}: building (scripts/build-e2e.ts)…`);
  const build = spawnSync('npx', ['tsx', 'scripts/build-e2e.ts'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

console.log(`chaos: seeds ${seeds.join(',')}`);
const lines: string[] = [];
const child = spawn('npx', ['playwright', 'test', 'e2e/chaos.spec.ts', '--reporter=list'], {
  cwd: root,
  env: { ...process.env, CHAOS_SEEDS: seeds.join(',') },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let buffered = '';
child.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  buffered += chunk.toString();
  const parts = buffered.split('\n');
  buffered = parts.pop() ?? '';
  lines.push(...parts);
});
const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
lines.push(buffered);

const bySeed = new Map<number, string>();
for (const line of lines) {
  const m = /chaos seed (\d+): (answers given .*?requests \d+[^·]*)/.exec(line);
  if (m) bySeed.set(Number(m[1]), m[2]?.trim() ?? '');
}
const passed = lines.filter((l) => /✓ .*chaos seed \d+/.test(l)).length;
const failed = seeds.length - passed;
console.log('\nper seed:');
for (const seed of seeds) console.log(`  seed ${seed}: ${bySeed.get(seed) ?? 'no result (failed before the end, see above)'}`);
console.log(`chaos: ${passed} passed, ${failed} failed`);
process.exit(code === 0 && failed === 0 ? 0 : 1);
