/** The console.error check itself (tests/console-errors.ts, installed by tests/vitest-setup.ts). */
import { expect, test } from 'vitest';
import { consoleErrorLedger, expectConsoleError } from './console-errors.ts';

test('a declared console.error is neither counted nor printed', () => {
  expectConsoleError(/^expected: /);
  console.error('expected: %s', 'the test declared it');
  expect(consoleErrorLedger().unexpected).toEqual([]);
});

test('an undeclared console.error is held against the running test, declared patterns or not', () => {
  expectConsoleError(/^expected: /);
  console.error('undeclared %s', 'error', { code: 42 });
  const ledger = consoleErrorLedger();
  expect(ledger.unexpected).toEqual(['undeclared error { code: 42 }']);
  // Taken back so that this test, which checks the record rather than the verdict, passes.
  ledger.unexpected = [];
});

test('a declaration lasts for its own test only', () => {
  expect(consoleErrorLedger().allowed).toEqual([]);
});
