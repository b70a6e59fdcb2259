/**
 * `npm test`: everything, in the order that fails fastest.
 *   1. typecheck  2. lint  3. dead code (knip.config.ts: what nothing uses, then what only tests use)
 *   4. unit + integration tests on PGlite, and on Postgres when DATABASE_URL is set (a fresh database is
 *      created and dropped), each twice: default privileges off, and as Supabase's init script sets them
 *   5. production build  6. Playwright against the built app and a local server (default privileges off)
 * Ends with one line "tests: N passed, N failed" summed over all runners.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { provideBrowser } from './browser.ts';

const root = path.resolve(import.meta.dirname, '..');
const outDir = path.join(root, 'test-results');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

let passed = 0;
let failed = 0;
const failures: string[] = [];

function run(label: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  process.stdout.write(`\n=== ${label}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  const ok = r.status === 0;
  if (!ok) failures.push(label);
  return ok;
}

const vitestReport = z.object({ numPassedTests: z.number(), numFailedTests: z.number() });
function countVitest(file: string) {
  if (!existsSync(file)) return;
  const r = vitestReport.parse(JSON.parse(readFileSync(file, 'utf8')));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
}

const playwrightReport = z.object({ stats: z.object({ expected: z.number(), unexpected: z.number(), flaky: z.number() }) });
function countPlaywright(file: string) {
  if (!existsSync(file)) return;
  const r = playwrightReport.parse(JSON.parse(readFileSync(file, 'utf8')));
  passed += r.stats.expected + r.stats.flaky;
  failed += r.stats.unexpected;
}

const { DATABASE_URL, ...envWithoutDb } = process.env;
const only = process.argv[2]; // optional: "unit" | "e2e"
const e2e = (!only || only === 'e2e') && existsSync(path.join(root, 'playwright.config.ts'));

// The browser first: a machine without one learns it in seconds, not after the build (scripts/browser.ts).
let chromiumPath: string | undefined;
if (e2e) {
  try {
    const browser = provideBrowser();
    chromiumPath = browser.executablePath;
    process.stdout.write(`browser for e2e: ${browser.executablePath} (${browser.source})\n`);
  } catch (e) {
    process.stdout.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}

if (!only) {
  run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  run('lint', 'npx', ['eslint', '.', '--max-warnings=0']);
  run('dead code', 'npx', ['knip', '--no-progress']);
  run('dead code (kept alive only by tests)', 'npx', ['knip', '--no-progress', '--production', '--include', 'files,exports,types']);
}

// Every suite runs under both of Supabase's default-privilege setups (docs/decisions/018): `off` (hosted
// Supabase today) and `supabase` (its init script's grant-all, as self-hosted and `supabase start` have).
const MODES = ['off', 'supabase'] as const;
if (!only || only === 'unit') {
  for (const mode of MODES) {
    const label = mode === 'off' ? '' : ', Supabase default privileges';
    const pgliteJson = path.join(outDir, `vitest-pglite-${mode}.json`);
    run(`vitest (PGlite${label})`, 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${pgliteJson}`], {
      ...envWithoutDb,
      ROUNDS_DEFAULT_PRIVILEGES: mode,
    });
    countVitest(pgliteJson);
    if (DATABASE_URL) {
      const pgJson = path.join(outDir, `vitest-postgres-${mode}.json`);
      run(`vitest (Postgres${label})`, 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${pgJson}`], {
        ...process.env,
        ROUNDS_DEFAULT_PRIVILEGES: mode,
      });
      countVitest(pgJson);
    }
  }
  if (!DATABASE_URL) process.stdout.write('\n(DATABASE_URL not set: Postgres runs skipped; CI sets it)\n');
}

if (e2e) {
  const e2eJson = path.join(outDir, 'playwright.json');
  if (run('build (e2e)', 'npm', ['run', 'build:e2e'])) {
    run('playwright', 'npx', ['playwright', 'test'], { ...process.env, CHROMIUM_PATH: chromiumPath, PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson });
    countPlaywright(e2eJson);
  }
}

process.stdout.write(`\n${failures.length ? `failed steps: ${failures.join(', ')}` : 'all steps passed'}\n`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed\n`);
process.exit(failures.length ? 1 : 0);
