/**
 * What the sync bar says about the outbox. Answers are what students count; a block's creation or
 * completion that fails is named as a block, not counted as an answer.
 */
import type { SyncStatus } from '@/answer-sync/sync-status';

export const answers = (n: number) => (n === 1 ? '1 answer' : `${n} answers`);
const blocks = (n: number) => (n === 1 ? '1 block' : `${n} blocks`);

function ago(iso: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

export interface SyncMessage {
  text: string;
  tone: 'calm' | 'busy' | 'warn';
  /** The button next to it, if any: "Retry" re-runs failed writes, "Sync now" resumes waiting ones. */
  action: 'Retry' | 'Sync now' | null;
}

/** `now`: for "last synced … ago" (the bar re-renders whenever the status changes). */
export function syncMessage(status: SyncStatus, now: number = Date.now()): SyncMessage {
  const failed = [status.failedAnswers > 0 ? answers(status.failedAnswers) : null, status.failedBlocks > 0 ? blocks(status.failedBlocks) : null].filter((p) => p !== null);
  if (failed.length > 0) return { text: `${failed.join(' and ')} could not sync`, tone: 'warn', action: 'Retry' };
  const action = status.waiting > 0 ? 'Sync now' : null;
  if (!status.online) {
    const text = status.waiting > 0 ? `Offline — ${answers(status.waiting)} saved on this device` : 'Offline — your answers will be saved on this device';
    return { text, tone: 'calm', action };
  }
  if (status.waiting > 0) {
    return { text: status.syncing ? `Syncing ${answers(status.waiting)}…` : `${answers(status.waiting)} waiting to sync`, tone: 'busy', action };
  }
  return { text: status.lastSyncedAt ? `All answers synced · ${ago(status.lastSyncedAt, now)}` : 'All answers synced', tone: 'calm', action };
}
