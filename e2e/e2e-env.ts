/**
 * How the e2e run wires the built app to its API.
 *
 * Vite inlines VITE_SUPABASE_URL at build time, so the bundle under test must be built for the API the
 * tests start. That API therefore listens on a fixed port (54329, off the dev API's 54321 so a running
 * `npm run dev`/`npm start` is untouched) and `npm run build:e2e` (scripts/build-e2e.ts) builds with
 * VITE_SUPABASE_URL=E2E_API_URL. The global setup refuses a dist/ built for any other URL.
 */
export const E2E_API_PORT = Number(process.env.ROUNDS_E2E_API_PORT ?? 54329);
export const E2E_API_URL = `http://127.0.0.1:${E2E_API_PORT}`;

/** process.env names through which the global setup hands URLs to the test workers. */
export const E2E_APP_URL_VAR = 'ROUNDS_E2E_APP_URL';
export const E2E_API_URL_VAR = 'ROUNDS_E2E_API_URL';
