/**
 * PostgREST's request grammar, the subset this server implements (ApiRequest/QueryParams.hs,
 * ApiRequest/Preferences.hs): `select`, filters (`col=[not.]op.value`), `or`/`and` trees, `order`,
 * `limit`/`offset`, `columns`, `on_conflict`, and the `Prefer` header. Everything here is pure: it turns
 * strings into a tree or throws an ApiError (PGRST100) that names the parameter the user got wrong.
 *
 * It also enforces the limits below, which PostgREST does not have: each refuses, with a 400 that says
 * what was refused, a shape that would otherwise overflow a stack (ours while parsing or building SQL,
 * Postgres' while planning — on PGlite that damages the engine: `bad buffer ID: 0`, then no statement
 * works), or burn the single PGlite session for minutes (a regex with backreferences). No parser here
 * recurses deeper than MAX_LOGIC_DEPTH. See docs/decisions/015-request-limits.md.
 */
import { ApiError, badParam } from './errors.ts';

/** Characters of the whole query string, decoded (Node's own header limit is 16 KiB; this holds if that is raised). */
export const MAX_QUERY_LENGTH = 16_384;
/** Nesting of `or=(…and(…))` trees; PGlite's planner copes with ~1,000, people write 2 or 3. */
export const MAX_LOGIC_DEPTH = 32;
/** `->`/`->>` steps in one field; PGlite silently returns nothing past ~250 and is damaged past ~500. */
export const MAX_JSON_PATH_STEPS = 32;
/** Items in one `select`, `order`, `columns` or `on_conflict` list, and conditions in the whole query. */
export const MAX_LIST_ITEMS = 500;
/** `(`, `[`, `{` nesting inside one value (JSON, arrays, ranges, tsquery and regex groups are all parsed recursively by Postgres). */
export const MAX_VALUE_NESTING = 64;
/** Characters of one match/imatch pattern. */
export const MAX_REGEX_LENGTH = 512;
/**
 * Copies that the bounded repetitions (`{m,n}`) of one pattern expand to: nested bounds multiply, and each
 * level is counted (so `(a{10}){10}` costs 110), which errs on the side of refusing.
 */
export const MAX_REGEX_REPETITION = 1_000;

const REGEX_OPS = new Set(['match', 'imatch']);

/** A request shape this server refuses by policy (not a syntax error): PGRST100 with the reason as message. */
function refused(param: string, message: string, details: string): ApiError {
  return new ApiError(400, 'PGRST100', message, `${details} (parameter: ${clip(param)})`);
}

/** Long hostile inputs are not echoed back whole. */
function clip(s: string): string {
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

/** Deepest `(`/`[`/`{` nesting in a value, counted without parsing (quotes ignored: over-counting only refuses sooner). */
function nestingOf(value: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '(' || c === '[' || c === '{') max = Math.max(max, ++depth);
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
  }
  return max;
}

function checkValue(param: string, value: string): void {
  if (nestingOf(value) > MAX_VALUE_NESTING) {
    throw refused(param, `Value refused: brackets nested deeper than ${MAX_VALUE_NESTING} levels`, `A value may nest (, [ and { at most ${MAX_VALUE_NESTING} levels deep`);
  }
}

/**
 * Refuses the regular expressions that can explode in Postgres' engine (Spencer's, as in Tcl): it runs
 * in time polynomial in the input except with backreferences, which make it backtrack (minutes for
 * `^(.*)(.*)(.*)\1\2\3$` over the question bank), and it compiles `{m,n}` by copying the atom, so nested
 * bounds multiply (`(.{1,200}){1,200}` costs 0.4 s of CPU before "too complex"). Unbounded `*`/`+`,
 * nested or not, stay allowed: the engine handles them without backtracking. `\\1` (a literal backslash,
 * then 1) is refused too — telling it apart inside a quantified `{…}` array literal is not worth the risk.
 */
function checkRegex(param: string, pattern: string): void {
  if (pattern.length > MAX_REGEX_LENGTH) {
    throw refused(param, `Regular expression refused: longer than ${MAX_REGEX_LENGTH} characters`, `match and imatch patterns are limited to ${MAX_REGEX_LENGTH} characters`);
  }
  if (/\\+[1-9]/.test(pattern)) {
    throw refused(param, 'Regular expression refused: backreferences (\\1 to \\9) are not allowed', 'Backreferences make the regex engine backtrack, which can take exponential time');
  }
  // Bounded repetitions: a stack of the largest expansion inside each open group.
  const groups: number[] = [1];
  let atom = 1;
  let total = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      atom = 1;
    } else if (c === '[') {
      // A bracket expression is one atom; `]` right after `[` or `[^` is a member, not the end.
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j++;
      i = j;
      atom = 1;
    } else if (c === '(') {
      groups.push(1);
    } else if (c === ')') {
      atom = groups.length > 1 ? (groups.pop() ?? 1) : 1;
    } else if (c === '{') {
      const m = /^\{(\d{1,6})(?:,(\d{0,6}))?\}/.exec(pattern.slice(i));
      if (m) {
        const bound = Math.max(1, Number(m[2] || m[1]));
        atom *= bound;
        total += atom;
        if (total > MAX_REGEX_REPETITION) {
          throw refused(
            param,
            `Regular expression refused: bounded repetitions ({m,n}) expand to more than ${MAX_REGEX_REPETITION} copies`,
            'Nested {m,n} bounds multiply; use * or + instead',
          );
        }
        i += m[0].length - 1;
      }
    } else {
      atom = 1;
    }
    const top = groups.length - 1;
    groups[top] = Math.max(groups[top] ?? 1, atom);
  }
}

export interface JsonStep {
  arrow: '->' | '->>';
  key: string;
}

export interface Field {
  name: string;
  path: JsonStep[];
}

export type SelectItem = { kind: 'star' } | { kind: 'field'; field: Field; alias: string | undefined; cast: string | undefined };

export const BINARY_OPS = {
  eq: '=',
  neq: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
  like: 'like',
  ilike: 'ilike',
  match: '~',
  imatch: '~*',
  isdistinct: 'is distinct from',
  cs: '@>',
  cd: '<@',
  ov: '&&',
  sl: '<<',
  sr: '>>',
  nxr: '&<',
  nxl: '&>',
  adj: '-|-',
} as const;
export type BinaryOp = keyof typeof BINARY_OPS;

const QUANTIFIABLE = new Set(['eq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch']);

export const FTS_FUNCTIONS = {
  fts: 'to_tsquery',
  plfts: 'plainto_tsquery',
  phfts: 'phraseto_tsquery',
  wfts: 'websearch_to_tsquery',
} as const;
export type FtsOp = keyof typeof FTS_FUNCTIONS;

export const IS_VALUES = { null: 'null', not_null: 'not null', true: 'true', false: 'false', unknown: 'unknown' } as const;

export type Operation =
  | { kind: 'binary'; op: BinaryOp; value: string }
  | { kind: 'quantified'; op: BinaryOp; quantifier: 'any' | 'all'; values: string }
  | { kind: 'in'; values: string[] }
  | { kind: 'is'; value: keyof typeof IS_VALUES }
  | { kind: 'fts'; op: FtsOp; config: string | undefined; value: string };

export interface Filter {
  field: Field;
  negate: boolean;
  operation: Operation;
}

export type Condition =
  | { kind: 'filter'; filter: Filter }
  | { kind: 'logic'; op: 'and' | 'or'; negate: boolean; children: Condition[] };

export interface OrderTerm {
  field: Field;
  direction: 'asc' | 'desc' | undefined;
  nulls: 'first' | 'last' | undefined;
}

export interface QueryParams {
  select: SelectItem[];
  /** Root conditions, ANDed together. */
  where: Condition[];
  order: OrderTerm[];
  limit: number | undefined;
  offset: number | undefined;
  columns: string[] | undefined;
  onConflict: string[] | undefined;
  /** RPC GET/HEAD only: parameters that are not filters, in request order. */
  args: [string, string][];
}

/** A cursor over one parameter value; errors report the column like PostgREST's parsec messages do. */
class Cursor {
  pos = 0;
  constructor(
    readonly text: string,
    readonly param: string,
  ) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(n = 1): string {
    return this.text.slice(this.pos, this.pos + n);
  }
  eat(s: string): boolean {
    if (this.text.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }
  expect(s: string): void {
    if (!this.eat(s)) throw this.fail(`expecting "${s}"`);
  }
  fail(expecting: string): ApiError {
    const got = this.done ? 'end of input' : `"${this.peek()}"`;
    return badParam(this.param, clip(this.text), `unexpected ${got} ${expecting} (column ${this.pos + 1})`);
  }

  /** `"quoted \" value"` with backslash escapes (QueryParams.hs pQuotedValue). */
  quoted(): string {
    this.expect('"');
    let out = '';
    while (!this.done) {
      const ch = this.peek();
      this.pos++;
      if (ch === '\\' && !this.done) {
        out += this.peek();
        this.pos++;
      } else if (ch === '"') {
        return out;
      } else {
        out += ch;
      }
    }
    throw this.fail('expecting closing quote');
  }

  /** A quoted identifier or JSON key: control characters (NUL breaks the wire protocol) are refused here. */
  quotedName(): string {
    const start = this.pos;
    const name = this.quoted();
    if ([...name].some((ch) => ch < ' ' || ch === '\u007f')) {
      this.pos = start;
      throw badParam(this.param, clip(this.text), `control characters are not allowed in names (column ${start + 1})`);
    }
    return name;
  }

  /** Unquoted identifier: letters, digits, `_`, `$`, spaces, and `-` when it is not the start of an arrow. */
  ident(what: string): string {
    if (this.peek() === '"') return this.quotedName();
    const start = this.pos;
    while (!this.done) {
      const ch = this.peek();
      if (/[\p{L}\p{N}_$ ]/u.test(ch) || (ch === '-' && this.peek(2) !== '->' && this.pos > start)) this.pos++;
      else break;
    }
    const name = this.text.slice(start, this.pos).trim();
    if (name === '') throw this.fail(`expecting ${what}`);
    return name;
  }

  field(): Field {
    const name = this.ident('field name');
    const path: JsonStep[] = [];
    for (;;) {
      let arrow: JsonStep['arrow'];
      if (this.eat('->>')) arrow = '->>';
      else if (this.eat('->')) arrow = '->';
      else break;
      if (path.length === MAX_JSON_PATH_STEPS) {
        throw refused(this.param, `JSON path refused: more than ${MAX_JSON_PATH_STEPS} -> or ->> steps`, `A field may have at most ${MAX_JSON_PATH_STEPS} JSON steps`);
      }
      let key: string;
      if (this.peek() === '"') key = this.quotedName();
      else {
        const m = /^-?[\p{L}\p{N}_$]+/u.exec(this.text.slice(this.pos));
        if (!m) throw this.fail('expecting json key');
        key = m[0];
        this.pos += key.length;
      }
      path.push({ arrow, key });
    }
    return { name, path };
  }
}

/** Output name of a field: the last JSON key, else the column (PostgREST's naming for `col->a->>b`). */
export function fieldOutputName(f: Field): string {
  return f.path.at(-1)?.key ?? f.name;
}

function tooManyItems(param: string): ApiError {
  return refused(param, `Query refused: more than ${MAX_LIST_ITEMS} items in ${param}`, `A list may have at most ${MAX_LIST_ITEMS} items`);
}

export function parseSelect(raw: string): SelectItem[] {
  if (raw.trim() === '') return [{ kind: 'star' }];
  const c = new Cursor(raw, 'select');
  const items: SelectItem[] = [];
  for (;;) {
    while (c.eat(' '));
    if (items.length === MAX_LIST_ITEMS) throw tooManyItems('select');
    if (c.eat('*')) items.push({ kind: 'star' });
    else {
      if (c.peek(3) === '...') throw new ApiError(400, 'PGRST200', 'Resource embedding (spread) is not supported by the local server', raw);
      let alias: string | undefined;
      let field = c.field();
      if (c.peek(2) !== '::' && c.eat(':')) {
        alias = fieldOutputName(field);
        if (field.path.length > 0) throw c.fail('expecting field after alias');
        field = c.field();
      }
      if (c.peek(2) === '()') throw new ApiError(400, 'PGRST123', 'Use of aggregate functions is not allowed');
      if (c.peek() === '(' || c.peek() === '!') {
        throw new ApiError(
          400,
          'PGRST200',
          `Could not embed '${field.name}': resource embedding is not supported by the local server`,
          'Use a view or an RPC that returns the joined data instead.',
        );
      }
      let cast: string | undefined;
      if (c.eat('::')) {
        const m = /^[A-Za-z0-9_]+/.exec(c.text.slice(c.pos));
        if (!m) throw c.fail('expecting cast type');
        cast = m[0];
        c.pos += cast.length;
      }
      if (c.peek() === '.') throw new ApiError(400, 'PGRST123', 'Use of aggregate functions is not allowed');
      items.push({ kind: 'field', field, alias, cast });
    }
    while (c.eat(' '));
    if (c.done) return items;
    c.expect(',');
  }
}

/** `(a,"b,c",d)` → elements (QueryParams.hs pListVal / pListElement). */
function parseList(c: Cursor): string[] {
  c.expect('(');
  const out: string[] = [];
  if (c.eat(')')) return out;
  for (;;) {
    if (c.peek() === '"') out.push(c.quoted());
    else {
      const start = c.pos;
      while (!c.done && c.peek() !== ',' && c.peek() !== ')') c.pos++;
      out.push(c.text.slice(start, c.pos));
    }
    if (c.eat(')')) return out;
    c.expect(',');
  }
}

/**
 * Parses `[not.]op[(modifier)].value`. `inTree` = inside `or=(…)`, where a value ends at `,` or `)` unless
 * quoted. Returns undefined when the text is not an operation at all (RPC GET then treats it as an argument).
 */
function parseOperation(c: Cursor, inTree: boolean): { negate: boolean; operation: Operation } | undefined {
  const start = c.pos;
  const negate = c.eat('not.');
  const m = /^([a-z]+)(?:\(([A-Za-z0-9_]+)\))?\./.exec(c.text.slice(c.pos));
  const op = m?.[1];
  if (!m || op === undefined) {
    c.pos = start;
    return undefined;
  }
  const modifier = m[2];
  if (!isKeyOf(BINARY_OPS, op) && !isKeyOf(FTS_FUNCTIONS, op) && op !== 'in' && op !== 'is') {
    c.pos = start;
    return undefined;
  }
  c.pos += m[0].length;
  const value = (): string => {
    if (!inTree) {
      const v = c.text.slice(c.pos);
      c.pos = c.text.length;
      return v;
    }
    if (c.peek() === '"') return c.quoted();
    const s = c.pos;
    let depth = 0;
    while (!c.done) {
      const ch = c.peek();
      if (ch === '{' || ch === '[') depth++;
      else if ((ch === '}' || ch === ']') && depth > 0) depth--;
      else if (depth === 0 && (ch === ',' || ch === ')')) break;
      c.pos++;
    }
    return c.text.slice(s, c.pos);
  };

  if (op === 'in') {
    if (modifier !== undefined) throw c.fail('expecting "." after in');
    const values = parseList(c);
    for (const v of values) checkValue(c.param, v);
    return { negate, operation: { kind: 'in', values } };
  }
  if (op === 'is') {
    const v = value().toLowerCase();
    if (!isKeyOf(IS_VALUES, v)) throw c.fail('expecting null, not_null, true, false or unknown');
    return { negate, operation: { kind: 'is', value: v } };
  }
  const checked = (): string => {
    const v = value();
    checkValue(c.param, v);
    if (REGEX_OPS.has(op)) checkRegex(c.param, v);
    return v;
  };
  if (isKeyOf(FTS_FUNCTIONS, op)) {
    return { negate, operation: { kind: 'fts', op, config: modifier, value: checked() } };
  }
  if (!isKeyOf(BINARY_OPS, op)) throw c.fail('expecting operator');
  if (modifier !== undefined) {
    if ((modifier !== 'any' && modifier !== 'all') || !QUANTIFIABLE.has(op)) throw c.fail(`expecting "." after ${op}`);
    return { negate, operation: { kind: 'quantified', op, quantifier: modifier, values: checked() } };
  }
  return { negate, operation: { kind: 'binary', op, value: checked() } };
}

/** One `col=[not.]op.value` parameter. Undefined when the value is not an operation. */
export function parseFilter(key: string, value: string): Filter | undefined {
  const fc = new Cursor(key, 'filter');
  const field = fc.field();
  if (!fc.done) throw fc.fail('expecting "->" or end of field name');
  const c = new Cursor(value, 'filter');
  const parsed = parseOperation(c, false);
  if (!parsed) return undefined;
  return { field, negate: parsed.negate, operation: parsed.operation };
}

/** `(a.eq.1,not.and(b.gt.2,c.is.null))` (QueryParams.hs pLogicTree). */
export function parseLogicTree(key: 'and' | 'or', negate: boolean, value: string): Condition {
  const c = new Cursor(value, key);
  // The recursion is bounded by MAX_LOGIC_DEPTH, checked before each descent.
  const children = (depth: number): Condition[] => {
    c.expect('(');
    const out: Condition[] = [];
    for (;;) {
      const start = c.pos;
      const neg = c.eat('not.');
      const m = /^(and|or)\(/.exec(c.text.slice(c.pos));
      if (m?.[1] === 'and' || m?.[1] === 'or') {
        if (depth === MAX_LOGIC_DEPTH) {
          throw refused(key, `Logic tree refused: and/or nested deeper than ${MAX_LOGIC_DEPTH} levels`, `and/or trees may nest at most ${MAX_LOGIC_DEPTH} levels deep`);
        }
        c.pos += m[1].length;
        out.push({ kind: 'logic', op: m[1], negate: neg, children: children(depth + 1) });
      } else {
        c.pos = start;
        const field = c.field();
        c.expect('.');
        const parsed = parseOperation(c, true);
        if (!parsed) throw c.fail('expecting operator (eq, gt, in, is, …)');
        out.push({ kind: 'filter', filter: { field, negate: parsed.negate, operation: parsed.operation } });
      }
      if (c.eat(')')) return out;
      c.expect(',');
    }
  };
  const tree: Condition = { kind: 'logic', op: key, negate, children: children(1) };
  if (!c.done) throw c.fail('expecting end of input');
  return tree;
}

export function parseOrder(raw: string): OrderTerm[] {
  const c = new Cursor(raw, 'order');
  const out: OrderTerm[] = [];
  for (;;) {
    if (out.length === MAX_LIST_ITEMS) throw tooManyItems('order');
    const field = c.field();
    let direction: OrderTerm['direction'];
    let nulls: OrderTerm['nulls'];
    while (c.eat('.')) {
      if (c.eat('asc')) direction = 'asc';
      else if (c.eat('desc')) direction = 'desc';
      else if (c.eat('nullsfirst')) nulls = 'first';
      else if (c.eat('nullslast')) nulls = 'last';
      else throw c.fail('expecting asc, desc, nullsfirst or nullslast');
    }
    out.push({ field, direction, nulls });
    if (c.done) return out;
    c.expect(',');
  }
}

/** `columns="a","b"` / `on_conflict=a,b`. */
export function parseColumnList(param: string, raw: string): string[] {
  const c = new Cursor(raw, param);
  const out: string[] = [];
  for (;;) {
    while (c.eat(' '));
    if (out.length === MAX_LIST_ITEMS) throw tooManyItems(param);
    out.push(c.ident('column name'));
    if (c.done) return out;
    c.expect(',');
  }
}

function parseNonNegativeInt(param: string, raw: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw badParam(param, raw, 'expecting a non-negative integer');
  return Number(raw);
}

/** Conditions and and/or nodes in a where list (recursion bounded by MAX_LOGIC_DEPTH). */
function countConditions(where: Condition[]): number {
  return where.reduce((n, c) => n + 1 + (c.kind === 'logic' ? countConditions(c.children) : 0), 0);
}

/**
 * Splits the query string into PostgREST's reserved parameters and filters. `rpcRead` = GET/HEAD on
 * /rpc/fn, where parameters that do not parse as filters are function arguments.
 */
export function parseQuery(params: URLSearchParams, rpcRead: boolean): QueryParams {
  const q: QueryParams = {
    select: [{ kind: 'star' }],
    where: [],
    order: [],
    limit: undefined,
    offset: undefined,
    columns: undefined,
    onConflict: undefined,
    args: [],
  };
  let length = 0;
  for (const [key, value] of params) {
    length += key.length + value.length + 2;
    if (length > MAX_QUERY_LENGTH) {
      throw refused('query string', `Query refused: longer than ${MAX_QUERY_LENGTH} characters`, `The query string may have at most ${MAX_QUERY_LENGTH} characters`);
    }
    // NUL can reach neither an identifier nor a bound text value in Postgres; refused before any parsing.
    if (key.includes('\u0000') || value.includes('\u0000')) {
      throw refused(key, 'Query refused: NUL characters (%00) are not allowed', 'Postgres text cannot contain NUL');
    }
  }
  for (const [key, value] of params) {
    switch (key) {
      case 'select':
        q.select = parseSelect(value);
        continue;
      case 'order':
        if (value !== '') q.order.push(...parseOrder(value));
        continue;
      case 'limit':
        q.limit = parseNonNegativeInt('limit', value);
        continue;
      case 'offset':
        q.offset = parseNonNegativeInt('offset', value);
        continue;
      case 'columns':
        q.columns = parseColumnList('columns', value);
        continue;
      case 'on_conflict':
        q.onConflict = parseColumnList('on_conflict', value);
        continue;
      case 'or':
      case 'and':
        q.where.push(parseLogicTree(key, false, value));
        continue;
      case 'not.or':
      case 'not.and':
        q.where.push(parseLogicTree(key === 'not.or' ? 'or' : 'and', true, value));
        continue;
    }
    if (/\.(order|limit|offset|and|or|select)$/.test(key)) {
      throw new ApiError(400, 'PGRST108', `'${key}' refers to an embedded resource, which the local server does not support`);
    }
    if (value === '' && !rpcRead) continue;
    const filter = parseFilter(key, value);
    if (filter) q.where.push({ kind: 'filter', filter });
    else if (rpcRead) {
      checkValue(key, value);
      q.args.push([key, value]);
    } else throw badParam('filter', clip(`${key}=${value}`), 'expecting [not.]operator.value, e.g. eq.1 (operators: eq, neq, gt, gte, lt, lte, like, ilike, match, imatch, in, is, isdistinct, cs, cd, ov, fts, …)');
  }
  if (countConditions(q.where) > MAX_LIST_ITEMS) {
    throw refused('filters', `Query refused: more than ${MAX_LIST_ITEMS} filter conditions`, `A query may have at most ${MAX_LIST_ITEMS} conditions, and/or trees included`);
  }
  return q;
}

export interface Preferences {
  return: 'minimal' | 'representation' | 'headers-only' | undefined;
  count: 'exact' | 'planned' | 'estimated' | undefined;
  resolution: 'merge-duplicates' | 'ignore-duplicates' | undefined;
  missing: 'default' | 'null' | undefined;
}

const PREFER_VALUES = {
  return: ['minimal', 'representation', 'headers-only'],
  count: ['exact', 'planned', 'estimated'],
  resolution: ['merge-duplicates', 'ignore-duplicates'],
  missing: ['default', 'null'],
} as const;

/** Own-key check that narrows (plain `in` would also accept inherited names such as `constructor`). */
function isKeyOf<T extends object>(o: T, k: string): k is Extract<keyof T, string> {
  return Object.hasOwn(o, k);
}

function isOneOf<T extends string>(list: readonly T[], v: string): v is T {
  return list.some((x) => x === v);
}

/** Comma-separated `key=value` items; the first occurrence of a key wins; unknown items are ignored (handling=lenient). */
export function parsePrefer(header: string | undefined): Preferences {
  const p: Preferences = { return: undefined, count: undefined, resolution: undefined, missing: undefined };
  for (const item of (header ?? '').split(',')) {
    const [k = '', v = ''] = item.trim().split('=', 2).map((s) => s.trim());
    if (k === 'return' && p.return === undefined && isOneOf(PREFER_VALUES.return, v)) p.return = v;
    else if (k === 'count' && p.count === undefined && isOneOf(PREFER_VALUES.count, v)) p.count = v;
    else if (k === 'resolution' && p.resolution === undefined && isOneOf(PREFER_VALUES.resolution, v)) p.resolution = v;
    else if (k === 'missing' && p.missing === undefined && isOneOf(PREFER_VALUES.missing, v)) p.missing = v;
  }
  return p;
}

/** `Accept` → json array, singular object, or 406 PGRST107 (ContentType negotiation in ApiRequest.hs). */
export function parseAccept(header: string | undefined): 'array' | 'singular' {
  if (header === undefined || header.trim() === '') return 'array';
  const types = header.split(',').map((t) => (t.split(';')[0] ?? '').trim().toLowerCase());
  for (const t of types) {
    if (t === 'application/vnd.pgrst.object+json' || t === 'application/vnd.pgrst.object') return 'singular';
    if (t === 'application/json' || t === '*/*' || t === 'application/*' || t === '') return 'array';
  }
  throw new ApiError(406, 'PGRST107', `None of these media types are available: ${types.join(', ')}`);
}
