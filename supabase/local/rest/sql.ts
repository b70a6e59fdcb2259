/**
 * Builds the single main statement of a request in PostgREST's shape (Query/QueryBuilder.hs,
 * Query/Statements.hs): a `pgrst_source` CTE doing the work, then one row with the total count, the page
 * count, the body as JSON text produced by PostgreSQL, and the response GUCs.
 *
 * Rules that keep this safe: identifiers are always double-quoted, user values are always bound as
 * parameters (untyped where PostgreSQL should infer the column type, as PostgREST does); the only text
 * spliced in besides identifiers is catalog output (type names, DEFAULT expressions), validated integers,
 * and cast names restricted to [A-Za-z0-9_].
 */
import { BINARY_OPS, FTS_FUNCTIONS, IS_VALUES, fieldOutputName, type Condition, type Field, type Filter, type OrderTerm, type SelectItem } from './parse.ts';
import type { Column, Fn, FnParam, Table } from './schema-cache.ts';

export const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;
export const qualified = (schema: string, name: string): string => `${ident(schema)}.${ident(name)}`;

/** Collects bind parameters; every value reaches PostgreSQL as text. */
export class Params {
  readonly values: string[] = [];
  add(v: string): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

export interface Statement {
  sql: string;
  params: string[];
}

/** What column references are qualified with, and (for tables) the column metadata. */
interface Scope {
  params: Params;
  qual: string;
  column(name: string): Column | undefined;
}

function fieldSql(s: Scope, f: Field): string {
  const col = `${s.qual}.${ident(f.name)}`;
  if (f.path.length === 0) return col;
  let out = s.column(f.name)?.isJson ? col : `to_jsonb(${col})`;
  for (const step of f.path) {
    const key = /^-?\d{1,9}$/.test(step.key) ? step.key : `${s.params.add(step.key)}::text`;
    out = `${out}${step.arrow}${key}`;
  }
  return `(${out})`;
}

function selectSql(s: Scope, items: SelectItem[]): string {
  return items
    .map((it) => {
      if (it.kind === 'star') return `${s.qual}.*`;
      const expr = fieldSql(s, it.field);
      const value = it.cast ? `CAST(${expr} AS ${it.cast})` : expr;
      return `${value} AS ${ident(it.alias ?? fieldOutputName(it.field))}`;
    })
    .join(', ');
}

/** `{"a","b,c"}`: every element quoted so commas, braces and quotes survive (SqlFragment.hs pgBuildArrayLiteral). */
export function arrayLiteral(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

function filterSql(s: Scope, f: Filter): string {
  const lhs = fieldSql(s, f.field);
  const op = f.operation;
  let sql: string;
  switch (op.kind) {
    case 'binary': {
      const v = op.op === 'like' || op.op === 'ilike' ? op.value.replace(/\*/g, '%') : op.value;
      sql = `${lhs} ${BINARY_OPS[op.op]} ${s.params.add(v)}`;
      break;
    }
    case 'quantified': {
      const v = op.op === 'like' || op.op === 'ilike' ? op.values.replace(/\*/g, '%') : op.values;
      sql = `${lhs} ${BINARY_OPS[op.op]} ${op.quantifier.toUpperCase()}(${s.params.add(v)})`;
      break;
    }
    case 'in':
      sql = `${lhs} = ANY(${s.params.add(arrayLiteral(op.values))})`;
      break;
    case 'is':
      sql = `${lhs} IS ${IS_VALUES[op.value].toUpperCase()}`;
      break;
    case 'fts': {
      const cfg = op.config === undefined ? '' : `${s.params.add(op.config)}::regconfig, `;
      const isVector = f.field.path.length === 0 && s.column(f.field.name)?.type === 'tsvector';
      const vector = isVector ? lhs : `to_tsvector(${cfg}${lhs})`;
      sql = `${vector} @@ ${FTS_FUNCTIONS[op.op]}(${cfg}${s.params.add(op.value)}::text)`;
      break;
    }
  }
  return f.negate ? `NOT (${sql})` : sql;
}

function conditionSql(s: Scope, c: Condition): string {
  if (c.kind === 'filter') return filterSql(s, c.filter);
  const inner = c.children.map((ch) => conditionSql(s, ch)).join(c.op === 'and' ? ' AND ' : ' OR ');
  return `${c.negate ? 'NOT ' : ''}(${inner})`;
}

function whereSql(s: Scope, where: Condition[]): string {
  return where.length === 0 ? '' : ` WHERE ${where.map((c) => conditionSql(s, c)).join(' AND ')}`;
}

function orderSql(s: Scope, order: OrderTerm[]): string {
  if (order.length === 0) return '';
  const terms = order.map((o) => {
    const dir = o.direction === 'desc' ? ' DESC' : o.direction === 'asc' ? ' ASC' : '';
    const nulls = o.nulls === 'first' ? ' NULLS FIRST' : o.nulls === 'last' ? ' NULLS LAST' : '';
    return `${fieldSql(s, o.field)}${dir}${nulls}`;
  });
  return ` ORDER BY ${terms.join(', ')}`;
}

function rangeSql(limit: number | undefined, offset: number | undefined): string {
  return `${limit === undefined ? '' : ` LIMIT ${limit}`}${offset ? ` OFFSET ${offset}` : ''}`;
}

const GUC_COLUMNS = `nullif(current_setting('response.headers', true), '') AS response_headers,
       nullif(current_setting('response.status', true), '') AS response_status`;

export type BodyShape = 'array' | 'object' | 'scalar' | 'scalar-array' | 'none';

function bodySql(shape: BodyShape): string {
  switch (shape) {
    case 'array':
      return `coalesce(json_agg(_postgrest_t), '[]')::text`;
    case 'object':
      return `coalesce((json_agg(_postgrest_t)->0)::text, 'null')`;
    case 'scalar':
      return `coalesce((json_agg(_postgrest_t.pgrst_scalar)->0)::text, 'null')`;
    case 'scalar-array':
      return `coalesce(json_agg(_postgrest_t.pgrst_scalar), '[]')::text`;
    case 'none':
      return `''::text`;
  }
}

export interface ReadQuery {
  select: SelectItem[];
  where: Condition[];
  order: OrderTerm[];
  limit: number | undefined;
  offset: number | undefined;
}

const tableScope = (params: Params, t: Table, qual: string): Scope => ({ params, qual, column: (n) => t.columns.get(n) });

/** GET/HEAD on a table or view. */
export function readStatement(t: Table, q: ReadQuery, count: boolean, shape: BodyShape): Statement {
  const params = new Params();
  const from = qualified(t.schema, t.name);
  const s = tableScope(params, t, from);
  const where = whereSql(s, q.where);
  const source = `SELECT ${selectSql(s, q.select)} FROM ${from}${where}${orderSql(s, q.order)}${rangeSql(q.limit, q.offset)}`;
  const countCte = count ? `, pgrst_source_count AS (SELECT 1 FROM ${from}${where})` : '';
  const total = count ? '(SELECT pg_catalog.count(*) FROM pgrst_source_count)' : 'null::bigint';
  const sql = `WITH pgrst_source AS (${source})${countCte}
SELECT ${total} AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, ${bodySql(shape)} AS body,
       ${GUC_COLUMNS}
  FROM (SELECT * FROM pgrst_source) _postgrest_t`;
  return { sql, params: params.values };
}

/** The outer SELECT over a mutation's `pgrst_source` (representation → the ?select projection of the returned rows). */
function mutationResult(t: Table, params: Params, source: string, select: SelectItem[] | undefined, shape: BodyShape, extra = ''): string {
  const projection = select ? selectSql(tableScope(params, t, 'pgrst_source'), select) : '1';
  return `WITH pgrst_source AS (${source})
SELECT null::bigint AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, ${select ? bodySql(shape) : `''::text`} AS body,
       ${GUC_COLUMNS}${extra}
  FROM (SELECT ${projection} FROM pgrst_source) _postgrest_t`;
}

export interface InsertPlan {
  /** Columns to insert (from ?columns or the payload keys); empty = all defaults. */
  columns: Column[];
  /** The payload, always a JSON array of objects. */
  payload: string;
  conflict: { target: string[]; action: 'merge' | 'ignore' } | undefined;
  /** `Prefer: missing=default`: a key absent from an object takes the column DEFAULT instead of NULL. */
  missingDefault: boolean;
  /** Projection for return=representation; undefined → `RETURNING 1`. */
  select: SelectItem[] | undefined;
  shape: BodyShape;
}

/** Counts rows the upsert updated (vs inserted) without referencing table columns, so no SELECT privilege is needed. */
const COUNT_UPDATED = `pg_catalog.set_config('pgrst.updated', (coalesce(nullif(pg_catalog.current_setting('pgrst.updated', true), '')::int, 0) + 1)::text, true) IS NOT NULL`;

export function insertStatement(t: Table, p: InsertPlan): Statement {
  const params = new Params();
  const target = qualified(t.schema, t.name);
  const payload = params.add(p.payload);
  let source: string;
  if (p.columns.length === 0) {
    // One all-defaults row per payload element.
    source = `INSERT INTO ${target} SELECT FROM json_array_elements(${payload}::json)`;
  } else {
    const cols = p.columns.map((c) => ident(c.name)).join(', ');
    const defs = p.columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ');
    const values = p.columns
      .map((c) => {
        const v = `pgrst_body.${ident(c.name)}`;
        if (!p.missingDefault || c.defaultExpr === null) return v;
        return `CASE WHEN pgrst_elem.value::jsonb ? ${params.add(c.name)}::text THEN ${v} ELSE ${c.defaultExpr} END`;
      })
      .join(', ');
    source = `INSERT INTO ${target} (${cols}) SELECT ${values} FROM json_array_elements(${payload}::json) pgrst_elem, LATERAL json_to_record(pgrst_elem.value) AS pgrst_body(${defs})`;
  }
  let extra = '';
  if (p.conflict) {
    const on = p.conflict.target.map(ident).join(', ');
    if (p.conflict.action === 'ignore' || p.columns.length === 0) source += ` ON CONFLICT (${on}) DO NOTHING`;
    else {
      const sets = p.columns.map((c) => `${ident(c.name)} = EXCLUDED.${ident(c.name)}`).join(', ');
      source += ` ON CONFLICT (${on}) DO UPDATE SET ${sets} WHERE ${COUNT_UPDATED}`;
      extra = `,\n       nullif(current_setting('pgrst.updated', true), '') AS pgrst_updated`;
    }
  }
  source += p.select ? ` RETURNING ${target}.*` : ' RETURNING 1';
  return { sql: mutationResult(t, params, source, p.select, p.shape, extra), params: params.values };
}

export interface UpdatePlan {
  columns: Column[];
  /** A JSON object. */
  payload: string;
  where: Condition[];
  select: SelectItem[] | undefined;
  shape: BodyShape;
}

export function updateStatement(t: Table, p: UpdatePlan): Statement {
  const params = new Params();
  const target = qualified(t.schema, t.name);
  const returning = p.select ? ` RETURNING ${target}.*` : ' RETURNING 1';
  let source: string;
  if (p.columns.length === 0) {
    // PostgREST answers an empty PATCH without touching the table.
    source = p.select ? `SELECT ${target}.* FROM ${target} WHERE false` : 'SELECT 1 WHERE false';
  } else {
    const payload = params.add(p.payload);
    const defs = p.columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ');
    const sets = p.columns.map((c) => `${ident(c.name)} = pgrst_body.${ident(c.name)}`).join(', ');
    const where = whereSql(tableScope(params, t, target), p.where);
    source = `UPDATE ${target} SET ${sets} FROM json_to_record(${payload}::json) AS pgrst_body(${defs})${where}${returning}`;
  }
  return { sql: mutationResult(t, params, source, p.select, p.shape), params: params.values };
}

export function deleteStatement(t: Table, where: Condition[], select: SelectItem[] | undefined, shape: BodyShape): Statement {
  const params = new Params();
  const target = qualified(t.schema, t.name);
  const source = `DELETE FROM ${target}${whereSql(tableScope(params, t, target), where)}${select ? ` RETURNING ${target}.*` : ' RETURNING 1'}`;
  return { sql: mutationResult(t, params, source, select, shape), params: params.values };
}

export type CallArgs =
  | { kind: 'json'; payload: string; params: FnParam[] }
  | { kind: 'text'; values: [FnParam, string][] }
  | { kind: 'unnamed'; payload: string; type: string };

export function callStatement(fn: Fn, args: CallArgs, q: ReadQuery, count: boolean, shape: BodyShape): Statement {
  const params = new Params();
  const name = qualified(fn.schema, fn.name);
  const named = (p: FnParam, value: string) => `${p.variadic ? 'VARIADIC ' : ''}${ident(p.name)} := ${value}`;
  let call: string;
  let from = '';
  switch (args.kind) {
    case 'json':
      if (args.params.length === 0) call = `${name}()`;
      else {
        const payload = params.add(args.payload);
        const defs = args.params.map((p) => `${ident(p.name)} ${p.type}`).join(', ');
        from = `json_to_record(${payload}::json) AS pgrst_body(${defs})`;
        call = `${name}(${args.params.map((p) => named(p, `pgrst_body.${ident(p.name)}`)).join(', ')})`;
      }
      break;
    case 'text':
      call = `${name}(${args.values.map(([p, v]) => named(p, `${params.add(v)}::${p.type}`)).join(', ')})`;
      break;
    case 'unnamed':
      call = `${name}(${params.add(args.payload)}::${args.type})`;
      break;
  }
  const source =
    fn.returns === 'composite'
      ? `SELECT pgrst_call.* FROM ${from ? `${from}, LATERAL ` : ''}${call} pgrst_call`
      : `SELECT ${call} AS pgrst_scalar${from ? ` FROM ${from}` : ''}`;
  const s: Scope = { params, qual: 'pgrst_source', column: () => undefined };
  const projection = fn.returns === 'composite' ? selectSql(s, q.select) : 'pgrst_source.pgrst_scalar';
  const where = whereSql(s, q.where);
  const total = count ? `(SELECT pg_catalog.count(*) FROM pgrst_source${where})` : 'null::bigint';
  const sql = `WITH pgrst_source AS (${source})
SELECT ${total} AS total_result_set, pg_catalog.count(_postgrest_t) AS page_total, ${bodySql(shape)} AS body,
       ${GUC_COLUMNS}
  FROM (SELECT ${projection} FROM pgrst_source${where}${orderSql(s, q.order)}${rangeSql(q.limit, q.offset)}) _postgrest_t`;
  return { sql, params: params.values };
}
