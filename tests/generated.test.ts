/**
 * The checked-in files generated from the migrated schema (src/lib/database.types.ts, supabase/schema.sql)
 * are what the migrations produce now: a migration changed without `npm run gen` fails here, naming the
 * first line that differs. Regenerated in memory on a database of its own (PGlite, or a fresh Postgres
 * database next to DATABASE_URL), migrated as the server does, in the run's default-privileges mode: both
 * engines and both modes must give the same files.
 */
import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { withMigratedDatabase } from '../scripts/gen-database.ts';
import { databaseTypesFile } from '../scripts/gen-types.ts';
import { schemaSqlFile } from '../scripts/gen-schema.ts';
import { loadConfig, repoRoot } from '../supabase/local/config.ts';

const FILES = [databaseTypesFile, schemaSqlFile];

const { defaultPrivileges } = loadConfig();
const { fresh, planted } = await withMigratedDatabase(
  async (tx) => {
    const fresh = new Map<string, string>();
    for (const f of FILES) fresh.set(f.path, await f.render(tx));
    // A column renamed by a would-be migration must change both files (the scratch database is dropped anyway).
    await tx.exec('alter table public.answers rename column choice to picked');
    const planted = new Map<string, string>();
    for (const f of FILES) planted.set(f.path, await f.render(tx));
    return { fresh, planted };
  },
  { databaseUrl: process.env.DATABASE_URL, defaultPrivileges },
);

/** Where `actual` first departs from `expected`, or undefined when they are equal. */
function firstDifference(actual: string, expected: string): string | undefined {
  if (actual === expected) return undefined;
  const a = actual.split('\n');
  const e = expected.split('\n');
  const i = a.findIndex((line, n) => line !== e[n]);
  const n = i === -1 ? a.length : i;
  return `line ${n + 1}: checked in ${JSON.stringify(a[n] ?? '<end of file>')}, the migrations give ${JSON.stringify(e[n] ?? '<end of file>')}`;
}

test.each(FILES.map((f) => f.path))('%s is what the migrations produce (else: run `npm run gen` and commit the result)', (file) => {
  const checkedIn = readFileSync(path.join(repoRoot, file), 'utf8');
  const difference = firstDifference(checkedIn, fresh.get(file) ?? '');
  expect(difference, `${file} is stale: run \`npm run gen\` and commit the result`).toBeUndefined();
});

test('a renamed column changes both generated files, so the check above cannot pass on stale output', () => {
  expect(planted.get(databaseTypesFile.path)).toContain('picked: string');
  expect(planted.get(databaseTypesFile.path)).not.toMatch(/\bchoice: string\n/);
  expect(planted.get(schemaSqlFile.path)).toContain('  picked character(1) not null,');
  for (const f of FILES) expect(firstDifference(fresh.get(f.path) ?? '', planted.get(f.path) ?? '')).toBeDefined();
});

/**
 * Compiled, never called: `npm test` type-checks before it runs anything, and fails here if the app's
 * client stops being typed by the generated schema (each line below must stay a type error).
 */
export function appClientIsTypedBySchema(app: (typeof import('../src/lib/supabase.ts'))['supabase']): void {
  // @ts-expect-error -- answers has no column "picked"
  void app.from('answers').select('id').eq('picked', 'A');
  // @ts-expect-error -- get_leaderboard has no argument "p_cohort"
  void app.rpc('get_leaderboard', { p_cohort: 'c' });
  // @ts-expect-error -- profiles.leaderboard_opt_out is a boolean
  void app.from('profiles').update({ leaderboard_opt_out: 'yes' });
}
