/**
 * Zod's global settings, in effect before the first schema is built (the full app,
 * src/app/signed-in-app.tsx, imports this module first, and vite.config.ts puts it in the zod chunk, which
 * every chunk with schemas imports, so it runs before any of them).
 *
 * `jitless`: Zod compiles object parsers with `new Function`, which the CSP (netlify.toml: no
 * 'unsafe-eval') forbids, so the app always runs the interpreted parsers anyway. Without the flag Zod
 * still probes with `new Function('')` when it builds its first object schema, and the browser reports
 * that as a CSP violation on every start (DevTools Issues, Lighthouse "inspector-issues").
 */
import { z } from 'zod';

z.config({ jitless: true });
