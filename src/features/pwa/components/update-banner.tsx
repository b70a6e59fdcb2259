import { useActiveBlock } from '@/lib/active-block';
import { applyUpdate, useUpdateStatus } from '@/features/pwa/register-sw';
import { visibleUpdatePrompt, type UpdateStatus } from '@/features/pwa/update-prompt';
import '@/features/pwa/components/pwa.css';

const MESSAGES: Record<Exclude<UpdateStatus, 'current'>, string> = {
  available: 'Update available',
  applying: 'Updating…',
  'applied-elsewhere': 'Rounds was updated in another tab',
};

/**
 * "Update available — Reload", held back while a block is running. The live region is always rendered
 * so screen readers announce the message when it appears.
 */
export function UpdateBanner() {
  const prompt = visibleUpdatePrompt(useUpdateStatus(), useActiveBlock());
  return (
    <div role="status">
      {prompt ? (
        <div className="update-banner">
          <p>{MESSAGES[prompt]}</p>
          <button type="button" className="button button-primary" onClick={applyUpdate} disabled={prompt === 'applying'}>
            Reload
          </button>
        </div>
      ) : null}
    </div>
  );
}
