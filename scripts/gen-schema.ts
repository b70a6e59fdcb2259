/**
 * `npm run gen:schema`: writes supabase/schema.sql, the live definition of every object in the schemas
 * `public` and `private` after all migrations, so that what `submit_answers` or a policy on `answers` says
 * today is one search away instead of spread over the migrations that replaced each other. Read from the
 * catalog of a freshly migrated database (scripts/gen-database.ts) with PostgreSQL's own deparsers
 * (pg_get_functiondef, pg_get_viewdef, pg_get_constraintdef, pg_get_indexdef, pg_get_triggerdef,
 * pg_get_expr), not pg_dump, which may be missing or of another major version than the server.
 * tests/generated.test.ts fails while the file is stale.
 *
 * Order: schemas, types, tables (each with its constraints, row level security, policies, indexes,
 * triggers and grants), views, functions, then triggers that other schemas' tables (auth.users) fire
 * into functions of ours. Within each kind by schema and name, in code-unit order (no collation).
 * Grants are the effective ones, defaults included (a function nobody revoked shows `to public`); the
 * owner's own privileges are left out. The text documents the schema; it is not meant to be run.
 */
import { z } from 'zod';
import type { Queryable } from '../supabase/local/db.ts';
import { writeGenerated, type GeneratedFile } from './gen-database.ts';

const SCHEMAS = ['private', 'public'];

async function rows<T>(tx: Queryable, schema: z.ZodType<T>, sql: string, params: unknown[] = []): Promise<T[]> {
  return z.array(schema).parse((await tx.query(sql, params)).rows);
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const ident = (name: string) => (/^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

const aclRow = z.object({ object: z.number(), grantee: z.string(), privilege: z.string(), grantable: z.boolean(), column: z.string().nullable() });
type Acl = z.infer<typeof aclRow>;

/** `grant …;` lines from exploded ACL entries of one object: one line per grantee (and column set). */
function grants(acl: Acl[], on: string): string[] {
  const lines = new Map<string, { privileges: Set<string>; columns: Set<string> }>();
  for (const a of acl) {
    // Column grants of the same privilege to the same role are one statement with a column list.
    const k = `${a.grantee}\u0000${a.column === null ? '' : a.privilege}\u0000${a.grantable}`;
    const line = lines.get(k) ?? { privileges: new Set(), columns: new Set() };
    line.privileges.add(a.privilege.toLowerCase());
    if (a.column !== null) line.columns.add(a.column);
    lines.set(k, line);
  }
  return [...lines.entries()]
    .map(([k, v]) => {
      const [grantee = '', , grantable] = k.split('\u0000');
      const cols = v.columns.size > 0 ? ` (${[...v.columns].sort(compare).map(ident).join(', ')})` : '';
      const privileges = [...v.privileges].sort(compare).join(', ');
      return `grant ${privileges}${cols} on ${on} to ${grantee === 'public' ? 'public' : ident(grantee)}${grantable === 'true' ? ' with grant option' : ''};`;
    })
    .sort(compare);
}

/** Reads the catalog and renders the file. */
export async function renderSchemaSql(tx: Queryable): Promise<string> {
  const p = [SCHEMAS];
  /** Exploded privileges (defaults included, owner left out) of the objects `sql` selects as (oid, acl, owner). */
  const acls = async (kind: string, sql: string, column = 'null::text') => {
    const list = await rows(
      tx,
      aclRow,
      `select o.oid::int as object, case when g.grantee = 0 then 'public' else g.grantee::regrole::text end as grantee,
              g.privilege_type::text as privilege, g.is_grantable as grantable, ${column} as "column"
         from (${sql}) o cross join lateral pg_catalog.aclexplode(coalesce(o.acl, pg_catalog.acldefault('${kind}', o.owner))) g
        where g.grantee <> o.owner`,
      p,
    );
    const byObject = new Map<number, Acl[]>();
    for (const a of list) byObject.set(a.object, [...(byObject.get(a.object) ?? []), a]);
    return byObject;
  };
  const out: string[] = [];
  const section = (title: string) => out.push('', `-- ${'='.repeat(100 - 3)}`, `-- ${title}`, `-- ${'='.repeat(100 - 3)}`);

  // Schemas.
  const schemas = await rows(
    tx,
    z.object({ oid: z.number(), name: z.string(), comment: z.string().nullable() }),
    `select n.oid::int as oid, n.nspname::text as name, pg_catalog.obj_description(n.oid, 'pg_namespace') as comment
       from pg_catalog.pg_namespace n where n.nspname = any($1) order by n.nspname`,
    p,
  );
  const schemaAcl = await acls('n', `select n.oid, n.nspacl as acl, n.nspowner as owner from pg_catalog.pg_namespace n where n.nspname = any($1)`);
  section('Schemas');
  for (const s of schemas.sort((a, b) => compare(a.name, b.name))) {
    out.push('', s.name === 'public' ? '-- public: created with the database' : `create schema ${ident(s.name)};`);
    if (s.comment !== null) out.push(`comment on schema ${ident(s.name)} is ${literal(s.comment)};`);
    out.push(...grants(schemaAcl.get(s.oid) ?? [], `schema ${ident(s.name)}`));
  }

  // Types that are not a relation's row type or an array.
  const types = await rows(
    tx,
    z.object({ name: z.string(), kind: z.string(), definition: z.string(), comment: z.string().nullable() }),
    `select t.typnamespace::regnamespace::text || '.' || t.typname as name, t.typtype::text as kind,
            case t.typtype
              when 'e' then 'as enum (' || (select string_agg(pg_catalog.quote_literal(e.enumlabel), ', ' order by e.enumsortorder)
                                            from pg_catalog.pg_enum e where e.enumtypid = t.oid) || ')'
              when 'd' then 'as ' || pg_catalog.format_type(t.typbasetype, t.typtypmod)
                            || coalesce(' default ' || t.typdefault, '') || case when t.typnotnull then ' not null' else '' end
                            || coalesce((select string_agg(' constraint ' || pg_catalog.quote_ident(c.conname) || ' ' || pg_catalog.pg_get_constraintdef(c.oid), '' order by c.conname)
                                           from pg_catalog.pg_constraint c where c.contypid = t.oid and c.contype = 'c'), '')
              when 'c' then 'as (' || (select string_agg(pg_catalog.quote_ident(a.attname) || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod), ', ' order by a.attnum)
                                       from pg_catalog.pg_attribute a where a.attrelid = t.typrelid and a.attnum > 0 and not a.attisdropped) || ')'
            end as definition,
            pg_catalog.obj_description(t.oid, 'pg_type') as comment
       from pg_catalog.pg_type t
       left join pg_catalog.pg_class c on c.oid = t.typrelid
      where t.typnamespace::regnamespace::text = any($1)
        and (t.typtype in ('e', 'd') or (t.typtype = 'c' and c.relkind = 'c'))`,
    p,
  );
  if (types.length > 0) {
    section('Types');
    for (const t of types.sort((a, b) => compare(a.name, b.name))) {
      out.push('', `create ${t.kind === 'd' ? 'domain' : 'type'} ${t.name} ${t.definition};`);
      if (t.comment !== null) out.push(`comment on ${t.kind === 'd' ? 'domain' : 'type'} ${t.name} is ${literal(t.comment)};`);
    }
  }

  // Relations.
  const relations = await rows(
    tx,
    z.object({
      oid: z.number(),
      name: z.string(),
      kind: z.string(),
      rls: z.boolean(),
      force_rls: z.boolean(),
      options: z.array(z.string()).nullable(),
      comment: z.string().nullable(),
      viewdef: z.string().nullable(),
    }),
    `select c.oid::int as oid, c.relnamespace::regnamespace::text || '.' || pg_catalog.quote_ident(c.relname) as name,
            c.relkind::text as kind, c.relrowsecurity as rls, c.relforcerowsecurity as force_rls,
            c.reloptions::text[] as options, pg_catalog.obj_description(c.oid, 'pg_class') as comment,
            case when c.relkind in ('v', 'm') then pg_catalog.pg_get_viewdef(c.oid, true) end as viewdef
       from pg_catalog.pg_class c
      where c.relnamespace::regnamespace::text = any($1) and c.relkind in ('r', 'p', 'f', 'v', 'm', 'S')`,
    p,
  );
  relations.sort((a, b) => compare(a.name, b.name));
  const relationAcl = await acls(
    'r',
    `select c.oid, c.relacl as acl, c.relowner as owner from pg_catalog.pg_class c
      where c.relnamespace::regnamespace::text = any($1) and c.relkind in ('r', 'p', 'f', 'v', 'm')`,
  );
  const sequenceAcl = await acls(
    's',
    `select c.oid, c.relacl as acl, c.relowner as owner from pg_catalog.pg_class c
      where c.relnamespace::regnamespace::text = any($1) and c.relkind = 'S'`,
  );
  const columnAcl = await rows(
    tx,
    aclRow,
    `select c.oid::int as object, case when g.grantee = 0 then 'public' else g.grantee::regrole::text end as grantee,
            g.privilege_type::text as privilege, g.is_grantable as grantable, a.attname::text as "column"
       from pg_catalog.pg_class c
       join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attacl is not null
       cross join lateral pg_catalog.aclexplode(a.attacl) g
      where c.relnamespace::regnamespace::text = any($1) and g.grantee <> c.relowner`,
    p,
  );
  const columns = await rows(
    tx,
    z.object({ rel: z.number(), num: z.number(), definition: z.string(), comment: z.string().nullable(), name: z.string() }),
    `select a.attrelid::int as rel, a.attnum::int as num, a.attname::text as name,
            pg_catalog.quote_ident(a.attname) || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
            || case when a.attcollation <> t.typcollation then ' collate ' || a.attcollation::regcollation::text else '' end
            || case
                 when a.attgenerated = 's' then ' generated always as (' || pg_catalog.pg_get_expr(d.adbin, d.adrelid) || ') stored'
                 when a.attidentity = 'a' then ' generated always as identity'
                 when a.attidentity = 'd' then ' generated by default as identity'
                 when d.adbin is not null then ' default ' || pg_catalog.pg_get_expr(d.adbin, d.adrelid)
                 else ''
               end
            || case when a.attnotnull then ' not null' else '' end as definition,
            pg_catalog.col_description(a.attrelid, a.attnum) as comment
       from pg_catalog.pg_attribute a
       join pg_catalog.pg_class c on c.oid = a.attrelid
       join pg_catalog.pg_type t on t.oid = a.atttypid
       left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where c.relnamespace::regnamespace::text = any($1) and c.relkind in ('r', 'p', 'f', 'v', 'm')
        and a.attnum > 0 and not a.attisdropped`,
    p,
  );
  // Not-null constraints are catalogued as constraints since PostgreSQL 18; they are printed on their columns.
  const constraints = await rows(
    tx,
    z.object({ rel: z.number(), name: z.string(), kind: z.string(), definition: z.string() }),
    `select k.conrelid::int as rel, k.conname::text as name, k.contype::text as kind, pg_catalog.pg_get_constraintdef(k.oid) as definition
       from pg_catalog.pg_constraint k join pg_catalog.pg_class c on c.oid = k.conrelid
      where c.relnamespace::regnamespace::text = any($1) and k.contype in ('p', 'u', 'f', 'c', 'x')`,
    p,
  );
  const indexes = await rows(
    tx,
    z.object({ rel: z.number(), name: z.string(), definition: z.string() }),
    `select i.indrelid::int as rel, c.relname::text as name, pg_catalog.pg_get_indexdef(i.indexrelid) as definition
       from pg_catalog.pg_index i join pg_catalog.pg_class c on c.oid = i.indexrelid
      where c.relnamespace::regnamespace::text = any($1)
        and not exists (select 1 from pg_catalog.pg_constraint k where k.conindid = i.indexrelid and k.contype in ('p', 'u', 'x'))`,
    p,
  );
  const policies = await rows(
    tx,
    z.object({
      rel: z.number(),
      name: z.string(),
      permissive: z.boolean(),
      command: z.string(),
      roles: z.array(z.string()),
      using: z.string().nullable(),
      check: z.string().nullable(),
    }),
    `select p.polrelid::int as rel, p.polname::text as name, p.polpermissive as permissive, p.polcmd::text as command,
            array(select case when r = 0 then 'public' else r::regrole::text end from unnest(p.polroles) r) as roles,
            pg_catalog.pg_get_expr(p.polqual, p.polrelid) as using, pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) as check
       from pg_catalog.pg_policy p join pg_catalog.pg_class c on c.oid = p.polrelid
      where c.relnamespace::regnamespace::text = any($1)`,
    p,
  );
  const triggers = await rows(
    tx,
    z.object({ rel: z.number(), name: z.string(), definition: z.string(), ours: z.boolean() }),
    `select t.tgrelid::int as rel, t.tgname::text as name, pg_catalog.pg_get_triggerdef(t.oid) as definition,
            c.relnamespace::regnamespace::text = any($1) as ours
       from pg_catalog.pg_trigger t
       join pg_catalog.pg_class c on c.oid = t.tgrelid
       join pg_catalog.pg_proc f on f.oid = t.tgfoid
      where not t.tgisinternal
        and (c.relnamespace::regnamespace::text = any($1) or f.pronamespace::regnamespace::text = any($1))`,
    p,
  );
  const ownedSequences = await rows(
    tx,
    z.object({ rel: z.number(), seq: z.number() }),
    `select d.refobjid::int as rel, d.objid::int as seq from pg_catalog.pg_depend d
       join pg_catalog.pg_class s on s.oid = d.objid
      where s.relkind = 'S' and d.classid = 'pg_catalog.pg_class'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
        and d.deptype in ('a', 'i') and s.relnamespace::regnamespace::text = any($1)`,
    p,
  );
  const sequenceDefs = await rows(
    tx,
    z.object({ oid: z.number(), definition: z.string() }),
    `select s.seqrelid::int as oid,
            'as ' || pg_catalog.format_type(s.seqtypid, null) || ' increment by ' || s.seqincrement || ' minvalue ' || s.seqmin
            || ' maxvalue ' || s.seqmax || ' start with ' || s.seqstart || ' cache ' || s.seqcache
            || case when s.seqcycle then ' cycle' else ' no cycle' end as definition
       from pg_catalog.pg_sequence s join pg_catalog.pg_class c on c.oid = s.seqrelid
      where c.relnamespace::regnamespace::text = any($1)`,
    p,
  );
  const byRel = <T extends { rel: number }>(list: T[], rel: number) => list.filter((x) => x.rel === rel);
  const commands: Record<string, string> = { r: 'select', a: 'insert', w: 'update', d: 'delete', '*': 'all' };
  const sequenceOwner = new Map(ownedSequences.map((s) => [s.seq, s.rel]));

  function relationBody(r: (typeof relations)[number], createHead: string): void {
    const cols = byRel(columns, r.oid).sort((a, b) => a.num - b.num);
    const order = ['p', 'u', 'f', 'c', 'x'];
    const cons = byRel(constraints, r.oid).sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || compare(a.name, b.name));
    const lines = [...cols.map((c) => c.definition), ...cons.map((k) => `constraint ${ident(k.name)} ${k.definition}`)];
    const options = r.options ? ` with (${r.options.join(', ')})` : '';
    out.push('', `${createHead} ${r.name} (`, lines.map((l) => `  ${l}`).join(',\n'), `)${options};`);
    if (r.comment !== null) out.push(`comment on table ${r.name} is ${literal(r.comment)};`);
    for (const c of cols.filter((c) => c.comment !== null)) out.push(`comment on column ${r.name}.${ident(c.name)} is ${literal(c.comment ?? '')};`);
    if (r.rls) out.push(`alter table ${r.name} enable row level security;`);
    if (r.force_rls) out.push(`alter table ${r.name} force row level security;`);
    for (const pol of byRel(policies, r.oid).sort((a, b) => compare(a.name, b.name))) {
      out.push(
        `create policy ${ident(pol.name)} on ${r.name} as ${pol.permissive ? 'permissive' : 'restrictive'} for ${commands[pol.command] ?? pol.command}` +
          ` to ${[...pol.roles].sort(compare).map((role) => (role === 'public' ? 'public' : ident(role))).join(', ')}` +
          `${pol.using === null ? '' : `\n  using (${pol.using})`}${pol.check === null ? '' : `\n  with check (${pol.check})`};`,
      );
    }
    for (const i of byRel(indexes, r.oid).sort((a, b) => compare(a.name, b.name))) out.push(`${i.definition};`);
    for (const t of byRel(triggers, r.oid).sort((a, b) => compare(a.name, b.name))) out.push(`${t.definition};`);
    out.push(...grants([...(relationAcl.get(r.oid) ?? []), ...columnAcl.filter((a) => a.object === r.oid)], `table ${r.name}`));
    for (const s of relations.filter((s) => s.kind === 'S' && sequenceOwner.get(s.oid) === r.oid)) {
      out.push(`-- ${s.name}: owned by a column of ${r.name}`, ...grants(sequenceAcl.get(s.oid) ?? [], `sequence ${s.name}`));
    }
  }

  const tables = relations.filter((r) => ['r', 'p', 'f'].includes(r.kind));
  if (tables.length > 0) section('Tables');
  for (const t of tables) relationBody(t, t.kind === 'f' ? 'create foreign table' : 'create table');

  const sequences = relations.filter((r) => r.kind === 'S' && !sequenceOwner.has(r.oid));
  if (sequences.length > 0) section('Sequences');
  for (const s of sequences) {
    out.push('', `create sequence ${s.name} ${sequenceDefs.find((d) => d.oid === s.oid)?.definition ?? ''};`);
    out.push(...grants(sequenceAcl.get(s.oid) ?? [], `sequence ${s.name}`));
  }

  const views = relations.filter((r) => r.kind === 'v' || r.kind === 'm');
  if (views.length > 0) section('Views');
  for (const v of views) {
    const options = v.options ? ` with (${v.options.join(', ')})` : '';
    out.push('', `create ${v.kind === 'm' ? 'materialized view' : 'view'} ${v.name}${options} as`, `${(v.viewdef ?? '').trimEnd()}`);
    if (v.comment !== null) out.push(`comment on ${v.kind === 'm' ? 'materialized view' : 'view'} ${v.name} is ${literal(v.comment)};`);
    for (const t of byRel(triggers, v.oid).sort((a, b) => compare(a.name, b.name))) out.push(`${t.definition};`);
    out.push(...grants([...(relationAcl.get(v.oid) ?? []), ...columnAcl.filter((a) => a.object === v.oid)], `table ${v.name}`));
  }

  const functions = await rows(
    tx,
    z.object({ oid: z.number(), signature: z.string(), kind: z.string(), definition: z.string(), comment: z.string().nullable() }),
    `select p.oid::int as oid, p.oid::regprocedure::text as signature, p.prokind::text as kind,
            pg_catalog.pg_get_functiondef(p.oid) as definition, pg_catalog.obj_description(p.oid, 'pg_proc') as comment
       from pg_catalog.pg_proc p
      where p.pronamespace::regnamespace::text = any($1) and p.prokind in ('f', 'p')`,
    p,
  );
  const functionAcl = await acls(
    'f',
    `select p.oid, p.proacl as acl, p.proowner as owner from pg_catalog.pg_proc p
      where p.pronamespace::regnamespace::text = any($1) and p.prokind in ('f', 'p')`,
  );
  if (functions.length > 0) section('Functions');
  for (const f of functions.sort((a, b) => compare(a.signature, b.signature))) {
    const kind = f.kind === 'p' ? 'procedure' : 'function';
    out.push('', `${f.definition.trimEnd()};`);
    if (f.comment !== null) out.push(`comment on ${kind} ${f.signature} is ${literal(f.comment)};`);
    out.push(...grants(functionAcl.get(f.oid) ?? [], `${kind} ${f.signature}`));
  }

  const foreign = triggers.filter((t) => !t.ours);
  if (foreign.length > 0) {
    section('Triggers on tables of other schemas that call functions above');
    out.push('');
    for (const t of foreign.sort((a, b) => compare(a.definition, b.definition))) out.push(`${t.definition};`);
  }

  return [
    '-- generated by scripts/gen-schema.ts — do not edit; the migrations are the source (supabase/migrations).',
    '-- The live definition of every object in the schemas public and private after all migrations, read from the',
    '-- catalog of a freshly migrated database. After changing a migration run `npm run gen`; tests/generated.test.ts',
    '-- fails while this file is stale. For reading and searching, not for running: roles, the auth schema and',
    '-- extensions come from supabase/local/bootstrap.sql (hosted Supabase provides them).',
    ...out,
    '',
  ].join('\n');
}

export const schemaSqlFile: GeneratedFile = { path: 'supabase/schema.sql', render: renderSchemaSql };

if (process.argv[1] === import.meta.filename) await writeGenerated([schemaSqlFile]);
