/**
 * How the sign-in and sign-up forms hand over to the signed-in app when they were rendered by the
 * signed-out start (src/app/signed-out-app.tsx), which has no supabase-js, React Query or app code loaded
 * (docs/decisions/011-signed-out-start.md). Absent (null) inside the full app, where auth-js's SIGNED_IN
 * event moves the app on by itself.
 *
 * The two forms are the deliberate exception to "every write is a mutationOptions with its failure shown
 * through the MutationCache" (src/lib/query-client.ts): they keep plain React state (AuthFormState) and
 * word their own failures (getSignInErrorMessage, getSignUpError). They render, and are submitted, before
 * React Query is loaded at all — loading it for the form would put it back on the first route the
 * signed-out start keeps it off (tests/bundle-budget.test.ts) — and a sign-in is not a write to retry,
 * persist or resume. Their failures are about the form's own fields, so they are shown in the form.
 */
import { createContext, useCallback, useContext, useEffect, useRef, type RefObject } from 'react';

export interface AuthHandoff {
  /** The visitor started on the form: load what signing in and the signed-in app will need. */
  warmUp(): void;
  /** A session was just stored: show the signed-in app. Rejects when its code cannot be loaded. */
  signedIn(): Promise<void>;
}

export const AuthHandoffContext = createContext<AuthHandoff | null>(null);

export function useAuthHandoff(): AuthHandoff | null {
  return useContext(AuthHandoffContext);
}

/**
 * The forms' onFocus (`warmUp`): starts loading `loadApi` (the form's API module, which brings
 * supabase-js) and, from the signed-out start, the signed-in app, so both are there by the time the
 * visitor submits. A prerendered form can be focused before its script has run, when there is no onFocus
 * yet: if focus is inside `formRef` once hydrated, it warms up then.
 */
export function useWarmUp(loadApi: () => Promise<unknown>): { formRef: RefObject<HTMLFormElement | null>; warmUp: () => void } {
  const handoff = useAuthHandoff();
  const formRef = useRef<HTMLFormElement>(null);
  const warmUp = useCallback(() => {
    void loadApi().catch(() => undefined);
    handoff?.warmUp();
  }, [loadApi, handoff]);
  useEffect(() => {
    if (formRef.current?.contains(document.activeElement)) warmUp();
  }, [warmUp]);
  return { formRef, warmUp };
}

/**
 * What a form shows while it talks to the server. Plain React state, not useMutation: the forms render
 * before React Query is loaded, and a sign-in is not an offline mutation (nothing to persist or resume).
 */
export type AuthFormState = { status: 'idle' } | { status: 'pending' } | { status: 'error'; message: string };

/** Shown when the code that signs in could not be loaded (offline on a first visit, a failed deploy). */
export const AUTH_CODE_UNREACHABLE = "Can't reach Rounds right now — check your connection and try again";

/** Shown when the sign-in worked but the signed-in app's code could not be loaded (a failed import stays failed until a reload). */
export const APP_CODE_UNREACHABLE = "You're signed in, but Rounds couldn't finish loading — check your connection and reload the page";
