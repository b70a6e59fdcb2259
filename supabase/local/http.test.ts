import { expect, test } from 'vitest';
import { jsonNestsDeeperThan } from './http.ts';

const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);

test('JSON depth: arrays and objects count, the limit itself is allowed', () => {
  expect(jsonNestsDeeperThan(nested(64), 64)).toBe(false);
  expect(jsonNestsDeeperThan(nested(65), 64)).toBe(true);
  expect(jsonNestsDeeperThan('{"a":{"b":[{"c":1}]}}', 3)).toBe(true);
  expect(jsonNestsDeeperThan('{"a":{"b":[{"c":1}]}}', 4)).toBe(false);
  // Siblings do not add up: depth, not count.
  expect(jsonNestsDeeperThan(`[${Array.from({ length: 1000 }, () => '[1]').join(',')}]`, 2)).toBe(false);
  // 100,000 deep in one pass, no recursion.
  expect(jsonNestsDeeperThan(nested(100_000), 64)).toBe(true);
});

test('JSON depth: brackets inside strings do not count, whatever the escapes around them', () => {
  expect(jsonNestsDeeperThan(JSON.stringify({ a: '[[[[[[[[{{{{' }), 1)).toBe(false);
  expect(jsonNestsDeeperThan(JSON.stringify(['a"[[[[', 'b\\', '[[[[']), 1)).toBe(false);
  expect(jsonNestsDeeperThan(JSON.stringify(['\\\\"[[[[\\']), 1)).toBe(false);
  // After an escaped backslash the quote really closes the string, so what follows is structure.
  expect(jsonNestsDeeperThan('["\\\\",[[]]]', 2)).toBe(true);
  // Malformed text is left to JSON.parse.
  expect(jsonNestsDeeperThan('["unterminated [[[[[', 1)).toBe(false);
});
