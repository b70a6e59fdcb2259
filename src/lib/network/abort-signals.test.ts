import { expect, test } from 'vitest';
import { combineSignals, combineSignalsFallback } from '@/lib/network/abort-signals';

test.each([
  ['native', combineSignals],
  ['fallback', combineSignalsFallback],
] as const)('%s: aborts with the reason of whichever input aborts first', (_name, combine) => {
  const a = new AbortController();
  const b = new AbortController();
  const { signal } = combine([a.signal, b.signal]);
  expect(signal.aborted).toBe(false);
  b.abort('timeout');
  a.abort('caller');
  expect(signal.aborted).toBe(true);
  expect(signal.reason).toBe('timeout');
});

test('fallback: an input that is already aborted aborts the result at once', () => {
  const { signal } = combineSignalsFallback([new AbortController().signal, AbortSignal.abort('gone')]);
  expect(signal.aborted).toBe(true);
  expect(signal.reason).toBe('gone');
});

test('fallback: dispose detaches from the inputs, so a later abort no longer propagates', () => {
  const caller = new AbortController();
  const { signal, dispose } = combineSignalsFallback([caller.signal]);
  dispose();
  caller.abort();
  expect(signal.aborted).toBe(false);
});
