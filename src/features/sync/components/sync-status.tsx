/**
 * The answer outbox, visible: offline / syncing / N waiting / failed (with Retry) / last synced, and
 * "Sync now". Offline is a calm state — answers are saved on this device and will sync — never an error.
 */
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { syncNow, useSyncStatus } from '@/answer-sync/outbox';
import { storageProblem } from '@/lib/persist';
import { useStore } from '@/lib/store';
import { answers, syncMessage } from '@/features/sync/model/sync-message';
import './sync-status.css';

export function SyncStatus() {
  const queryClient = useQueryClient();
  const status = useSyncStatus(queryClient);
  const problem = useStore(storageProblem, null);
  const [busy, setBusy] = useState(false);
  const { text, tone, action } = syncMessage(status);

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
      {action ? (
        <button type="button" className="button button-small" onClick={() => void run()} disabled={busy || !status.online}>
          {action}
        </button>
      ) : null}
      {status.otherAccounts > 0 ? (
        <p className="muted sync-other-accounts">
          {answers(status.otherAccounts)} from another account on this device will sync when it signs in here again.
        </p>
      ) : null}
      {problem ? (
        <p role="alert" className="form-error sync-storage">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
