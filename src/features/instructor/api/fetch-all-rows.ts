/**
 * PostgREST caps every response at max-rows (1,000 on Supabase) and truncates silently
 * (docs/local-server.md#max-rows). Reads that can exceed it — a 10,000-student roster or export — page
 * with `.range()` until a short page. The callers' RPCs order by a unique key, so pages neither overlap
 * nor skip.
 */
const PAGE_ROWS = 1000;

export async function fetchAllRows(page: (from: number, to: number) => PromiseLike<{ data: unknown }>): Promise<unknown[]> {
  const rows: unknown[] = [];
  for (let from = 0; ; from += PAGE_ROWS) {
    const { data } = await page(from, from + PAGE_ROWS - 1);
    const batch: unknown[] = Array.isArray(data) ? data : [];
    rows.push(...batch);
    if (batch.length < PAGE_ROWS) return rows;
  }
}
