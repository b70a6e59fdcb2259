/**
 * How long the first paint may wait for what the device already has (docs/decisions/010-first-paint.md).
 * Kept apart from first-paint.tsx, which needs React Query, so the entry can read it without loading that.
 */
export const FIRST_PAINT_MAX_WAIT_MS = 1500;

/** `promise` settled, or `deadline` (a Date.now() time) passed, whichever comes first; never rejects. */
export function settledOrDeadline(promise: Promise<unknown>, deadline: number): Promise<void> {
  return Promise.race([
    promise.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now()))),
  ]);
}
