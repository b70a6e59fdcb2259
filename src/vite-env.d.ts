/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** API base URL; unset means the local server (see src/lib/supabase-defaults.ts). */
  readonly VITE_SUPABASE_URL?: string;
  /** Public anon key; unset means the Supabase CLI demo key. */
  readonly VITE_SUPABASE_ANON_KEY?: string;
  /** '1' only in `npm run build:e2e`: exposes window.__roundsE2E (see src/app/signed-in-app.tsx). */
  readonly VITE_E2E_HOOKS?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}

/** Set by `define` in vite.config.ts; changes on every deploy. */
declare const __BUILD_ID__: string;

interface Window {
  /** Test hooks, present only in the e2e build (VITE_E2E_HOOKS). */
  __roundsE2E?: import('@/app/e2e-hooks').RoundsE2EHooks;
}
