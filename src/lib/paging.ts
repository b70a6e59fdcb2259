/**
 * Reading more rows than one response holds. PostgREST caps every response at max-rows (1,000 on
 * Supabase) and truncates silently (docs/local-server.md#max-rows), so a read that can exceed it pages.
 *
 * Two kinds, because they answer different questions:
 * - `fetchAllRows`: offset pages (`.range(from, to)`) read back to back until a short page, for a
 *   caller that needs the whole set at once (the bank, a roster, an export). Offsets are only safe when
 *   the query orders by a unique key, so pages neither overlap nor skip.
 * - `nextPageCursor`: keyset pages (the server's cursor of the last row is sent back), read one at a
 *   time as the user scrolls an infinite query (the leaderboard). Page N costs the server what page 1
 *   does, and rows moving between requests do not shift later pages.
 * Both end on a short page, so a full last page costs one extra, empty request.
 */

/** Rows per offset page: PostgREST's max-rows on Supabase, so no page is ever truncated. */
export const PAGE_ROWS = 1000;

/**
 * Every row of an ordered query, read with `page(from, to)` (inclusive offsets, as `.range()` takes
 * them) until a page comes back short. `onPage` hears the running total after each page.
 */
export async function fetchAllRows(
  page: (from: number, to: number) => PromiseLike<{ data: unknown }>,
  onPage?: (loaded: number) => void,
): Promise<unknown[]> {
  const rows: unknown[] = [];
  for (let from = 0; ; from += PAGE_ROWS) {
    const { data } = await page(from, from + PAGE_ROWS - 1);
    const batch: unknown[] = Array.isArray(data) ? data : [];
    rows.push(...batch);
    onPage?.(rows.length);
    if (batch.length < PAGE_ROWS) return rows;
  }
}

/**
 * The cursor to ask for the page after `lastPage` (its last row's), or undefined when `lastPage` came
 * back shorter than `pageSize` and so was the last one. Fits `getNextPageParam` of an infinite query.
 */
export function nextPageCursor<C>(lastPage: readonly { cursor: C }[], pageSize: number): C | undefined {
  return lastPage.length < pageSize ? undefined : lastPage.at(-1)?.cursor;
}
