/**
 * `npm run gen:types`: writes src/lib/database.types.ts, the `Database` type the app's supabase-js client
 * is created with (`createClient<Database>`), read from the catalog of the API schema `public` of a freshly
 * migrated database (scripts/gen-database.ts). tests/generated.test.ts fails while the file is stale.
 *
 * The output has the shape `supabase gen types typescript` emits (postgres-meta's TypeScript template),
 * which is what supabase-js's generics expect, and follows its rules so that switching to the CLI later is
 * a small diff:
 *   - columns, arguments and `returns table` columns sorted by name; Row types are nullable where the
 *     column is; Insert makes a column optional when it is nullable, has a default or is an identity;
 *   - a function's Args are its named input parameters (`?` when they have a default), or `never` without
 *     any; `returns table (…)` and setof results are arrays; a function returning a table's row type gets
 *     that row and `SetofOptions`; `returns table` columns are not nullable (the catalog cannot say);
 *   - enums and composite types of `public` are referenced by name; foreign keys within `public` are
 *     Relationships, `isOneToOne` when the referencing columns are a primary or unique key.
 * Where it knowingly differs from the CLI: generated columns are `?: never` in Insert and Update (the CLI
 * offers them, PostgreSQL refuses them); views get no Relationships (there are no views in `public`); the
 * CLI's helper types (Tables<>, Enums<>, Constants) are left out, nothing uses them.
 * Not emitted: functions PostgREST does not expose (trigger functions, unnamed arguments other than a single
 * json/jsonb/text one).
 */
import { z } from 'zod';
import type { Queryable } from '../supabase/local/db.ts';
import { writeGenerated, type GeneratedFile } from './gen-database.ts';

const SCHEMA = 'public';
/** The local server implements PostgREST 12's behaviour (no `max-affected`, no spread on to-many). */
const POSTGREST_VERSION = '12';

const typeRow = z.object({
  oid: z.number(),
  name: z.string(),
  schema: z.string(),
  kind: z.string(),
  /** Element type of an array type, base type of a domain (0 otherwise). */
  elem: z.number(),
  base: z.number(),
  /** The relation behind a composite type: its relkind ('c' for a stand-alone composite type) and name. */
  relkind: z.string().nullable(),
  relname: z.string().nullable(),
  enum_labels: z.array(z.string()),
});
type TypeInfo = z.infer<typeof typeRow>;

const relationRow = z.object({ oid: z.number(), name: z.string(), kind: z.string(), updatable: z.boolean() });
const columnRow = z.object({
  rel: z.number(),
  name: z.string(),
  type: z.number(),
  nullable: z.boolean(),
  has_default: z.boolean(),
  identity: z.string(),
  generated: z.string(),
  updatable: z.boolean(),
});
type ColumnInfo = z.infer<typeof columnRow>;
const foreignKeyRow = z.object({
  name: z.string(),
  rel: z.number(),
  columns: z.array(z.string()),
  referenced: z.string(),
  referenced_columns: z.array(z.string()),
  one_to_one: z.boolean(),
});
const functionRow = z.object({
  name: z.string(),
  identity: z.string(),
  result: z.string(),
  retset: z.boolean(),
  rettype: z.number(),
  rows: z.number(),
  modes: z.array(z.string()),
  names: z.array(z.string()),
  types: z.array(z.coerce.number()),
  ndefaults: z.number(),
});
type FunctionInfo = z.infer<typeof functionRow>;

async function rows<T>(tx: Queryable, schema: z.ZodType<T>, sql: string, params: unknown[] = []): Promise<T[]> {
  return z.array(schema).parse((await tx.query(sql, params)).rows);
}

/** Code-unit order: the same on every machine (no collation, no ICU). */
const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** An object key as prettier prints it: bare when it is an identifier. */
const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));
const str = (s: string) => JSON.stringify(s);

/** A type literal, one member per line, indented to `depth`. */
function objectType(members: string[], depth: number): string {
  if (members.length === 0) return '{}';
  const pad = '  '.repeat(depth + 1);
  return `{\n${members.map((m) => `${pad}${m.replace(/\n/g, `\n${pad}`)}`).join('\n')}\n${'  '.repeat(depth)}}`;
}

const nullable = (ts: string, isNullable: boolean) => (isNullable && ts !== 'unknown' ? `${ts} | null` : ts);

/** Reads the catalog and renders the file. */
export async function renderDatabaseTypes(tx: Queryable): Promise<string> {
  const types = new Map(
    (
      await rows(
        tx,
        typeRow,
        `select t.oid::int as oid, t.typname::text as name, n.nspname::text as schema, t.typtype::text as kind,
                t.typelem::int as elem, t.typbasetype::int as base, c.relkind::text as relkind, c.relname::text as relname,
                array(select e.enumlabel::text from pg_catalog.pg_enum e where e.enumtypid = t.oid order by e.enumsortorder) as enum_labels
           from pg_catalog.pg_type t
           join pg_catalog.pg_namespace n on n.oid = t.typnamespace
           left join pg_catalog.pg_class c on c.oid = t.typrelid
          where n.nspname not in ('information_schema') and n.nspname not like 'pg\\_toast%'`,
      )
    ).map((t) => [t.oid, t]),
  );
  const relations = (
    await rows(
      tx,
      relationRow,
      `select c.oid::int as oid, c.relname::text as name, c.relkind::text as kind,
              (pg_catalog.pg_relation_is_updatable(c.oid, false) & 28) = 28 as updatable
         from pg_catalog.pg_class c
        where c.relnamespace = $1::regnamespace and c.relkind in ('r', 'p', 'f', 'v', 'm')`,
      [SCHEMA],
    )
  ).sort(byName);
  const columns = await rows(
    tx,
    columnRow,
    `select a.attrelid::int as rel, a.attname::text as name,
            a.atttypid::int as type,
            not (a.attnotnull or (t.typtype = 'd' and t.typnotnull)) as nullable,
            a.atthasdef as has_default, a.attidentity::text as identity, a.attgenerated::text as generated,
            (c.relkind in ('r', 'p') or pg_catalog.pg_column_is_updatable(c.oid, a.attnum, false)) as updatable
       from pg_catalog.pg_attribute a
       join pg_catalog.pg_class c on c.oid = a.attrelid
       join pg_catalog.pg_type t on t.oid = a.atttypid
      where c.relnamespace = $1::regnamespace and c.relkind in ('r', 'p', 'f', 'v', 'm')
        and a.attnum > 0 and not a.attisdropped`,
    [SCHEMA],
  );
  const foreignKeys = await rows(
    tx,
    foreignKeyRow,
    `select k.conname::text as name, k.conrelid::int as rel,
            array(select a.attname::text from unnest(k.conkey) with ordinality u(n, i)
                    join pg_catalog.pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n order by u.i) as columns,
            r.relname::text as referenced,
            array(select a.attname::text from unnest(k.confkey) with ordinality u(n, i)
                    join pg_catalog.pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.n order by u.i) as referenced_columns,
            -- One-to-one when the referencing columns are exactly a primary or unique key of their table.
            exists (select 1 from pg_catalog.pg_constraint u
                     where u.conrelid = k.conrelid and u.contype in ('p', 'u')
                       and u.conkey @> k.conkey and k.conkey @> u.conkey) as one_to_one
       from pg_catalog.pg_constraint k
       join pg_catalog.pg_class r on r.oid = k.confrelid
      where k.contype = 'f' and k.conparentid = 0
        and k.connamespace = $1::regnamespace and r.relnamespace = $1::regnamespace`,
    [SCHEMA],
  );
  const functions = await rows(
    tx,
    functionRow,
    `select p.proname::text as name, pg_catalog.pg_get_function_identity_arguments(p.oid) as identity,
            pg_catalog.pg_get_function_result(p.oid) as result,
            p.proretset as retset, p.prorettype::int as rettype,
            case when p.proretset then p.prorows::int else 0 end as rows,
            -- proargmodes/proargnames are null when every argument is IN / unnamed; proallargtypes when all are IN.
            coalesce(p.proargmodes::text[], array_fill('i'::text, array[p.pronargs::int])) as modes,
            coalesce(p.proargnames::text[], array_fill(''::text, array[p.pronargs::int])) as names,
            coalesce(p.proallargtypes, p.proargtypes::oid[])::int[] as types,
            p.pronargdefaults::int as ndefaults
       from pg_catalog.pg_proc p
      where p.pronamespace = $1::regnamespace and p.prokind = 'f'
        and p.prorettype not in ('pg_catalog.trigger'::regtype, 'pg_catalog.event_trigger'::regtype)`,
    [SCHEMA],
  );

  const columnsOf = new Map<number, ColumnInfo[]>();
  for (const c of columns) columnsOf.set(c.rel, [...(columnsOf.get(c.rel) ?? []), c]);
  for (const list of columnsOf.values()) list.sort(byName);
  const relationByType = (t: TypeInfo) => relations.find((r) => t.relname === r.name && t.schema === SCHEMA);

  /** postgres-meta's pgTypeToTsType, by type oid. */
  function tsType(oid: number): string {
    const t = types.get(oid);
    if (!t) return 'unknown';
    if (t.elem !== 0 && t.name.startsWith('_')) return `${tsType(t.elem)}[]`;
    // The CLI types a domain argument or result as unknown; its base type is what PostgREST sends.
    if (t.kind === 'd') return tsType(t.base);
    if (t.schema === 'pg_catalog') {
      if (t.name === 'bool') return 'boolean';
      if (['int2', 'int4', 'int8', 'float4', 'float8', 'numeric'].includes(t.name)) return 'number';
      if (['bytea', 'bpchar', 'varchar', 'date', 'text', 'time', 'timetz', 'timestamp', 'timestamptz', 'uuid', 'interval'].includes(t.name)) return 'string';
      if (t.name === 'json' || t.name === 'jsonb') return 'Json';
      if (t.name === 'void') return 'undefined';
      if (t.name === 'record') return 'Record<string, unknown>';
      return 'unknown';
    }
    if (t.kind === 'e') return t.schema === SCHEMA ? `Database[${str(SCHEMA)}]["Enums"][${str(t.name)}]` : t.enum_labels.map(str).join(' | ');
    if (t.kind === 'c') {
      if (t.schema !== SCHEMA) return 'unknown';
      if (t.relkind === 'c') return `Database[${str(SCHEMA)}]["CompositeTypes"][${str(t.name)}]`;
      const rel = relationByType(t);
      if (!rel) return 'unknown';
      return `Database[${str(SCHEMA)}][${rel.kind === 'v' || rel.kind === 'm' ? '"Views"' : '"Tables"'}][${str(rel.name)}]["Row"]`;
    }
    return t.name === 'citext' || t.name === 'vector' ? 'string' : 'unknown';
  }

  const rowMembers = (cols: ColumnInfo[]) => cols.map((c) => `${key(c.name)}: ${nullable(tsType(c.type), c.nullable)}`);
  const writeMembers = (cols: ColumnInfo[], mode: 'insert' | 'update') =>
    cols.map((c) => {
      if (c.identity === 'a' || c.generated !== '') return `${key(c.name)}?: never`;
      const optional = mode === 'update' || c.nullable || c.identity !== '' || c.has_default;
      return `${key(c.name)}${optional ? '?' : ''}: ${nullable(tsType(c.type), c.nullable)}`;
    });
  const viewWriteMembers = (cols: ColumnInfo[]) =>
    cols.map((c) => (c.updatable ? `${key(c.name)}?: ${nullable(tsType(c.type), true)}` : `${key(c.name)}?: never`));

  function relationshipsOf(oid: number): string {
    const fks = foreignKeys
      .filter((k) => k.rel === oid)
      .sort(
        (a, b) =>
          byName(a, b) ||
          byName({ name: a.referenced }, { name: b.referenced }) ||
          byName({ name: JSON.stringify(a.referenced_columns) }, { name: JSON.stringify(b.referenced_columns) }),
      );
    if (fks.length === 0) return 'Relationships: []';
    const items = fks.map((k) =>
      objectType(
        [
          `foreignKeyName: ${str(k.name)}`,
          `columns: [${k.columns.map(str).join(', ')}]`,
          `isOneToOne: ${k.one_to_one}`,
          `referencedRelation: ${str(k.referenced)}`,
          `referencedColumns: [${k.referenced_columns.map(str).join(', ')}]`,
        ],
        0,
      ),
    );
    return `Relationships: [\n${items.map((i) => `  ${i.replace(/\n/g, '\n  ')},`).join('\n')}\n]`;
  }

  const tables = relations.filter((r) => ['r', 'p', 'f'].includes(r.kind));
  const views = relations.filter((r) => r.kind === 'v' || r.kind === 'm');
  const tableMembers = tables.map((t) => {
    const cols = columnsOf.get(t.oid) ?? [];
    return `${key(t.name)}: ${objectType(
      [
        `Row: ${objectType(rowMembers(cols), 0)}`,
        `Insert: ${objectType(writeMembers(cols, 'insert'), 0)}`,
        `Update: ${objectType(writeMembers(cols, 'update'), 0)}`,
        relationshipsOf(t.oid),
      ],
      0,
    )}`;
  });
  const viewMembers = views.map((v) => {
    const cols = columnsOf.get(v.oid) ?? [];
    const writable = v.kind === 'v' && v.updatable;
    return `${key(v.name)}: ${objectType(
      [
        `Row: ${objectType(rowMembers(cols), 0)}`,
        ...(writable ? [`Insert: ${objectType(viewWriteMembers(cols), 0)}`, `Update: ${objectType(viewWriteMembers(cols), 0)}`] : []),
        'Relationships: []',
      ],
      0,
    )}`;
  });

  /** Input arguments as PostgREST exposes them, or undefined when it does not expose the function. */
  function inputArgs(f: FunctionInfo): { name: string; type: number; optional: boolean }[] | undefined {
    const inputs = f.modes
      .map((mode, i) => ({ mode, name: f.names[i] ?? '', type: f.types[i] ?? 0 }))
      .filter((a) => a.mode === 'i' || a.mode === 'b' || a.mode === 'v');
    const firstDefault = inputs.length - f.ndefaults;
    const args = inputs.map((a, i) => ({ name: a.name, type: a.type, optional: i >= firstDefault }));
    const unnamed = args.filter((a) => a.name === '');
    const singleUnnamed = args.length === 1 && unnamed.length === 1 && ['json', 'jsonb', 'text'].includes(types.get(args[0]?.type ?? 0)?.name ?? '');
    if (unnamed.length > 0 && !singleUnnamed) return undefined;
    return args.sort(byName);
  }

  function signature(f: FunctionInfo, args: { name: string; type: number; optional: boolean }[]): string {
    const argsType = args.length === 0 ? 'never' : objectType(args.map((a) => `${key(a.name)}${a.optional ? '?' : ''}: ${tsType(a.type)}`), 0);
    const tableColumns = f.modes
      .map((mode, i) => ({ mode, name: f.names[i] ?? '', type: f.types[i] ?? 0 }))
      .filter((a) => a.mode === 't')
      .sort(byName);
    const rettype = types.get(f.rettype);
    const returnsRow = rettype?.kind === 'c' && rettype.schema === SCHEMA ? rettype : undefined;
    const relation = returnsRow ? relationByType(returnsRow) : undefined;
    let returns: string;
    if (tableColumns.length > 0) returns = objectType(tableColumns.map((c) => `${key(c.name)}: ${tsType(c.type)}`), 0);
    else if (relation) returns = objectType(rowMembers(columnsOf.get(relation.oid) ?? []), 0);
    else returns = tsType(f.rettype);
    const members = [`Args: ${argsType}`];
    // A function returning a relation's row: postgrest-js types a select on its result like one on the relation.
    const setofTarget = relation?.name ?? (returnsRow?.relkind === 'c' ? returnsRow.name : undefined);
    const manyRows = f.rows > 1;
    members.push(`Returns: ${returns}${f.retset && !(setofTarget && !manyRows) ? '[]' : ''}`);
    if (setofTarget) {
      members.push(
        `SetofOptions: ${objectType([`from: "*"`, `to: ${str(setofTarget)}`, `isOneToOne: ${!manyRows}`, `isSetofReturn: ${f.retset}`], 0)}`,
      );
    }
    return objectType(members, 0);
  }

  const exposed = functions
    .map((f) => ({ f, args: inputArgs(f) }))
    .filter((x): x is { f: FunctionInfo; args: NonNullable<ReturnType<typeof inputArgs>> } => x.args !== undefined);
  const names = [...new Set(exposed.map((x) => x.f.name))].sort();
  const functionMembers = names.map((name) => {
    const overloads = exposed
      .filter((x) => x.f.name === name)
      .sort((a, b) => byName({ name: a.f.identity }, { name: b.f.identity }) || byName({ name: a.f.result }, { name: b.f.result }))
      .map((x) => signature(x.f, x.args));
    if (overloads.length === 1) return `${key(name)}: ${overloads[0]}`;
    return `${key(name)}:\n${overloads.map((o) => `  | ${o.replace(/\n/g, '\n    ')}`).join('\n')}`;
  });

  const publicTypes = [...types.values()].filter((t) => t.schema === SCHEMA).sort(byName);
  const enumMembers = publicTypes.filter((t) => t.kind === 'e').map((t) => `${key(t.name)}: ${t.enum_labels.map(str).join(' | ')}`);
  const compositeMembers: string[] = [];
  for (const t of publicTypes.filter((c) => c.kind === 'c' && c.relkind === 'c')) {
    const attrs = await rows(
      tx,
      z.object({ name: z.string(), type: z.number() }),
      `select a.attname::text as name, a.atttypid::int as type from pg_catalog.pg_attribute a
        join pg_catalog.pg_type t on t.typrelid = a.attrelid where t.oid = $1 and a.attnum > 0 and not a.attisdropped`,
      [t.oid],
    );
    compositeMembers.push(`${key(t.name)}: ${objectType(attrs.sort(byName).map((a) => `${key(a.name)}: ${nullable(tsType(a.type), true)}`), 0)}`);
  }

  const none = ['[_ in never]: never'];
  const schema = objectType(
    [
      `Tables: ${objectType(tableMembers.length ? tableMembers : none, 0)}`,
      `Views: ${objectType(viewMembers.length ? viewMembers : none, 0)}`,
      `Functions: ${objectType(functionMembers.length ? functionMembers : none, 0)}`,
      `Enums: ${objectType(enumMembers.length ? enumMembers : none, 0)}`,
      `CompositeTypes: ${objectType(compositeMembers.length ? compositeMembers : none, 0)}`,
    ],
    0,
  );
  const database = objectType(
    [
      '// Lets createClient<Database>() pick the PostgREST version without a second type argument.',
      `__InternalSupabase: ${objectType([`PostgrestVersion: ${str(POSTGREST_VERSION)}`], 0)}`,
      `${key(SCHEMA)}: ${schema}`,
    ],
    0,
  );
  return [
    '// generated by scripts/gen-types.ts — do not edit. The migrations are the source: after changing one,',
    '// run `npm run gen` (tests/generated.test.ts fails while this file is stale).',
    '',
    'export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[]',
    '',
    `export type Database = ${database}`,
    '',
  ].join('\n');
}

export const databaseTypesFile: GeneratedFile = { path: 'src/lib/database.types.ts', render: renderDatabaseTypes };

if (process.argv[1] === import.meta.filename) await writeGenerated([databaseTypesFile]);
