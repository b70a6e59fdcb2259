/**
 * The app's one small external-store primitive: a value, its listeners, and a React hook over
 * `useSyncExternalStore`. Module-level state that React must see (the active block, the router's
 * location, the update status, the storage problem) is a `createStore`; state derived from elsewhere
 * (the outbox's status, read from the mutation cache) uses `createSignal` to tell readers "read again".
 */
import { useSyncExternalStore } from 'react';

export interface Signal {
  subscribe(listener: () => void): () => void;
  notify(): void;
}

/** Listeners to wake when something outside React changed. */
export function createSignal(): Signal {
  const listeners = new Set<() => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    notify() {
      for (const l of [...listeners]) l();
    },
  };
}

export interface Store<T> {
  get(): T;
  /** Replaces the value; listeners run only when it changed (Object.is). */
  set(next: T): void;
  subscribe(listener: () => void): () => void;
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

/** The store's value in a component; `serverValue` is what prerendering shows (default: the current value). */
export function useStore<T>(store: Pick<Store<T>, 'get' | 'subscribe'>, serverValue?: T): T {
  return useSyncExternalStore(store.subscribe, store.get, serverValue === undefined ? store.get : () => serverValue);
}
