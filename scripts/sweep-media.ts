/**
 * `npm run sweep:media [-- --dry-run] [--min-age-hours 24] [--page-size 1000]`: removes orphaned objects of
 * the bucket question-media (docs/decisions/025-question-images.md, "Removing objects, and orphans").
 *
 * Contract:
 * - Talks to `SUPABASE_URL` with `SUPABASE_SERVICE_ROLE_KEY` (both required for a hosted project); without
 *   SUPABASE_URL it uses the local server (`npm run server`, ROUNDS_API_URL / ROUNDS_API_PORT) and its demo
 *   service key unless SUPABASE_SERVICE_ROLE_KEY is set.
 * - Asks the database which objects are orphans (`question_media_orphans`: named by no question's media,
 *   older than `--min-age-hours`, default 24, so an upload an editor has not saved yet is kept), a page of
 *   `--page-size` names (1–1000) at a time in name order, and removes each page through the Storage API
 *   (`storage.from('question-media').remove(paths)`, at most 100 paths a request): on hosted Supabase only
 *   Storage deletes the files; deleting storage.objects rows in SQL would leave them behind. Pages continue
 *   after the last name seen until none is left, so a name whose removal failed is not asked for again in
 *   the same run.
 * - `--dry-run` lists the orphans and removes nothing.
 * - Prints one line per name (`removed <name>`, `orphan <name>` in a dry run; `failed <name>: …` on stderr),
 *   and as its last line the JSON summary `{"scanned", "removed", "failed"}`: orphans found, removed, and not
 *   removed. Exit code 0 when nothing failed, 1 when a removal or the query failed, 2 on bad arguments.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { MEDIA_BUCKET } from '../src/lib/question-media.ts';
import { DEMO_SERVICE_ROLE_KEY, loadConfig } from '../supabase/local/config.ts';
import { createTestClient } from '../supabase/local/test-client.ts';

/** Storage's bulk delete takes this many paths per request at most in this sweep. */
const REMOVE_BATCH = 100;

function usage(message: string): never {
  process.stderr.write(`sweep:media: ${message}\n`);
  process.exit(2);
}

function options() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        'dry-run': { type: 'boolean', default: false },
        'min-age-hours': { type: 'string', default: '24' },
        'page-size': { type: 'string', default: '1000' },
      },
    }).values;
  } catch (e) {
    usage(e instanceof Error ? e.message : String(e));
  }
  const minAgeHours = Number(parsed['min-age-hours']);
  if (parsed['min-age-hours'].trim() === '' || !Number.isFinite(minAgeHours) || minAgeHours < 0) {
    usage(`--min-age-hours must be a number of hours, 0 or more (got ${parsed['min-age-hours']})`);
  }
  const pageSize = Number(parsed['page-size']);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) usage(`--page-size must be a whole number from 1 to 1000 (got ${parsed['page-size']})`);

  const url = process.env.SUPABASE_URL;
  const key = process.env.SUPABASE_SERVICE_ROLE_KEY;
  if (url && !key) usage('SUPABASE_SERVICE_ROLE_KEY is required with SUPABASE_URL');
  return { dryRun: parsed['dry-run'], minAgeHours, pageSize, url: url || loadConfig().apiUrl, key: key || DEMO_SERVICE_ROLE_KEY };
}

const opts = options();
const db = createTestClient(opts.url, { key: opts.key });
const bucket = db.storage.from(MEDIA_BUCKET);
const summary = { scanned: 0, removed: 0, failed: 0 };

/** Removes `names` in requests of at most REMOVE_BATCH; counts what Storage says it removed. */
async function remove(names: string[]): Promise<void> {
  for (let i = 0; i < names.length; i += REMOVE_BATCH) {
    const batch = names.slice(i, i + REMOVE_BATCH);
    const { data, error } = await bucket.remove(batch);
    const gone = new Set((data ?? []).map((o) => o.name));
    for (const name of batch) {
      if (gone.has(name)) {
        summary.removed += 1;
        process.stdout.write(`removed ${name}\n`);
      } else {
        summary.failed += 1;
        process.stderr.write(`failed ${name}: ${error ? error.message : 'not removed (already gone, or refused)'}\n`);
      }
    }
  }
}

let ok = true;
try {
  let after: string | undefined;
  for (;;) {
    const { data, error } = await db.rpc('question_media_orphans', {
      p_min_age: `${opts.minAgeHours * 3600} seconds`,
      p_limit: opts.pageSize,
      ...(after === undefined ? {} : { p_after: after }),
    });
    if (error) throw new Error(`question_media_orphans: ${error.message}`);
    const names = z.array(z.string()).parse(data);
    summary.scanned += names.length;
    if (opts.dryRun) for (const name of names) process.stdout.write(`orphan ${name}\n`);
    else await remove(names);
    if (names.length < opts.pageSize) break;
    after = names.at(-1);
  }
} catch (e) {
  ok = false;
  process.stderr.write(`sweep:media: ${e instanceof Error ? e.message : String(e)}\n`);
}
process.stdout.write(`${JSON.stringify(summary)}\n`);
process.exitCode = ok && summary.failed === 0 ? 0 : 1;
