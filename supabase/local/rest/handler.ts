/**
 * `/rest/v1`: the PostgREST subset supabase-js uses (see docs/local-server.md#rest).
 *
 * Contract per request, as PostgREST's MainTx.hs does it: verify the JWT (no token → anon) → ONE
 * transaction (`engine.api`, READ ONLY for reads, RPC GET/HEAD and non-volatile RPC POST) → first statement
 * a single SELECT of set_config calls (search_path, role settings, role, request.jwt.claims, request.method,
 * request.path, request.headers, request.cookies) → one main statement → post-checks that may still roll
 * back (singular media type, 416, malformed response GUCs) → commit. Privileges and RLS are PostgreSQL's job;
 * this layer only shapes SQL and maps errors. On PGlite the session is a superuser, so the role switch is
 * checked here against what `authenticator` may become; on Postgres the authenticator login enforces it.
 */
import { z } from 'zod';
import type { ServerConfig } from '../config.ts';
import { asPgError, type Engine, type Queryable, type TxMode } from '../db.ts';
import { jsonNestsDeeperThan, MAX_JSON_DEPTH, type ApiRequest, type ApiResponse, type Handler } from '../http.ts';
import { verifyJwt, type Claims } from '../jwt.ts';
import { admissionKey, createAdmission, createRequestRate } from './admission.ts';
import { ApiError, JSON_CONTENT_TYPE, jwtError, lowerKeys, pgErrorResponse } from './errors.ts';
import { parseAccept, parsePrefer, parseQuery, type Preferences, type QueryParams } from './parse.ts';
import { loadSchemaCache, qualifiedKey, type Column, type Fn, type FnParam, type SchemaCache, type Table } from './schema-cache.ts';
import {
  callStatement,
  deleteStatement,
  ident,
  insertStatement,
  readStatement,
  updateStatement,
  type BodyShape,
  type CallArgs,
  type Statement,
} from './sql.ts';

/** PostgREST's `db-anon-role` as Supabase configures it. */
const ANON_ROLE = 'anon';
const OBJECT_CONTENT_TYPE = 'application/vnd.pgrst.object+json; charset=utf-8';

interface Auth {
  role: string;
  claims: Claims;
}

const resultRow = z.object({
  total_result_set: z.number().nullable(),
  page_total: z.number(),
  body: z.string(),
  response_headers: z.string().nullable(),
  response_status: z.string().nullable(),
  pgrst_updated: z.string().nullable().optional(),
});
type ResultRow = z.infer<typeof resultRow>;

const gucHeaders = z.array(z.record(z.string(), z.string()).refine((o) => Object.keys(o).length === 1));

function sqlStateError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

async function authenticate(req: ApiRequest, secret: string): Promise<Auth> {
  const header = req.headers['authorization'];
  const m = header === undefined ? null : /^bearer(?:\s+(.*))?$/i.exec(header.trim());
  if (!m) return { role: ANON_ROLE, claims: { role: ANON_ROLE } };
  const token = (m[1] ?? '').trim();
  if (token === '') throw jwtError('PGRST301', 'Empty JWT is sent in Authorization header');
  const v = await verifyJwt(token, secret);
  if (!v.ok) {
    const claimsProblem = v.reason === 'expired' || v.reason === 'not_yet_valid' || v.message === 'JWT issued at future';
    throw jwtError(claimsProblem ? 'PGRST303' : 'PGRST301', v.message);
  }
  const role = typeof v.claims.role === 'string' ? v.claims.role : ANON_ROLE;
  return { role, claims: { ...v.claims, role } };
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

/**
 * JSON body → value; PGRST102 when it is not JSON or nests deeper than MAX_JSON_DEPTH (checked first, without
 * recursion, so neither V8 nor the engine's JSON parser ever sees such a body). The raw text (not a
 * re-serialisation) goes to SQL, so big numbers keep their digits.
 */
function parseBody(raw: string): unknown {
  if (jsonNestsDeeperThan(raw, MAX_JSON_DEPTH)) {
    throw new ApiError(
      400,
      'PGRST102',
      `Invalid body: JSON nested deeper than ${MAX_JSON_DEPTH} levels is refused`,
      `Arrays and objects may nest at most ${MAX_JSON_DEPTH} levels deep.`,
    );
  }
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError(400, 'PGRST102', 'Empty or invalid json');
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `a-b/total` with PostgREST's rules (RangeQuery.hs contentRangeH). */
function contentRange(lower: number, upper: number, total: number | null): string {
  const range = total !== 0 && lower <= upper ? `${lower}-${upper}` : '*';
  return `${range}/${total ?? '*'}`;
}

function preferenceApplied(items: (string | false | undefined)[]): Record<string, string> {
  const applied = items.filter((i): i is string => typeof i === 'string' && i !== '');
  return applied.length > 0 ? { 'preference-applied': applied.join(', ') } : {};
}

function columnsFor(t: Table, names: string[]): Column[] {
  return names.map((n) => {
    const c = t.columns.get(n);
    if (!c) throw new ApiError(400, 'PGRST204', `Could not find the '${n}' column of '${t.name}' in the schema cache`);
    return c;
  });
}

function describeFn(fn: Fn): string {
  return `${fn.schema}.${fn.name}(${fn.params.map((p) => (p.name ? `${p.name} => ${p.type}` : p.type)).join(', ')})`;
}

export async function createRestHandler(config: ServerConfig, engine: Engine): Promise<Handler & { reload(): Promise<void> }> {
  const load = () => engine.admin((tx) => loadSchemaCache(tx, config.schemas));
  let cache: SchemaCache = await load();
  const admission = createAdmission({
    perUser: config.apiPerUser ?? (engine.kind === 'pglite' ? 1 : 3),
    queuePerUser: config.apiQueuePerUser,
  });
  const requestRate = createRequestRate({ perSecond: config.apiRatePerUser, burst: config.apiBurstPerUser });

  /** The role switch PostgreSQL would refuse for the authenticator login (PGlite's session is a superuser). */
  async function checkRoleSwitch(tx: Queryable, role: string): Promise<void> {
    const { rows } = await tx.query<{ member: boolean }>(
      `select pg_has_role('authenticator', oid, 'MEMBER') as member from pg_roles where rolname = $1`,
      [role],
    );
    const row = rows[0];
    if (!row) throw sqlStateError('22023', `role "${role}" does not exist`);
    if (!row.member) throw sqlStateError('42501', `permission denied to set role "${role}"`);
  }

  /** PostgREST's first statement (Query/PreQuery.hs txVarQuery), in its order. */
  async function setContext(tx: Queryable, req: ApiRequest, schema: string, auth: Auth, path: string): Promise<void> {
    if (engine.kind === 'pglite') await checkRoleSwitch(tx, auth.role);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (k !== 'cookie') headers[k] = v;
    const settings: [string, string][] = [
      ['search_path', [schema, ...config.extraSearchPath].map(ident).join(', ')],
      ...(cache.roleSettings.get(auth.role) ?? []),
      ['role', auth.role],
      ['request.jwt.claims', JSON.stringify(auth.claims)],
      ['request.method', req.method],
      ['request.path', path],
      ['request.headers', JSON.stringify(headers)],
      ['request.cookies', JSON.stringify(parseCookies(req.headers['cookie']))],
    ];
    const params: string[] = [];
    const calls = settings.map(([k, v]) => {
      params.push(k, v);
      return `set_config($${params.length - 1}, $${params.length}, true)`;
    });
    await tx.query(`select ${calls.join(', ')}`, params);
  }

  interface Exec {
    mode: TxMode;
    statement: Statement;
    /** Runs inside the transaction after the main statement; throwing rolls everything back. */
    check(row: ResultRow): void;
  }

  async function run(req: ApiRequest, schema: string, auth: Auth, path: string, exec: Exec): Promise<ResultRow> {
    // One user's share of the pool (PGlite: of the session) at a time; see admission.ts.
    return admission.run(admissionKey(auth.claims, auth.role, req.ip), () =>
      engine.api(exec.mode, async (tx) => {
        await setContext(tx, req, schema, auth, path);
        const { rows } = await tx.query(exec.statement.sql, exec.statement.params);
        const row = resultRow.parse(rows[0]);
        exec.check(row);
        gucOverrides(row); // malformed GUCs are a 500 and roll back, as in PostgREST
        return row;
      }),
    );
  }

  function gucOverrides(row: ResultRow): { status: number | undefined; headers: Record<string, string> } {
    let status: number | undefined;
    if (row.response_status !== null) {
      const n = Number(row.response_status);
      if (!/^\d{3}$/.test(row.response_status.trim()) || n < 100 || n > 599) {
        throw new ApiError(500, 'PGRST112', 'response.status guc must be a valid status code');
      }
      status = n;
    }
    const headers: Record<string, string> = {};
    if (row.response_headers !== null) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(row.response_headers);
      } catch {
        parsed = undefined;
      }
      const h = gucHeaders.safeParse(parsed);
      if (!h.success) {
        throw new ApiError(500, 'PGRST111', 'response.headers guc must be a JSON array composed of objects with a single key and a string value');
      }
      for (const o of h.data) Object.assign(headers, lowerKeys(o));
    }
    return { status, headers };
  }

  /** Applies the response GUCs: their status wins, their headers replace PostgREST's own of the same name. */
  function respond(row: ResultRow, status: number, headers: Record<string, string>, body: string): ApiResponse {
    const g = gucOverrides(row);
    return { status: g.status ?? status, headers: { ...headers, ...g.headers }, body };
  }

  function singularCheck(row: ResultRow): void {
    if (row.page_total !== 1) {
      throw new ApiError(406, 'PGRST116', 'Cannot coerce the result to a single JSON object', `The result contains ${row.page_total} rows`);
    }
  }

  function rangeCheck(offset: number, row: ResultRow): void {
    if (row.total_result_set !== null && offset > row.total_result_set) {
      throw new ApiError(
        416,
        'PGRST103',
        'Requested range not satisfiable',
        `An offset of ${offset} was requested, but there are only ${row.total_result_set} rows.`,
      );
    }
  }

  function readResponse(req: ApiRequest, row: ResultRow, offset: number, singular: boolean, prefs: Preferences): ApiResponse {
    const lower = offset;
    const upper = lower + row.page_total - 1;
    const total = row.total_result_set;
    const status = total !== null && 1 + upper - lower < total ? 206 : 200;
    const headers: Record<string, string> = {
      'content-type': singular ? OBJECT_CONTENT_TYPE : JSON_CONTENT_TYPE,
      'content-range': contentRange(lower, upper, total),
    };
    if (prefs.count) headers['preference-applied'] = `count=${prefs.count}`;
    return respond(row, status, headers, req.method === 'HEAD' ? '' : row.body);
  }

  function clampLimit(limit: number | undefined): number {
    return Math.min(limit ?? config.maxRows, config.maxRows);
  }

  async function handleTable(req: ApiRequest, t: Table, q: QueryParams, auth: Auth, path: string, schema: string): Promise<ApiResponse> {
    const prefs = parsePrefer(req.headers['prefer']);
    const singular = parseAccept(req.headers['accept']) === 'singular';
    const count = prefs.count !== undefined;
    const method = req.method;

    if (method === 'GET' || method === 'HEAD') {
      const offset = q.offset ?? 0;
      const statement = readStatement(t, { ...q, limit: clampLimit(q.limit) }, count, singular ? 'object' : 'array');
      const row = await run(req, schema, auth, path, {
        mode: 'read',
        statement,
        check: (r) => {
          rangeCheck(offset, r);
          if (singular) singularCheck(r);
        },
      });
      return readResponse(req, row, offset, singular, prefs);
    }

    const representation = prefs.return === 'representation';
    const select = representation ? q.select : undefined;
    const shape: BodyShape = singular ? 'object' : 'array';
    const applied = [prefs.return && `return=${prefs.return}`, prefs.count && `count=${prefs.count}`];
    const check = (r: ResultRow) => {
      if (singular) singularCheck(r);
    };
    const bodyOf = (r: ResultRow) => (representation ? r.body : '');
    const contentType = (r: ResultRow): Record<string, string> =>
      representation && r.body !== '' ? { 'content-type': singular ? OBJECT_CONTENT_TYPE : JSON_CONTENT_TYPE } : {};

    if (method === 'POST') {
      const raw = req.body.trim() === '' ? '' : req.body;
      const body = parseBody(raw);
      const rows = Array.isArray(body) ? body : [body];
      if (!rows.every(isPlainObject)) throw new ApiError(400, 'PGRST102', 'Empty or invalid json');
      let names: string[];
      if (q.columns) names = q.columns;
      else {
        const first = rows[0] ? Object.keys(rows[0]) : [];
        const key = [...first].sort().join('\u0000');
        if (!rows.every((r) => Object.keys(r).sort().join('\u0000') === key)) {
          throw new ApiError(400, 'PGRST102', 'All object keys must match');
        }
        names = first;
      }
      const columns = columnsFor(t, names);
      const target = q.onConflict ?? (t.pk.length > 0 ? t.pk : undefined);
      const conflict =
        prefs.resolution && target
          ? { target, action: prefs.resolution === 'merge-duplicates' ? ('merge' as const) : ('ignore' as const) }
          : undefined;
      if (conflict) applied.push(`resolution=${prefs.resolution}`);
      if (prefs.missing) applied.push(`missing=${prefs.missing}`);
      const statement = insertStatement(t, {
        columns,
        payload: Array.isArray(body) ? raw : `[${raw}]`,
        conflict,
        missingDefault: prefs.missing === 'default',
        select,
        shape,
      });
      const row = await run(req, schema, auth, path, { mode: 'write', statement, check });
      const updated = Number(row.pgrst_updated ?? '0');
      // PostgREST answers 200 when a merge inserted nothing (every row updated, or an empty payload).
      const status = conflict?.action === 'merge' && row.page_total - updated === 0 ? 200 : 201;
      const headers = { ...contentType(row), 'content-range': `*/${count ? row.page_total : '*'}`, ...preferenceApplied(applied) };
      return respond(row, status, headers, bodyOf(row));
    }

    if (method === 'PATCH' || method === 'DELETE') {
      if (q.limit !== undefined || q.offset !== undefined) {
        throw new ApiError(400, 'PGRST100', `limit/offset on ${method} is not supported by the local server`);
      }
      // pg-safeupdate, which Supabase loads for the API: no unfiltered UPDATE/DELETE.
      if (q.where.length === 0) {
        throw new ApiError(400, '21000', `${method === 'PATCH' ? 'UPDATE' : 'DELETE'} requires a WHERE clause`);
      }
      let statement: Statement;
      if (method === 'PATCH') {
        const raw = req.body.trim() === '' ? '{}' : req.body;
        const body = parseBody(raw);
        if (!isPlainObject(body)) throw new ApiError(400, 'PGRST102', 'Empty or invalid json');
        const columns = columnsFor(t, q.columns ?? Object.keys(body));
        statement = updateStatement(t, { columns, payload: raw, where: q.where, select, shape });
      } else {
        statement = deleteStatement(t, q.where, select, shape);
      }
      const row = await run(req, schema, auth, path, { mode: 'write', statement, check });
      const n = row.page_total;
      const range = method === 'PATCH' ? contentRange(0, n - 1, count ? n : null) : `*/${count ? n : '*'}`;
      const headers = { ...contentType(row), 'content-range': range, ...preferenceApplied(applied) };
      return respond(row, representation ? 200 : 204, headers, bodyOf(row));
    }

    throw new ApiError(405, 'PGRST117', `Unsupported HTTP method: ${method}`);
  }

  async function handleRpc(req: ApiRequest, name: string, q: QueryParams, auth: Auth, path: string, schema: string): Promise<ApiResponse> {
    const method = req.method;
    const prefs = parsePrefer(req.headers['prefer']);
    const singular = parseAccept(req.headers['accept']) === 'singular';
    const fns = cache.functions.get(qualifiedKey(schema, name)) ?? [];

    let keys: string[];
    let body: unknown = {};
    let raw = '{}';
    if (method === 'POST') {
      raw = req.body.trim() === '' ? '{}' : req.body;
      body = parseBody(raw);
      keys = isPlainObject(body) ? Object.keys(body) : [];
    } else {
      keys = [...new Set(q.args.map(([k]) => k))];
    }

    // Plan.hs findProc: all required params present, no unknown keys; the single unnamed json form is the fallback.
    const named = fns.filter(
      (f) =>
        !f.singleUnnamedJson &&
        (isPlainObject(body) || method !== 'POST') &&
        keys.every((k) => f.params.some((p) => p.name === k)) &&
        f.params.every((p) => p.optional || keys.includes(p.name)),
    );
    const fallback = method === 'POST' ? fns.filter((f) => f.singleUnnamedJson) : [];
    const matches = named.length > 0 ? named : fallback;
    if (matches.length > 1) {
      throw new ApiError(
        300,
        'PGRST203',
        `Could not choose the best candidate function between: ${matches.map(describeFn).join(', ')}`,
        null,
        'Try renaming the parameters or the function itself in the database so function overloading can be resolved',
      );
    }
    const fn = matches[0];
    if (!fn) {
      const sorted = [...keys].sort();
      const withParams = sorted.length === 0 ? 'without parameters' : `with parameters ${sorted.join(', ')}`;
      const others = [...cache.functions.values()].flat().filter((f) => f.schema === schema && f.name !== name);
      const near = others.find((f) => f.name.includes(name) || name.includes(f.name));
      throw new ApiError(
        404,
        'PGRST202',
        `Could not find the function ${schema}.${name}${sorted.length === 0 ? ' without parameters' : `(${sorted.join(', ')})`} in the schema cache`,
        `Searched for the function ${schema}.${name} ${withParams} or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.`,
        near ? `Perhaps you meant to call the function ${near.schema}.${near.name}` : null,
      );
    }

    let args: CallArgs;
    if (fn.singleUnnamedJson) args = { kind: 'unnamed', payload: raw, type: fn.params[0]?.type ?? 'json' };
    else if (method === 'POST') args = { kind: 'json', payload: raw, params: fn.params.filter((p) => keys.includes(p.name)) };
    else {
      const values = new Map<string, string>();
      for (const [k, v] of q.args) if (!values.has(k)) values.set(k, v);
      const provided: [FnParam, string][] = [];
      for (const p of fn.params) {
        const v = values.get(p.name);
        if (v !== undefined) provided.push([p, v]);
      }
      args = { kind: 'text', values: provided };
    }

    let shape: BodyShape;
    if (fn.returns === 'void') shape = 'none';
    else if (fn.returns === 'scalar') shape = fn.setof && !singular ? 'scalar-array' : 'scalar';
    else shape = fn.setof && !singular ? 'array' : 'object';
    const count = prefs.count !== undefined;
    const offset = q.offset ?? 0;
    const statement = callStatement(fn, args, { ...q, limit: fn.setof ? clampLimit(q.limit) : q.limit }, count, shape);
    // PostgREST: GET/HEAD always READ ONLY; POST is READ WRITE only for VOLATILE functions.
    const mode: TxMode = method === 'POST' && fn.volatile ? 'write' : 'read';
    const row = await run(req, schema, auth, path, {
      mode,
      statement,
      check: (r) => {
        rangeCheck(offset, r);
        if (singular && fn.returns !== 'void') singularCheck(r);
      },
    });
    if (fn.returns === 'void') return respond(row, 204, {}, '');
    return readResponse(req, row, offset, singular && fn.returns === 'composite', prefs);
  }

  async function handle(req: ApiRequest, state: { auth?: Auth }): Promise<ApiResponse> {
    const path = req.url.pathname.slice('/rest/v1'.length) || '/';
    let segments: string[];
    try {
      segments = path.split('/').filter((s) => s !== '').map(decodeURIComponent);
    } catch {
      throw new ApiError(404, 'PGRST125', 'Invalid path specified in request URL');
    }
    const auth = await authenticate(req, config.jwtSecret);
    state.auth = auth;
    requestRate.take(admissionKey(auth.claims, auth.role, req.ip));

    const writes = !['GET', 'HEAD'].includes(req.method);
    const profile = req.headers[writes ? 'content-profile' : 'accept-profile'];
    const schema = profile ?? config.schemas[0] ?? 'public';
    if (!config.schemas.includes(schema)) {
      throw new ApiError(406, 'PGRST106', `Invalid schema: ${schema}`, null, `Only the following schemas are exposed: ${config.schemas.join(', ')}`);
    }

    const [first, second, ...rest] = segments;
    if (first === undefined) throw new ApiError(404, 'PGRST126', 'Root endpoint metadata is disabled');
    if (first === 'rpc' && second !== undefined && rest.length === 0) {
      if (!['GET', 'HEAD', 'POST'].includes(req.method)) {
        throw new ApiError(405, 'PGRST101', `Cannot use the ${req.method} method on RPC`);
      }
      const q = parseQuery(req.url.searchParams, req.method !== 'POST');
      return handleRpc(req, second, q, auth, path, schema);
    }
    if (second !== undefined) throw new ApiError(404, 'PGRST125', 'Invalid path specified in request URL');
    const t = cache.tables.get(qualifiedKey(schema, first));
    if (!t) throw new ApiError(404, 'PGRST205', `Could not find the table '${schema}.${first}' in the schema cache`);
    return handleTable(req, t, parseQuery(req.url.searchParams, false), auth, path, schema);
  }

  return {
    async handle(req) {
      // The role that ran the statement decides 42501 → 401 (anon) or 403.
      const state: { auth?: Auth } = {};
      try {
        return await handle(req, state);
      } catch (e) {
        if (e instanceof ApiError) return e.toResponse();
        const pg = asPgError(e);
        if (pg) return pgErrorResponse(pg, state.auth !== undefined && state.auth.role !== ANON_ROLE);
        throw e;
      }
    },
    async reload() {
      cache = await load();
    },
  };
}
