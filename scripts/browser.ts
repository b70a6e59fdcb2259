/**
 * Which Chromium the e2e suite, Lighthouse and the browser benchmarks launch: one answer for all of them.
 *
 * locateBrowser() looks, in this order: CHROMIUM_PATH (always wins, and must exist), Playwright's own
 * Chromium if it is installed, the system's Chromium (Debian/Ubuntu's /usr/bin/chromium). provideBrowser()
 * also installs one when none is found and it can: Debian's `chromium` with apt-get when the user is root
 * and apt exists. It never downloads Playwright's own build itself (that download is not reachable
 * everywhere, e.g. on our CI machines, and would hang or fail there); when nothing works it fails with one
 * line that says what to install, and `npm test` says it before it builds anything.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { chromium } from '@playwright/test';

/** Flags every launch uses: no sandbox (root in CI), and none of Chromium's calls home (no network here). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface BrowserChoice {
  executablePath: string;
  source: 'CHROMIUM_PATH' | 'playwright' | 'system';
}

export interface BrowserProbe {
  env: Record<string, string | undefined>;
  /** Whether `path` is an executable file. */
  isExecutable(path: string): boolean;
  /** Where Playwright's own Chromium is (or would be) installed. */
  playwrightPath(): string;
}

export const SYSTEM_CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export const INSTALL_HINT =
  'No Chromium for the browser tests. Install one: `sudo apt-get install chromium` on Debian/Ubuntu (used as ' +
  'is), or set CHROMIUM_PATH to a Chrome or Chromium binary, or, where Playwright can download its own, ' +
  '`npx playwright install --with-deps chromium`. npm test never runs that download itself.';

const realProbe: BrowserProbe = {
  env: process.env,
  isExecutable(path) {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
  playwrightPath() {
    try {
      return chromium.executablePath();
    } catch {
      return ''; // a platform Playwright has no build for
    }
  },
};

/** The browser to launch, or why there is none. Looks only; installs nothing. */
export function locateBrowser(probe: BrowserProbe = realProbe): BrowserChoice | { missing: string } {
  const configured = probe.env.CHROMIUM_PATH;
  if (configured) {
    return probe.isExecutable(configured)
      ? { executablePath: configured, source: 'CHROMIUM_PATH' }
      : { missing: `CHROMIUM_PATH is ${configured}, which is not an executable file. Point it at a Chrome or Chromium binary, or unset it.` };
  }
  const own = probe.playwrightPath();
  if (probe.isExecutable(own)) return { executablePath: own, source: 'playwright' };
  const system = SYSTEM_CHROMIUM_PATHS.find((p) => probe.isExecutable(p));
  if (system) return { executablePath: system, source: 'system' };
  return { missing: INSTALL_HINT };
}

/** locateBrowser() for launch options: the path, or undefined to let Playwright report what is missing. */
export function browserPath(): string | undefined {
  const found = locateBrowser();
  return 'missing' in found ? undefined : found.executablePath;
}

function quietly(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  process.stdout.write(`(no Chromium found: ${cmd} ${args.join(' ')})\n`);
  return spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], env, timeout: 10 * 60_000 }).status === 0;
}

/** locateBrowser(), installing a browser first when none is there. Throws with INSTALL_HINT-like text. */
export function provideBrowser(): BrowserChoice {
  const found = locateBrowser();
  if (!('missing' in found)) return found;
  if (process.env.CHROMIUM_PATH) throw new Error(found.missing);
  const isRoot = process.getuid?.() === 0;
  if (isRoot && realProbe.isExecutable('/usr/bin/apt-get')) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (quietly('apt-get', ['update', '-qq'], env) && quietly('apt-get', ['install', '-y', '-qq', 'chromium'], env)) {
      const again = locateBrowser();
      if (!('missing' in again)) return again;
    }
  }
  throw new Error(INSTALL_HINT);
}
