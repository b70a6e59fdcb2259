/** Rows per keyset page: a screenful many times over, and well under get_leaderboard's cap of 200. */
export const LEADERBOARD_PAGE_SIZE = 100;

/**
 * The p_after of the page after `lastPage`: the cursor of its last row, or undefined (no more pages)
 * when the page came back short — a full last page costs one extra, empty request.
 */
export function nextPageCursor<C>(lastPage: readonly { cursor: C }[]): C | undefined {
  return lastPage.length < LEADERBOARD_PAGE_SIZE ? undefined : lastPage.at(-1)?.cursor;
}
