/**
 * Whether a block is being taken right now. The player sets it while mounted; the app-update prompt
 * waits for it to clear, so a service-worker update never reloads the page in the middle of a block.
 */
import { createStore, useStore } from '@/lib/store';

/** The running block's attempt id, or null. */
const activeBlock = createStore<string | null>(null);

export function setActiveBlock(id: string | null): void {
  activeBlock.set(id);
}

export function useActiveBlock(): string | null {
  return useStore(activeBlock, null);
}
