import { expect, test } from 'vitest';
import type { SyncStatus } from '@/answer-sync/sync-status';
import { syncMessage } from './sync-message';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const status = (overrides: Partial<SyncStatus> = {}): SyncStatus => ({
  online: true,
  waiting: 0,
  otherAccounts: 0,
  syncing: false,
  failedAnswers: 0,
  failedBlocks: 0,
  lastSyncedAt: null,
  ...overrides,
});

test('failed block writes are named as blocks, not counted as answers', () => {
  expect(syncMessage(status({ failedBlocks: 1 }), NOW)).toEqual({ text: '1 block could not sync', tone: 'warn', action: 'Retry' });
  expect(syncMessage(status({ failedAnswers: 3 }), NOW).text).toBe('3 answers could not sync');
  expect(syncMessage(status({ failedAnswers: 1, failedBlocks: 2, waiting: 4 }), NOW).text).toBe('1 answer and 2 blocks could not sync');
});

test('offline, waiting, syncing and synced', () => {
  expect(syncMessage(status({ online: false }), NOW)).toEqual({ text: 'Offline — your answers will be saved on this device', tone: 'calm', action: null });
  expect(syncMessage(status({ online: false, waiting: 1 }), NOW)).toEqual({ text: 'Offline — 1 answer saved on this device', tone: 'calm', action: 'Sync now' });
  expect(syncMessage(status({ waiting: 5 }), NOW)).toEqual({ text: '5 answers waiting to sync', tone: 'busy', action: 'Sync now' });
  expect(syncMessage(status({ waiting: 5, syncing: true }), NOW).text).toBe('Syncing 5 answers…');
  expect(syncMessage(status(), NOW)).toEqual({ text: 'All answers synced', tone: 'calm', action: null });
  expect(syncMessage(status({ lastSyncedAt: '2026-12-01T11:50:00.000Z' }), NOW).text).toBe('All answers synced · 10 min ago');
});
