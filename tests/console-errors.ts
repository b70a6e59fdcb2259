/**
 * A console.error fails the test that logged it, as in the Playwright suite (e2e/fixtures.ts), unless the
 * test declared it first with `expectConsoleError(/pattern/)`: an error nobody asserts on is either a bug
 * or noise that hides the next real one. tests/vitest-setup.ts installs the check for every test file.
 *
 * An error logged outside any test (a file's beforeAll, module load) fails the file's run instead.
 * Unexpected errors still print; declared ones do not. One ledger per worker: it assumes a file's tests
 * run one at a time (no `test.concurrent`), as Vitest does by default.
 */
import { format } from 'node:util';

interface Ledger {
  /** Patterns the running test declared; undefined between tests. */
  allowed: RegExp[] | undefined;
  /** Unexpected errors of the running test. */
  unexpected: string[];
  /** Unexpected errors logged outside any test. */
  outside: string[];
}

// On globalThis so that the setup file and a test file importing `expectConsoleError` share one ledger
// however the runner instantiates modules.
declare global {
  var __roundsConsoleErrors: Ledger | undefined;
}

const WRAPPED = Symbol.for('rounds.consoleErrors.wrapped');

/** The running test's ledger; wraps console.error on first use (again if the runner replaced console). */
export function consoleErrorLedger(): Ledger {
  const state = (globalThis.__roundsConsoleErrors ??= { allowed: undefined, unexpected: [], outside: [] });
  if (!Reflect.has(console.error, WRAPPED)) {
    const original = console.error.bind(console);
    const wrapper = (...args: unknown[]) => {
      const text = format(...args);
      if (state.allowed?.some((pattern) => pattern.test(text))) return;
      (state.allowed === undefined ? state.outside : state.unexpected).push(text);
      original(...args);
    };
    Reflect.set(wrapper, WRAPPED, true);
    console.error = wrapper;
  }
  return state;
}

/**
 * Declares that the running test expects console.error output matching `pattern` (say why next to the
 * call). Such output is neither printed nor counted against the test.
 */
export function expectConsoleError(pattern: RegExp): void {
  const state = consoleErrorLedger();
  if (state.allowed === undefined) throw new Error(`expectConsoleError(${String(pattern)}) outside a test`);
  state.allowed.push(pattern);
}
