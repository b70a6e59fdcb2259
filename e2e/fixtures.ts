/**
 * The `test` every spec imports: baseURL points at the preview server from the global setup, and any
 * console error or uncaught page error fails the test unless the test declared it with
 * `consoleErrors.expect(/pattern/)`.
 */
import { test as base, expect } from '@playwright/test';
import { E2E_APP_URL_VAR } from './e2e-env.ts';

export { expect };

interface ConsoleErrors {
  /** Allows console errors matching `pattern` in this test (e.g. the browser logging an expected 400). */
  expect(pattern: RegExp): void;
}

export const test = base.extend<{ consoleErrors: ConsoleErrors }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern.
  baseURL: async ({}, use) => {
    const url = process.env[E2E_APP_URL_VAR];
    if (!url) throw new Error(`${E2E_APP_URL_VAR} is not set: run through playwright.config.ts (global setup)`);
    await use(url);
  },
  consoleErrors: [
    async ({ page }, use) => {
      const allowed: RegExp[] = [];
      const seen: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') seen.push(`${message.text()} [${message.location().url}]`);
      });
      page.on('pageerror', (error) => seen.push(`Uncaught: ${error.message}`));
      await use({ expect: (pattern) => allowed.push(pattern) });
      const unexpected = seen.filter((text) => !allowed.some((pattern) => pattern.test(text)));
      expect(unexpected, 'unexpected console errors').toEqual([]);
    },
    { auto: true },
  ],
});
