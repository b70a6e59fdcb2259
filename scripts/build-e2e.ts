/**
 * `npm run build:e2e`: the production build, pointed at the API the e2e global setup starts
 * (E2E_API_URL, see e2e/e2e-env.ts and playwright.config.ts). Vite gives variables already in
 * process.env priority over .env files, so this wins over a developer's .env.local.
 */
import { build } from 'vite';
import { repoRoot } from '../supabase/local/config.ts';
import { E2E_API_URL } from '../e2e/e2e-env.ts';

process.env.VITE_SUPABASE_URL = E2E_API_URL;
// Test hooks for what e2e cannot reach through the UI yet (window.__roundsE2E, src/app/signed-in-app.tsx).
process.env.VITE_E2E_HOOKS = '1';
await build({ root: repoRoot });
