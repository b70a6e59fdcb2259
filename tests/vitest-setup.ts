/**
 * Runs before every test file (vitest.config.ts `setupFiles`): a console.error fails the test that
 * logged it unless the test expected it (tests/console-errors.ts).
 */
import { afterAll, afterEach, beforeEach } from 'vitest';
import { consoleErrorLedger } from './console-errors.ts';

const ledger = consoleErrorLedger();

beforeEach(() => {
  consoleErrorLedger();
  ledger.allowed = [];
  ledger.unexpected = [];
});

// Registered before the test file's own hooks, and after-hooks run as a stack: this one checks last,
// so errors logged by a test's cleanup count too.
afterEach(() => {
  const unexpected = ledger.unexpected;
  ledger.allowed = undefined;
  ledger.unexpected = [];
  if (unexpected.length > 0) {
    throw new Error(`console.error was called (expectConsoleError declares an expected one):\n${unexpected.join('\n---\n')}`);
  }
});

afterAll(() => {
  const outside = ledger.outside;
  ledger.outside = [];
  if (outside.length > 0) throw new Error(`console.error outside any test:\n${outside.join('\n---\n')}`);
});
