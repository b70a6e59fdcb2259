import { expect, test } from 'vitest';
import { fetchAllRows, nextPageCursor, PAGE_ROWS } from '@/lib/paging';

/** A table of `total` rows behind a `.range(from, to)`-like reader that records what it was asked. */
function table(total: number) {
  const asked: [number, number][] = [];
  const page = async (from: number, to: number) => {
    asked.push([from, to]);
    return { data: Array.from({ length: Math.max(0, Math.min(to, total - 1) - from + 1) }, (_, i) => from + i) };
  };
  return { asked, page };
}

test('offset pages are read back to back until a short page, in order, without gaps or overlaps', async () => {
  const { asked, page } = table(2 * PAGE_ROWS + 5);
  const loaded: number[] = [];
  const rows = await fetchAllRows(page, (n) => loaded.push(n));
  expect(rows).toEqual(Array.from({ length: 2 * PAGE_ROWS + 5 }, (_, i) => i));
  expect(asked).toEqual([
    [0, PAGE_ROWS - 1],
    [PAGE_ROWS, 2 * PAGE_ROWS - 1],
    [2 * PAGE_ROWS, 3 * PAGE_ROWS - 1],
  ]);
  expect(loaded).toEqual([PAGE_ROWS, 2 * PAGE_ROWS, 2 * PAGE_ROWS + 5]);
});

test('a full last page costs one more, empty request; an empty table one request', async () => {
  const full = table(PAGE_ROWS);
  expect(await fetchAllRows(full.page)).toHaveLength(PAGE_ROWS);
  expect(full.asked).toHaveLength(2);

  const empty = table(0);
  expect(await fetchAllRows(empty.page)).toEqual([]);
  expect(empty.asked).toHaveLength(1);
});

test('a null body (no rows) ends the read instead of failing', async () => {
  expect(await fetchAllRows(async () => ({ data: null }))).toEqual([]);
});

test('a failed page rejects the whole read', async () => {
  const failure = new Error('page 2 failed');
  const read = fetchAllRows(async (from) => {
    if (from > 0) throw failure;
    return { data: Array.from({ length: PAGE_ROWS }, (_, i) => i) };
  });
  await expect(read).rejects.toBe(failure);
});

const keysetPage = (n: number) => Array.from({ length: n }, (_, i) => ({ rank: i + 1, cursor: { u: `user-${i + 1}` } }));

test('keyset: the next page starts after the last row of a full page', () => {
  expect(nextPageCursor(keysetPage(100), 100)).toEqual({ u: 'user-100' });
});

test('keyset: a short or empty page is the last one', () => {
  expect(nextPageCursor(keysetPage(99), 100)).toBeUndefined();
  expect(nextPageCursor(keysetPage(0), 100)).toBeUndefined();
});
