/**
 * The schema cache (PostgREST SchemaCache.hs): tables/views with their columns and primary keys, callable
 * functions, and the per-role settings PostgREST applies when it impersonates a role. Read once at start and
 * on reload, never per request. Like PostgREST it holds everything in the exposed schemas, whatever the API
 * roles may see: privileges and RLS are left to PostgreSQL, so a missing grant is a 42501, not a 404.
 */
import { z } from 'zod';
import type { Queryable } from '../db.ts';

export interface Column {
  name: string;
  /** `format_type` with every non-pg_catalog type schema-qualified, safe to splice into a cast. */
  type: string;
  isJson: boolean;
  /** The DEFAULT expression as PostgreSQL prints it (used for `Prefer: missing=default`). */
  defaultExpr: string | null;
}

export interface Table {
  schema: string;
  name: string;
  columns: Map<string, Column>;
  /** Primary-key columns in key order (the default upsert conflict target). */
  pk: string[];
}

export interface FnParam {
  name: string;
  type: string;
  /** Has a DEFAULT, so it may be omitted. */
  optional: boolean;
  variadic: boolean;
}

export interface Fn {
  schema: string;
  name: string;
  /** Input parameters (IN, INOUT, VARIADIC) in declaration order. */
  params: FnParam[];
  /** The function takes exactly one unnamed json/jsonb parameter (PostgREST's "single unnamed" form). */
  singleUnnamedJson: boolean;
  returns: 'void' | 'scalar' | 'composite';
  setof: boolean;
  volatile: boolean;
}

export interface SchemaCache {
  tables: Map<string, Table>;
  functions: Map<string, Fn[]>;
  /** `ALTER ROLE … SET` values PostgREST re-applies with set_config when it switches to that role. */
  roleSettings: Map<string, [string, string][]>;
}

export const qualifiedKey = (schema: string, name: string): string => `${schema}\u0000${name}`;

const columnRow = z.object({
  schema: z.string(),
  table: z.string(),
  column: z.string().nullable(),
  type: z.string().nullable(),
  default_expr: z.string().nullable(),
});
const pkRow = z.object({ schema: z.string(), table: z.string(), pk: z.array(z.string()) });
const fnRow = z.object({
  schema: z.string(),
  name: z.string(),
  nargs: z.number(),
  ndefaults: z.number(),
  retset: z.boolean(),
  volatility: z.string(),
  variadic: z.boolean(),
  argnames: z.array(z.string()).nullable(),
  argmodes: z.array(z.string()).nullable(),
  argtypes: z.array(z.string()),
  argtypeoids: z.array(z.number()),
  rettype: z.string(),
  rettyptype: z.string(),
});
const roleSettingRow = z.object({ role: z.string(), name: z.string(), value: z.string() });

const JSON_OIDS = new Set([114, 3802]);

/** Reads the cache through `tx` (an admin transaction: it must see every object, whoever may use it). */
export async function loadSchemaCache(tx: Queryable, schemas: string[]): Promise<SchemaCache> {
  // Printing types with an empty search_path makes format_type qualify everything outside pg_catalog,
  // so the strings stay valid under the request's search_path.
  await tx.query(`select set_config('search_path', 'pg_catalog', true)`);
  const columns = await tx.query(
    `select n.nspname as schema, c.relname as "table", a.attname as "column",
            format_type(a.atttypid, a.atttypmod) as type,
            pg_get_expr(d.adbin, d.adrelid) as default_expr
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
       left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
      where n.nspname = any($1) and c.relkind in ('r', 'v', 'm', 'f', 'p')
      order by n.nspname, c.relname, a.attnum`,
    [schemas],
  );
  const jsonCols = await tx.query(
    `select n.nspname as schema, c.relname as "table", a.attname as "column"
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      where n.nspname = any($1) and a.atttypid = any($2::oid[])`,
    [schemas, [...JSON_OIDS]],
  );
  const jsonSet = new Set(
    jsonCols.rows.map((r) => {
      const p = columnRow.pick({ schema: true, table: true, column: true }).parse(r);
      return `${qualifiedKey(p.schema, p.table)}\u0000${p.column ?? ''}`;
    }),
  );
  const tables = new Map<string, Table>();
  for (const raw of columns.rows) {
    const r = columnRow.parse(raw);
    const key = qualifiedKey(r.schema, r.table);
    let t = tables.get(key);
    if (!t) {
      t = { schema: r.schema, name: r.table, columns: new Map(), pk: [] };
      tables.set(key, t);
    }
    if (r.column !== null && r.type !== null) {
      t.columns.set(r.column, {
        name: r.column,
        type: r.type,
        isJson: jsonSet.has(`${key}\u0000${r.column}`),
        defaultExpr: r.default_expr,
      });
    }
  }
  const pks = await tx.query(
    `select n.nspname as schema, c.relname as "table",
            array(select a.attname::text from unnest(k.conkey) with ordinality u(attnum, i)
                    join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum order by u.i) as pk
       from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
      where k.contype = 'p' and n.nspname = any($1)`,
    [schemas],
  );
  for (const raw of pks.rows) {
    const r = pkRow.parse(raw);
    const t = tables.get(qualifiedKey(r.schema, r.table));
    if (t) t.pk = r.pk;
  }

  const fns = await tx.query(
    `select n.nspname as schema, p.proname as name, p.pronargs::int as nargs, p.pronargdefaults::int as ndefaults,
            p.proretset as retset, p.provolatile::text as volatility, p.provariadic <> 0 as variadic,
            p.proargnames::text[] as argnames, p.proargmodes::text[] as argmodes,
            array(select format_type(u.t, null) from unnest(p.proargtypes::oid[]) with ordinality u(t, i) order by u.i) as argtypes,
            array(select u.t::int from unnest(p.proargtypes::oid[]) with ordinality u(t, i) order by u.i) as argtypeoids,
            format_type(p.prorettype, null) as rettype, t.typtype::text as rettyptype
       from pg_proc p
       join pg_namespace n on n.oid = p.pronamespace
       join pg_type t on t.oid = p.prorettype
      where n.nspname = any($1) and p.prokind = 'f' and p.prorettype <> 'pg_catalog.trigger'::regtype`,
    [schemas],
  );
  const functions = new Map<string, Fn[]>();
  for (const raw of fns.rows) {
    const r = fnRow.parse(raw);
    // proargnames/proargmodes cover all arguments (OUT and TABLE ones too); proargtypes only the inputs.
    const modes = r.argmodes ?? r.argtypes.map(() => 'i');
    const names = r.argnames ?? [];
    const inputNames: string[] = [];
    modes.forEach((m, i) => {
      if (m === 'i' || m === 'b' || m === 'v') inputNames.push(names[i] ?? '');
    });
    const hasOutputs = modes.some((m) => m === 'o' || m === 't' || m === 'b');
    const firstOptional = r.nargs - r.ndefaults;
    const params: FnParam[] = r.argtypes.map((type, i) => ({
      name: inputNames[i] ?? '',
      type,
      optional: i >= firstOptional,
      variadic: r.variadic && i === r.nargs - 1,
    }));
    const firstOid = r.argtypeoids[0];
    const singleUnnamedJson = params.length === 1 && params[0]?.name === '' && firstOid !== undefined && JSON_OIDS.has(firstOid);
    // PostgREST only exposes functions whose inputs are all named, or the single unnamed json form.
    if (!singleUnnamedJson && params.some((p) => p.name === '')) continue;
    // OUT/INOUT/TABLE parameters make the result a row (called in FROM, shaped as objects), like a composite type.
    const returns: Fn['returns'] = r.rettype === 'void' ? 'void' : r.rettyptype === 'c' || hasOutputs ? 'composite' : 'scalar';
    const fn: Fn = {
      schema: r.schema,
      name: r.name,
      params,
      singleUnnamedJson,
      returns,
      setof: r.retset,
      volatile: r.volatility === 'v',
    };
    const key = qualifiedKey(r.schema, r.name);
    const list = functions.get(key);
    if (list) list.push(fn);
    else functions.set(key, [fn]);
  }

  // Only settings a plain role may set (context 'user'): the API login could not apply the others anyway.
  const settings = await tx.query(
    `select r.rolname as role, split_part(cfg, '=', 1) as name, substr(cfg, strpos(cfg, '=') + 1) as value
       from pg_db_role_setting s
       join pg_roles r on r.oid = s.setrole
       cross join lateral unnest(s.setconfig) cfg
       join pg_settings ps on ps.name = split_part(cfg, '=', 1) and ps.context = 'user'
      where s.setdatabase in (0, (select oid from pg_database where datname = current_database()))
      order by s.setdatabase`,
  );
  const roleSettings = new Map<string, [string, string][]>();
  for (const raw of settings.rows) {
    const r = roleSettingRow.parse(raw);
    const list = roleSettings.get(r.role) ?? [];
    // Database-specific settings come last and override global ones.
    const i = list.findIndex(([k]) => k === r.name);
    if (i >= 0) list.splice(i, 1);
    list.push([r.name, r.value]);
    roleSettings.set(r.role, list);
  }
  return { tables, functions, roleSettings };
}
