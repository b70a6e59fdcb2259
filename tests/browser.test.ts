import { expect, test } from 'vitest';
import { INSTALL_HINT, locateBrowser, type BrowserProbe } from '../scripts/browser.ts';

const PLAYWRIGHT = '/home/u/.cache/ms-playwright/chromium-1/chrome-linux/chrome';

function probe(env: Record<string, string>, executables: string[]): BrowserProbe {
  return { env, isExecutable: (p) => executables.includes(p), playwrightPath: () => PLAYWRIGHT };
}

test('CHROMIUM_PATH always wins, and a wrong one is named rather than silently replaced', () => {
  expect(locateBrowser(probe({ CHROMIUM_PATH: '/opt/chrome' }, ['/opt/chrome', PLAYWRIGHT, '/usr/bin/chromium']))).toEqual({
    executablePath: '/opt/chrome',
    source: 'CHROMIUM_PATH',
  });
  const wrong = locateBrowser(probe({ CHROMIUM_PATH: '/opt/nothing' }, [PLAYWRIGHT, '/usr/bin/chromium']));
  expect(wrong).toEqual({ missing: expect.stringContaining('CHROMIUM_PATH is /opt/nothing') });
});

test("Playwright's own Chromium before the system's, the system's when Playwright has none", () => {
  expect(locateBrowser(probe({}, [PLAYWRIGHT, '/usr/bin/chromium']))).toEqual({ executablePath: PLAYWRIGHT, source: 'playwright' });
  expect(locateBrowser(probe({}, ['/usr/bin/chromium']))).toEqual({ executablePath: '/usr/bin/chromium', source: 'system' });
  expect(locateBrowser(probe({}, ['/usr/bin/chromium-browser']))).toEqual({ executablePath: '/usr/bin/chromium-browser', source: 'system' });
});

test('no browser: one line that says what to install', () => {
  const none = locateBrowser(probe({}, []));
  expect(none).toEqual({ missing: INSTALL_HINT });
  expect(INSTALL_HINT).not.toContain('\n');
  expect(INSTALL_HINT).toMatch(/playwright install .*chromium/);
  expect(INSTALL_HINT).toMatch(/apt-get install chromium/);
});
