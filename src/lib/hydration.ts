/**
 * Whether this component's DOM is live: false while React hydrates a prerendered page (and in the
 * build's prerender itself), true from the render after that, and always true for a tree React created
 * on the client. A control whose handler only exists once hydrated (a form's submit) is disabled until
 * then, so the browser cannot act on it natively: a sign-in form submitted before its script ran would
 * send the password in the address as a GET query.
 */
import { useSyncExternalStore } from 'react';

const noSubscription = () => () => undefined;

export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}
