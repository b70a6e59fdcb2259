/**
 * The app's one small external-store primitive: a value, its listeners, and a React hook over
 * `useSyncExternalStore`. Module-level state that React must see (the active block, the router's
 * location, the update status, the storage problem) is a `createStore`; state derived from elsewhere
 * (the outbox's status, read from the mutation cache) uses `createSignal` to tell readers "read again".
 */
import { useSyncExternalStore } from 'react';

export interface Signal {
  subscribe(listener: () => void): () => unknown;
  notify(): void;
}

/** Listeners to wake when something outside React changed. */
export function createSignal(): Signal {
  const listeners = new Set<() => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    notify() {
      // A listener removed while others run is skipped from then on (Set iteration), as React expects.
      for (const l of listeners) l();
    },
  };
}

export interface Store<T> {
  get(): T;
  /** Replaces the value; listeners run only when it changed (Object.is). */
  set(next: T): void;
  subscribe(listener: () => void): () => unknown;
}

export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const signal = createSignal();
  return {
    get: () => value,
    set(next) {
      if (Object.is(value, next)) return;
      value = next;
      signal.notify();
    },
    subscribe: signal.subscribe,
  };
}

/**
 * The store's value in a component. `serverValue` is what the prerendered HTML shows (and what hydration
 * must match): the store's initial value for stores the first route reads.
 */
export function useStore<T>(store: Pick<Store<T>, 'get' | 'subscribe'>, serverValue: T): T {
  return useSyncExternalStore(store.subscribe, store.get, () => serverValue);
}
