/**
 * End-to-end tests against the built app served like production (scripts/preview-server.ts).
 *
 * API URL wiring: the bundle's API URL is fixed at build time (import.meta.env.VITE_SUPABASE_URL), so
 * the e2e API listens on a fixed port, E2E_API_URL = http://127.0.0.1:54329 (ROUNDS_E2E_API_PORT to
 * move it; see e2e/e2e-env.ts), and `npm test` runs `npm run build:e2e` (scripts/build-e2e.ts: the
 * normal build with VITE_SUPABASE_URL=E2E_API_URL) before Playwright. The build records its URL in dist/build-info.json; e2e/global-setup.ts fails with
 * the rebuild command when dist/ is missing or was built for another API, instead of letting tests hit
 * whatever is on 54321. The app itself is served on a free port, handed to tests via process.env.
 */
import { defineConfig, devices, type ReporterDescription } from '@playwright/test';
import { browserPath, CHROMIUM_ARGS } from './scripts/browser.ts';

// CHROMIUM_PATH, else Playwright's own Chromium, else the system's (scripts/browser.ts; `npm test`
// installs one first when there is none).
const executablePath = browserPath();

const reporter: ReporterDescription[] = [['list']];
// scripts/test.ts sets PLAYWRIGHT_JSON_OUTPUT_NAME to add the e2e counts to its summary line.
if (process.env.PLAYWRIGHT_JSON_OUTPUT_NAME) reporter.push(['json']);
if (!process.env.CI) reporter.push(['html', { open: 'never' }]);

export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  // One API and one database for the run; sign-in rate limits are per IP, so keep the load serial.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  reporter,
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath,
          args: CHROMIUM_ARGS,
        },
      },
    },
  ],
});
