/**
 * When a live board re-reads. The cohort's 'board' message says "answers moved the board" (the database
 * sends at most about one a second per cohort and skips batches in between: decision 027), so the page
 * re-reads about a second after a message, which also covers the batches the debounce skipped.
 *
 * Contract: `request()` asks for a re-read. It runs `delayMs` after the request; requests while one is
 * scheduled join it; a request while a re-read is in flight schedules one more, `delayMs` after that one
 * ends. So at most one re-read a second, never two in flight, and the last message is always followed by
 * a read that started after it.
 */
export interface BoardRefresh {
  request(): void;
  dispose(): void;
}

export function coalescedRefresh(run: () => Promise<unknown>, delayMs = 1000): BoardRefresh {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight = false;
  let again = false;
  let disposed = false;

  const schedule = () => {
    timer = setTimeout(() => {
      timer = null;
      inFlight = true;
      // A failed re-read leaves the board as it was (the query keeps its data and reports its error).
      void run()
        .catch(() => undefined)
        .finally(() => {
          inFlight = false;
          if (again && !disposed) {
            again = false;
            schedule();
          }
        });
    }, delayMs);
  };

  return {
    request() {
      if (disposed) return;
      if (inFlight) again = true;
      else if (timer === null) schedule();
    },
    dispose() {
      disposed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
