/**
 * The security shape of the migrated schema, read from the catalog: what Supabase's database linter
 * (splinter) checks as ERROR/WARN, plus our own rules. Runs on a database of its own (PGlite in memory,
 * or a fresh Postgres database next to DATABASE_URL) migrated exactly as the server does, without the
 * test fixtures, so it sees what `supabase db push` would create.
 *
 * Fails on:
 *   - a table in `public` without row level security (splinter 0013);
 *   - a `security definer` function in `public`, which PostgREST exposes as /rest/v1/rpc (0028/0029);
 *   - a `security definer` function in `public` or `private` without `search_path=""` (0011, stricter:
 *     an empty path, so every name in it must be schema-qualified);
 *   - a function in `public` or `private` that `anon` may execute and that is not in ANON_EXECUTABLE;
 *   - a function in SERVICE_ONLY that PUBLIC, anon or authenticated may execute, or service_role may not
 *     (and SERVICE_ONLY must name exactly the functions in `public` that signed-in users may not call);
 *   - a privilege of PUBLIC, anon, authenticated or service_role on a table, view, sequence or column in
 *     `public` that is not in EXPECTED_GRANTS (a broad grant, or Supabase's default privileges on an
 *     object whose migration forgot `revoke all`).
 * The last test plants one offender of each kind (in a transaction that is rolled back) and checks that
 * every check reports it, so none of them passes vacuously.
 */
import { afterAll, expect, test } from 'vitest';
import { createFreshDatabase, dropDatabase, openEngine, type Queryable } from '../supabase/local/db.ts';
import { migrate } from '../supabase/local/migrate.ts';
import { loadConfig } from '../supabase/local/config.ts';

// The authenticator role is cluster-wide and migrate() sets its password: keep the one every local
// server and test run logs in with, or this file would lock their new API connections out.
// In the run with Supabase's default privileges (ROUNDS_DEFAULT_PRIVILEGES=supabase) the migrations are
// applied under its grant-all, so EXPECTED_GRANTS holds only if every migration revoked before granting.
const { authenticatorPassword, defaultPrivileges } = loadConfig();
const databaseUrl = process.env.DATABASE_URL ? await createFreshDatabase(process.env.DATABASE_URL, 'rounds_catalog') : undefined;
const engine = await openEngine({ databaseUrl, dataDir: 'memory://', authenticatorPassword });
await migrate(engine, { seed: false, authenticatorPassword, defaultPrivileges });
afterAll(async () => {
  await engine.close();
  if (databaseUrl) await dropDatabase(databaseUrl);
});

/** Functions anon may execute (none: every RPC needs a signed-in user), as `schema.name(arguments)`. */
const ANON_EXECUTABLE: string[] = [];

/**
 * RPCs for server-side tools with the service key alone, as `schema.name(arguments)`: the orphan sweep's
 * question_media_orphans lists object names of every instructor's questions (scripts/sweep-media.ts).
 */
const SERVICE_ONLY: string[] = ['public.question_media_orphans(p_min_age interval, p_limit integer, p_after text)'];

/**
 * Every privilege the API roles (and PUBLIC) hold on objects in `public`, as `role PRIVILEGE on table`
 * or `role PRIVILEGE (column) on table`. Reads go through RLS; writes a student may do are column grants;
 * service_role (server-side tools, the admin API) has the four DML privileges on every table.
 */
const EXPECTED_GRANTS: string[] = [
  ...['answers', 'attempts', 'cohort_members', 'cohorts', 'leaderboard_all_time', 'leaderboard_weekly', 'profiles', 'questions'].flatMap(
    (t) => [`authenticated SELECT on ${t}`, ...['SELECT', 'INSERT', 'UPDATE', 'DELETE'].map((p) => `service_role ${p} on ${t}`)],
  ),
  ...['id', 'user_id', 'mode', 'kind', 'question_ids', 'time_limit_seconds', 'filters', 'started_at', 'assignment_id', 'sitting_id', 'section', 'live_session_id'].map(
    (c) => `authenticated INSERT (${c}) on attempts`,
  ),
  // Live sessions (#19): started by an insert; every later change goes through the instructor's RPCs.
  'authenticated SELECT on live_sessions',
  ...['SELECT', 'INSERT', 'UPDATE', 'DELETE'].map((p) => `service_role ${p} on live_sessions`),
  ...['id', 'cohort_id', 'title', 'question_ids', 'assignment_id'].map((c) => `authenticated INSERT (${c}) on live_sessions`),
  'authenticated SELECT on live_questions',
  'service_role SELECT on live_questions',
  // Instructors set their cohorts work (#18): created by the server's clock and the caller's id.
  ...['SELECT', 'DELETE'].map((p) => `authenticated ${p} on assignments`),
  ...['SELECT', 'INSERT', 'UPDATE', 'DELETE'].map((p) => `service_role ${p} on assignments`),
  ...['id', 'cohort_id', 'title', 'question_ids', 'mode', 'time_limit_seconds', 'section_size', 'section_seconds', 'break_seconds', 'opens_at', 'due_at', 'explanations_after_due', 'max_attempts'].map(
    (c) => `authenticated INSERT (${c}) on assignments`,
  ),
  ...['title', 'opens_at', 'due_at', 'explanations_after_due', 'max_attempts'].map((c) => `authenticated UPDATE (${c}) on assignments`),
  ...['completed_at', 'marked_question_ids'].map((c) => `authenticated UPDATE (${c}) on attempts`),
  'authenticated DELETE on cohort_members',
  'authenticated DELETE on cohorts',
  // join_code is the server's (rotate_join_code): no grant, so it cannot be probed (decision 018).
  ...['name', 'min_answers_to_rank', 'instructor_id'].map((c) => `authenticated INSERT (${c}) on cohorts`),
  ...['name', 'min_answers_to_rank'].map((c) => `authenticated UPDATE (${c}) on cohorts`),
  // An author names and removes their editors (decision 019).
  'authenticated SELECT on question_editors',
  'authenticated DELETE on question_editors',
  ...['owner_id', 'editor_id'].map((c) => `authenticated INSERT (${c}) on question_editors`),
  ...['SELECT', 'INSERT', 'DELETE'].map((p) => `service_role ${p} on question_editors`),
  ...['display_name', 'leaderboard_alias', 'leaderboard_opt_out', 'desired_retention'].map((c) => `authenticated UPDATE (${c}) on profiles`),
  ...['stem', 'choices', 'correct_choice', 'explanation', 'organ_system', 'discipline', 'difficulty', 'tags', 'published', 'created_by'].map(
    (c) => `authenticated INSERT (${c}) on questions`,
  ),
  // media: images are attached to an existing question through update_question (decision 025), never inserted.
  ...['stem', 'choices', 'correct_choice', 'explanation', 'organ_system', 'discipline', 'difficulty', 'tags', 'published', 'media'].map(
    (c) => `authenticated UPDATE (${c}) on questions`,
  ),
  ...['authenticated', 'service_role'].flatMap((r) => [`${r} SELECT on questions_id_seq`, `${r} USAGE on questions_id_seq`]),
];

/** The first column of every row, sorted (in JS: the engines' collations differ). */
async function column(tx: Queryable, sql: string): Promise<string[]> {
  const { rows } = await tx.query<{ x: string }>(sql);
  return rows.map((r) => r.x).sort();
}

/** Every privilege of PUBLIC and the API roles on relations (and their columns) in `public`. */
const heldGrants = (tx: Queryable) =>
  column(tx, `
    with api_roles as (
      select 0::oid as oid, 'public' as name
      union all select r.oid, r.rolname from pg_catalog.pg_roles r where r.rolname in ('anon', 'authenticated', 'service_role')
    ), rels as (
      select c.oid, c.relname, c.relacl from pg_catalog.pg_class c
      where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
    )
    select ar.name || ' ' || g.privilege_type || ' on ' || r.relname as x
    from rels r cross join lateral pg_catalog.aclexplode(r.relacl) g join api_roles ar on ar.oid = g.grantee
    union all
    select ar.name || ' ' || g.privilege_type || ' (' || a.attname || ') on ' || r.relname
    from rels r join pg_catalog.pg_attribute a on a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped
    cross join lateral pg_catalog.aclexplode(a.attacl) g join api_roles ar on ar.oid = g.grantee`);

/** `schema.name(argument types)`, whatever the session's search_path. */
const fn = `p.pronamespace::regnamespace::text || '.' || p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')'`;

const checks = {
  tablesWithoutRls: (tx: Queryable) =>
    column(tx, `select c.relname as x from pg_catalog.pg_class c
                        where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relrowsecurity
                        order by 1`),
  definerFunctionsInPublic: (tx: Queryable) =>
    column(tx, `select ${fn} as x from pg_catalog.pg_proc p
                        where p.pronamespace = 'public'::regnamespace and p.prosecdef order by 1`),
  definersWithoutEmptySearchPath: (tx: Queryable) =>
    column(tx, `select ${fn} as x from pg_catalog.pg_proc p
                        where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace) and p.prosecdef
                          and not ('search_path=""' = any (coalesce(p.proconfig, '{}'))) order by 1`),
  anonExecutable: async (tx: Queryable) =>
    (
      await column(tx, `select ${fn} as x from pg_catalog.pg_proc p
                                where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
                                  and pg_catalog.has_function_privilege('anon', p.oid, 'EXECUTE') order by 1`)
    ).filter((f) => !ANON_EXECUTABLE.includes(f)),
  unexpectedGrants: async (tx: Queryable) => (await heldGrants(tx)).filter((g) => !EXPECTED_GRANTS.includes(g)),
  serviceOnlyWidened: async (tx: Queryable) =>
    (
      await column(tx, `select ${fn} || ': ' || concat_ws(', ',
                                  case when pg_catalog.has_function_privilege('authenticated', p.oid, 'EXECUTE') then 'authenticated may execute' end,
                                  case when pg_catalog.has_function_privilege('anon', p.oid, 'EXECUTE') then 'anon may execute' end,
                                  case when not pg_catalog.has_function_privilege('service_role', p.oid, 'EXECUTE') then 'service_role may not execute' end) as x
                                from pg_catalog.pg_proc p
                                where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
                                  and (pg_catalog.has_function_privilege('authenticated', p.oid, 'EXECUTE')
                                       or pg_catalog.has_function_privilege('anon', p.oid, 'EXECUTE')
                                       or not pg_catalog.has_function_privilege('service_role', p.oid, 'EXECUTE'))`)
    ).filter((f) => SERVICE_ONLY.includes(f.slice(0, f.indexOf(': ')))),
};

const read = <T>(fn: (tx: Queryable) => Promise<T>) => engine.admin(fn);

test('every table in public has row level security', async () => {
  expect(await read(checks.tablesWithoutRls)).toEqual([]);
});

test('no function in public is security definer (every RPC runs as its caller)', async () => {
  expect(await read(checks.definerFunctionsInPublic)).toEqual([]);
});

test('every security definer function pins search_path to the empty string', async () => {
  expect(await read(checks.definersWithoutEmptySearchPath)).toEqual([]);
});

test('anon can execute no function in public or private beyond the allow-list', async () => {
  expect(await read(checks.anonExecutable)).toEqual([]);
});

test('the API roles hold exactly the expected privileges on tables, views, sequences and columns in public', async () => {
  expect(await read(checks.unexpectedGrants)).toEqual([]);
  // And the list is no wider than the schema: a grant removed from a migration is removed here too.
  const held = await read(heldGrants);
  expect(EXPECTED_GRANTS.filter((g) => !held.includes(g))).toEqual([]);
});

test('service-only functions are executable by service_role and by no one else; the list is the schema\'s', async () => {
  expect(await read(checks.serviceOnlyWidened)).toEqual([]);
  const notForSignedIn = await read((tx) =>
    column(tx, `select ${fn} as x from pg_catalog.pg_proc p
                where p.pronamespace = 'public'::regnamespace and p.prorettype <> 'pg_catalog.trigger'::regtype
                  and not pg_catalog.has_function_privilege('authenticated', p.oid, 'EXECUTE')`),
  );
  expect(notForSignedIn).toEqual([...SERVICE_ONLY].sort());
});

class Rollback extends Error {}

test('each check reports a planted offender (then rolled back)', async () => {
  const found = await engine
    .admin(async (tx) => {
      await tx.exec(`set local role rounds_migrator`);
      await tx.exec(`
        create table public.catalog_no_rls (id int primary key);
        create function public.catalog_definer() returns int language sql security definer set search_path = '' as 'select 1';
        create function private.catalog_definer_mutable_path() returns int language sql security definer as 'select 1';
        create function private.catalog_definer_public_path() returns int language sql security definer set search_path = public as 'select 1';
        -- A new function is executable by PUBLIC (hence anon) unless its migration revokes it.
        create function private.catalog_forgot_revoke() returns int language sql set search_path = '' as 'select 1';
        grant select on public.questions to anon;
        grant execute on function public.question_media_orphans(interval, integer, text) to authenticated;
        grant update (role) on public.profiles to authenticated;
        -- Supabase's default privileges, as hosted projects have them, on a table whose migration forgot
        -- "revoke all": RLS is on, but every API role holds every privilege.
        alter default privileges for role rounds_migrator in schema public grant all on tables to anon, authenticated, service_role;
        create table public.catalog_default_grants (id int primary key);
        alter table public.catalog_default_grants enable row level security;
      `);
      const out = {
        tablesWithoutRls: await checks.tablesWithoutRls(tx),
        definerFunctionsInPublic: await checks.definerFunctionsInPublic(tx),
        definersWithoutEmptySearchPath: await checks.definersWithoutEmptySearchPath(tx),
        anonExecutable: await checks.anonExecutable(tx),
        unexpectedGrants: await checks.unexpectedGrants(tx),
        serviceOnlyWidened: await checks.serviceOnlyWidened(tx),
      };
      throw new Rollback(JSON.stringify(out));
    })
    .catch((e: unknown) => {
      if (e instanceof Rollback) return JSON.parse(e.message) as unknown;
      throw e;
    });
  expect(found).toEqual({
    tablesWithoutRls: ['catalog_no_rls'],
    definerFunctionsInPublic: ['public.catalog_definer()'],
    definersWithoutEmptySearchPath: ['private.catalog_definer_mutable_path()', 'private.catalog_definer_public_path()'],
    anonExecutable: [
      'private.catalog_definer_mutable_path()',
      'private.catalog_definer_public_path()',
      'private.catalog_forgot_revoke()',
      'public.catalog_definer()',
    ],
    unexpectedGrants: expect.arrayContaining([
      'anon SELECT on questions',
      'authenticated UPDATE (role) on profiles',
      ...['anon', 'authenticated', 'service_role'].flatMap((r) => ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'].map((p) => `${r} ${p} on catalog_default_grants`)),
    ]),
    serviceOnlyWidened: [`${SERVICE_ONLY[0]}: authenticated may execute`],
  });
  // Nothing else was reported: the planted grants and the default privileges of the planted tables
  // (their exact list depends on the Postgres version, e.g. MAINTAIN since 17; in the run with Supabase's
  // default privileges the table without RLS gets them too).
  const { unexpectedGrants } = found as { unexpectedGrants: string[] };
  expect(unexpectedGrants.filter((g) => !/ on catalog_(default_grants|no_rls)$/.test(g))).toEqual(['anon SELECT on questions', 'authenticated UPDATE (role) on profiles']);
  // Rolled back: the schema is clean again.
  expect(await read(checks.tablesWithoutRls)).toEqual([]);
  expect(await read(checks.unexpectedGrants)).toEqual([]);
});
