/**
 * The answer outbox, visible: offline / syncing / N waiting / failed (with Retry) / last synced, and
 * "Sync now". Offline is a calm state — answers are saved on this device and will sync — never an error.
 */
import { useState, useSyncExternalStore } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { syncNow, useSyncStatus } from '@/lib/outbox/outbox';
import { getStorageProblem, subscribeStorageProblem } from '@/lib/persist';
import './sync-status.css';

function ago(iso: string): string {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

const answers = (n: number) => (n === 1 ? '1 answer' : `${n} answers`);

export function SyncStatus() {
  const queryClient = useQueryClient();
  const status = useSyncStatus(queryClient);
  const storageProblem = useSyncExternalStore(subscribeStorageProblem, getStorageProblem, () => null);
  const [busy, setBusy] = useState(false);

  let text: string;
  let tone: 'calm' | 'busy' | 'warn' = 'calm';
  if (status.failed > 0) {
    text = `${answers(status.failed)} could not sync`;
    tone = 'warn';
  } else if (!status.online) {
    text = status.waiting > 0 ? `Offline — ${answers(status.waiting)} saved on this device` : 'Offline — your answers will be saved on this device';
  } else if (status.waiting > 0) {
    text = status.syncing ? `Syncing ${answers(status.waiting)}…` : `${answers(status.waiting)} waiting to sync`;
    tone = 'busy';
  } else {
    text = status.lastSyncedAt ? `All answers synced · ${ago(status.lastSyncedAt)}` : 'All answers synced';
  }

  const run = async () => {
    setBusy(true);
    try {
      await Promise.race([syncNow(queryClient), new Promise((r) => setTimeout(r, 3000))]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={`sync-status sync-${tone}`} data-testid="sync-status">
      <span role="status" aria-live="polite">
        {text}
      </span>
      {status.failed > 0 || status.waiting > 0 ? (
        <button type="button" className="button button-small" onClick={() => void run()} disabled={busy || !status.online}>
          {status.failed > 0 ? 'Retry' : 'Sync now'}
        </button>
      ) : null}
      {status.otherAccounts > 0 ? (
        <p className="muted sync-other-accounts">
          {answers(status.otherAccounts)} from another account on this device will sync when it signs in here again.
        </p>
      ) : null}
      {storageProblem ? (
        <p role="alert" className="form-error sync-storage">
          {storageProblem}
        </p>
      ) : null}
    </div>
  );
}
