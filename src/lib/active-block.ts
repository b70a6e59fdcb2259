/**
 * Whether a block is being taken right now. The player sets it while mounted; the app-update prompt
 * waits for it to clear, so a service-worker update never reloads the page in the middle of a block.
 */
import { useSyncExternalStore } from 'react';

let activeBlockId: string | null = null;
const listeners = new Set<() => void>();

export function setActiveBlock(id: string | null): void {
  if (activeBlockId === id) return;
  activeBlockId = id;
  for (const l of listeners) l();
}

export function getActiveBlock(): string | null {
  return activeBlockId;
}

export function subscribeActiveBlock(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useActiveBlock(): string | null {
  return useSyncExternalStore(subscribeActiveBlock, getActiveBlock, () => null);
}
