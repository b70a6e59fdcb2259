/**
 * What the update banner shows, as a pure function so the "never during a block" rule is unit-tested
 * (update-prompt.test.ts) apart from the service-worker plumbing in register-sw.ts.
 */

/**
 * Where this tab stands with respect to a newer deploy.
 * - `current`: nothing newer known.
 * - `available`: a new service worker is installed and waiting for the user.
 * - `applying`: the user chose Reload; waiting for the new worker to take control.
 * - `applied-elsewhere`: another tab applied the update; this tab still runs the old code.
 */
export type UpdateStatus = 'current' | 'available' | 'applying' | 'applied-elsewhere';

/**
 * The prompt to show now, or null. While a block is running nothing is shown: the status is kept and
 * the prompt appears once the block ends, so a reload can never interrupt a block
 * (docs/offline-outbox.md#service-worker-updates).
 */
export function visibleUpdatePrompt(status: UpdateStatus, activeBlockId: string | null): Exclude<UpdateStatus, 'current'> | null {
  if (status === 'current' || activeBlockId !== null) return null;
  return status;
}
