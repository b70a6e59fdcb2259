import { expect, test } from 'vitest';
import { LEADERBOARD_PAGE_SIZE, nextPageCursor } from '@/features/leaderboard/model/pages';

const page = (n: number) => Array.from({ length: n }, (_, i) => ({ rank: i + 1, cursor: { u: `user-${i + 1}` } }));

test('the next page starts after the last row of a full page', () => {
  expect(nextPageCursor(page(LEADERBOARD_PAGE_SIZE))).toEqual({ u: `user-${LEADERBOARD_PAGE_SIZE}` });
});

test('a short or empty page is the last one', () => {
  expect(nextPageCursor(page(LEADERBOARD_PAGE_SIZE - 1))).toBeUndefined();
  expect(nextPageCursor(page(0))).toBeUndefined();
});
