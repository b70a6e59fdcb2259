import { useEffect, useMemo, useRef } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { getLeaderboardInfiniteQueryOptions } from '@/features/leaderboard/api/get-leaderboard';
import type { LeaderboardPeriod } from '@/features/leaderboard/api/keys';
import { formatCount, formatPercent } from '@/lib/format';

/** Fixed row height (px, matches .board-row in leaderboard.css): no measuring, exact scroll positions. */
const ROW_HEIGHT = 44;
/** Rows rendered beyond each edge of the viewport, so fast scrolling does not show blanks. */
const OVERSCAN = 8;
/** Start fetching the next keyset page this many rows before the loaded end comes into view. */
const PREFETCH_ROWS = 30;
/**
 * Auto-refresh only shallow boards. Refetching an infinite query re-requests every loaded page in
 * sequence (cursors change when ranks move), so a viewer 80 pages deep would cost 80 requests a minute
 * for rows they scrolled past; the top of the board and the pinned own row are what move and matter.
 */
const MAX_AUTO_REFRESH_PAGES = 2;

/** .board-scroll's height in leaderboard.css, min(28rem, 60vh), inside its 1 px borders (16 px rem). */
function initialScrollRect() {
  return { width: 0, height: Math.floor(Math.min(28 * 16, 0.6 * window.innerHeight)) - 2 };
}

/**
 * The board as a virtualised list: only the rows in view plus OVERSCAN on each side are in the DOM
 * (about 30 at any depth, 10,000 rows or 100,000), and the next keyset page is fetched as the end nears.
 */
export function LeaderboardList({ cohortId, period, labelledBy }: { cohortId: string; period: LeaderboardPeriod; labelledBy: string }) {
  const query = useInfiniteQuery({
    ...getLeaderboardInfiniteQueryOptions(cohortId, period),
    // Live while someone is looking: a minute matches staleTime (ranks change as classmates answer, not
    // by the second). Never in the background: a hidden tab has no one to show ranks to, and a class
    // leaving boards open all day must not poll the server.
    refetchInterval: (q) => ((q.state.data?.pages.length ?? 0) <= MAX_AUTO_REFRESH_PAGES ? 60 * 1000 : false),
    refetchIntervalInBackground: false,
    throwOnError: (_error, q) => q.state.data === undefined,
  });
  const { data, hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const rows = useMemo(() => data?.pages.flat() ?? [], [data]);

  const scrollRef = useRef<HTMLDivElement>(null);
  // The extra row at the end is the "Loading more…" placeholder while more pages exist.
  const count = rows.length + (hasNextPage ? 1 : 0);
  // eslint-disable-next-line react-hooks/incompatible-library -- useVirtualizer returns fresh functions each render by design; this component does not memoise them.
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    // The box's size before it is measured. Without it the first render lays out for a 0 px box and the
    // measurement on mount forces a second, synchronous render in the same task; with it the
    // measurement usually finds the same visible range and nothing re-renders.
    initialRect: initialScrollRect(),
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && lastIndex >= rows.length - PREFETCH_ROWS) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, lastIndex, rows.length]);

  if (data === undefined) {
    return (
      <p role="status" className="muted">
        Loading the leaderboard…
      </p>
    );
  }
  if (rows.length === 0) {
    return <p className="muted">Nobody is ranked yet{period === 'week' ? ' this week' : ''}. Answer questions to get on the board.</p>;
  }

  return (
    <div className="stack-sm">
      <div className="board-head" aria-hidden="true">
        <span>Rank</span>
        <span>Name</span>
        {/* Rollup counts: first attempts only (docs/decisions/017), as the board's intro says. */}
        <span className="num">Correct</span>
        <span className="num">Questions</span>
        <span className="num">Accuracy</span>
      </div>
      {/* Focusable so keyboard users can scroll it; labelled by the board heading. */}
      <div ref={scrollRef} className="board-scroll" tabIndex={0} role="region" aria-labelledby={labelledBy}>
        <ol className="board-list" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index];
            const style = { transform: `translateY(${item.start}px)`, height: ROW_HEIGHT };
            if (!row) {
              return (
                <li key="loading" className="board-row board-loading muted" style={style}>
                  {query.isFetchNextPageError ? (
                    <button type="button" className="button" onClick={() => void fetchNextPage()}>
                      More rows could not load — try again
                    </button>
                  ) : (
                    'Loading more…'
                  )}
                </li>
              );
            }
            return (
              <li
                // Ranks are unique on a loaded board: each page numbers its rows on from the last rank before it.
                key={row.rank}
                className={row.is_me ? 'board-row is-me' : 'board-row'}
                style={style}
                aria-current={row.is_me ? 'true' : undefined}
                data-rank={row.rank}
              >
                <span className="board-rank">
                  <span className="visually-hidden">Rank </span>
                  {formatCount(row.rank)}
                </span>
                <span className="board-name">
                  {row.name}
                  {row.is_me ? <span className="badge">You</span> : null}
                </span>
                <span className="num">
                  {formatCount(row.correct)}
                  <span className="visually-hidden"> correct first attempts</span>
                </span>
                <span className="num">
                  {formatCount(row.answered)}
                  <span className="visually-hidden"> questions attempted</span>
                </span>
                <span className="num">
                  {formatPercent(row.accuracy)}
                  <span className="visually-hidden"> accuracy</span>
                </span>
              </li>
            );
          })}
        </ol>
      </div>
      <p className="muted board-count" aria-live="polite">
        {hasNextPage ? `${formatCount(rows.length)} loaded — scroll for more` : `${formatCount(rows.length)} ranked`}
      </p>
    </div>
  );
}
