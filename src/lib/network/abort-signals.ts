/**
 * `AbortSignal.any` (Chrome 116, Safari 17.4, Firefox 124) with a fallback for older browsers that
 * are still in the supported range of the PWA.
 */

export interface CombinedSignal {
  readonly signal: AbortSignal;
  /** Detaches the fallback's listeners from long-lived input signals; a no-op for the native path. */
  readonly dispose: () => void;
}

const noop = (): void => {};

/** A signal that aborts, with the same reason, as soon as one of `signals` aborts. */
export function combineSignals(signals: readonly AbortSignal[]): CombinedSignal {
  // The lib typings declare AbortSignal.any unconditionally; older browsers do not have it.
  if (typeof AbortSignal.any === 'function') return { signal: AbortSignal.any([...signals]), dispose: noop };
  return combineSignalsFallback(signals);
}

/** The fallback path of combineSignals, exported so tests can exercise it on a runtime that has `any`. */
export function combineSignalsFallback(signals: readonly AbortSignal[]): CombinedSignal {
  const controller = new AbortController();
  const detachers: Array<() => void> = [];
  const dispose = (): void => {
    for (const detach of detachers.splice(0)) detach();
  };
  for (const input of signals) {
    if (input.aborted) {
      dispose();
      controller.abort(input.reason);
      return { signal: controller.signal, dispose: noop };
    }
    const onAbort = (): void => {
      dispose();
      controller.abort(input.reason);
    };
    input.addEventListener('abort', onAbort, { once: true });
    detachers.push(() => input.removeEventListener('abort', onAbort));
  }
  return { signal: controller.signal, dispose };
}
