import { expect, test } from 'vitest';
import { ApiError } from './errors.ts';
import { parseAccept, parseFilter, parseLogicTree, parseOrder, parsePrefer, parseQuery, parseSelect } from './parse.ts';
import { arrayLiteral, readStatement } from './sql.ts';
import type { Table } from './schema-cache.ts';

function thrown(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

test('select: columns, aliases, casts and json paths', () => {
  expect(parseSelect('id,title:text,score::text,n:score::int,meta->a->>b,*')).toEqual([
    { kind: 'field', field: { name: 'id', path: [] }, alias: undefined, cast: undefined },
    { kind: 'field', field: { name: 'text', path: [] }, alias: 'title', cast: undefined },
    { kind: 'field', field: { name: 'score', path: [] }, alias: undefined, cast: 'text' },
    { kind: 'field', field: { name: 'score', path: [] }, alias: 'n', cast: 'int' },
    { kind: 'field', field: { name: 'meta', path: [{ arrow: '->', key: 'a' }, { arrow: '->>', key: 'b' }] }, alias: undefined, cast: undefined },
    { kind: 'star' },
  ]);
  expect(parseSelect('"my col",my-col')).toEqual([
    { kind: 'field', field: { name: 'my col', path: [] }, alias: undefined, cast: undefined },
    { kind: 'field', field: { name: 'my-col', path: [] }, alias: undefined, cast: undefined },
  ]);
});

test('select: malformed lists and embeds are 400s that name the problem', () => {
  expect(thrown(() => parseSelect('id,,name')).code).toBe('PGRST100');
  expect(thrown(() => parseSelect('id,name::text;drop')).code).toBe('PGRST100');
  expect(thrown(() => parseSelect('id,author(name)')).code).toBe('PGRST200');
  expect(thrown(() => parseSelect('id,author(name)')).status).toBe(400);
  expect(thrown(() => parseSelect('count()')).code).toBe('PGRST123');
});

test('filters: operators, not., in lists with quoted elements, is', () => {
  expect(parseFilter('quiz_id', 'eq.q 1')).toEqual({ field: { name: 'quiz_id', path: [] }, negate: false, operation: { kind: 'binary', op: 'eq', value: 'q 1' } });
  expect(parseFilter('a', 'neq.x,y')?.operation).toEqual({ kind: 'binary', op: 'neq', value: 'x,y' });
  expect(parseFilter('tag', 'in.(a,"b,c",d"e)')?.operation).toEqual({ kind: 'in', values: ['a', 'b,c', 'd"e'] });
  expect(parseFilter('tag', 'in.()')?.operation).toEqual({ kind: 'in', values: [] });
  expect(parseFilter('d', 'not.is.NULL')).toEqual({ field: { name: 'd', path: [] }, negate: true, operation: { kind: 'is', value: 'null' } });
  expect(parseFilter('t', 'like(any).{a*,b*}')?.operation).toEqual({ kind: 'quantified', op: 'like', quantifier: 'any', values: '{a*,b*}' });
  expect(parseFilter('t', 'fts(english).cat')?.operation).toEqual({ kind: 'fts', op: 'fts', config: 'english', value: 'cat' });
  // Not an operation at all (an RPC GET argument), and inherited property names are not operators.
  expect(parseFilter('p', '5')).toBeUndefined();
  expect(parseFilter('p', 'constructor.x')).toBeUndefined();
  expect(thrown(() => parseFilter('d', 'is.maybe')).code).toBe('PGRST100');
});

test('logic trees: nested and/or with not and quoted values', () => {
  expect(parseLogicTree('or', false, '(id.eq.1,not.and(tag.eq."a,b",score.gt.2),tag.in.(x,y))')).toEqual({
    kind: 'logic',
    op: 'or',
    negate: false,
    children: [
      { kind: 'filter', filter: { field: { name: 'id', path: [] }, negate: false, operation: { kind: 'binary', op: 'eq', value: '1' } } },
      {
        kind: 'logic',
        op: 'and',
        negate: true,
        children: [
          { kind: 'filter', filter: { field: { name: 'tag', path: [] }, negate: false, operation: { kind: 'binary', op: 'eq', value: 'a,b' } } },
          { kind: 'filter', filter: { field: { name: 'score', path: [] }, negate: false, operation: { kind: 'binary', op: 'gt', value: '2' } } },
        ],
      },
      { kind: 'filter', filter: { field: { name: 'tag', path: [] }, negate: false, operation: { kind: 'in', values: ['x', 'y'] } } },
    ],
  });
  expect(thrown(() => parseLogicTree('or', false, '(id.eq.1')).code).toBe('PGRST100');
  expect(thrown(() => parseLogicTree('or', false, '(id.1)')).code).toBe('PGRST100');
});

test('order: directions and nulls placement', () => {
  expect(parseOrder('n.desc,m.asc.nullsfirst,o')).toEqual([
    { field: { name: 'n', path: [] }, direction: 'desc', nulls: undefined },
    { field: { name: 'm', path: [] }, direction: 'asc', nulls: 'first' },
    { field: { name: 'o', path: [] }, direction: undefined, nulls: undefined },
  ]);
  expect(thrown(() => parseOrder('n.sideways')).code).toBe('PGRST100');
});

test('query string: reserved params, filters, RPC arguments, bad limit', () => {
  const q = parseQuery(new URLSearchParams('select=id&id=gt.1&order=id.desc&limit=5&offset=10&columns="a","b"&on_conflict=a'), false);
  expect(q.limit).toBe(5);
  expect(q.offset).toBe(10);
  expect(q.columns).toEqual(['a', 'b']);
  expect(q.onConflict).toEqual(['a']);
  expect(q.where).toHaveLength(1);
  const rpc = parseQuery(new URLSearchParams('p_quiz=5&p_tags={a,b}&score=gt.3'), true);
  expect(rpc.args).toEqual([
    ['p_quiz', '5'],
    ['p_tags', '{a,b}'],
  ]);
  expect(rpc.where).toHaveLength(1);
  expect(thrown(() => parseQuery(new URLSearchParams('limit=-1'), false)).code).toBe('PGRST100');
  expect(thrown(() => parseQuery(new URLSearchParams('id=1'), false)).status).toBe(400);
});

test('Prefer: comma-separated, first occurrence wins, unknown ignored', () => {
  expect(parsePrefer('resolution=merge-duplicates, count=exact, return=representation, return=minimal, foo=bar')).toEqual({
    resolution: 'merge-duplicates',
    count: 'exact',
    return: 'representation',
    missing: undefined,
  });
  expect(parsePrefer(undefined).return).toBeUndefined();
});

test('Accept: singular object, json, and unsupported media types', () => {
  expect(parseAccept('application/vnd.pgrst.object+json')).toBe('singular');
  expect(parseAccept('*/*')).toBe('array');
  expect(parseAccept(undefined)).toBe('array');
  expect(thrown(() => parseAccept('text/csv')).status).toBe(406);
});

test('SQL: array literals escape quotes and backslashes; user values only travel as parameters', () => {
  expect(arrayLiteral(['a', 'b,c', 'd"e', 'f\\g'])).toBe('{"a","b,c","d\\"e","f\\\\g"}');
  const table: Table = { schema: 'public', name: 't', columns: new Map(), pk: [] };
  const evil = "x'); drop table t; --";
  const q = parseQuery(new URLSearchParams({ name: `eq.${evil}`, select: 'id' }), false);
  const st = readStatement(table, { ...q, limit: 10 }, true, 'array');
  expect(st.sql).not.toContain(evil);
  expect(st.params).toEqual([evil]);
  expect(st.sql).toContain('"public"."t"."name" = $1');
  expect(st.sql).toContain('LIMIT 10');
});

// Limits (issue #14): each boundary is served at the limit and refused one past it, with PGRST100.

test('limits: and/or trees nest at most 32 levels; the parser does not recurse past that', () => {
  const tree = (depth: number) => `(${'or('.repeat(depth - 1)}id.eq.1${')'.repeat(depth - 1)})`;
  expect(parseLogicTree('or', false, tree(32)).kind).toBe('logic');
  const e = thrown(() => parseLogicTree('or', false, tree(33)));
  expect(e.code).toBe('PGRST100');
  expect(e.message).toBe('Logic tree refused: and/or nested deeper than 32 levels');
  expect(thrown(() => parseLogicTree('and', false, tree(100_000))).code).toBe('PGRST100');
});

test('limits: at most 32 JSON steps per field, in select, filters and order', () => {
  const field = (n: number) => `meta${'->a'.repeat(n - 1)}->>b`;
  expect(parseSelect(field(32))).toHaveLength(1);
  expect(thrown(() => parseSelect(field(33))).message).toBe('JSON path refused: more than 32 -> or ->> steps');
  expect(thrown(() => parseFilter(field(33), 'eq.1')).code).toBe('PGRST100');
  expect(thrown(() => parseOrder(field(33))).code).toBe('PGRST100');
});

test('limits: lists of 500 items, 500 conditions, 16 KiB of query string', () => {
  const list = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`).join(',');
  expect(parseSelect(list(500))).toHaveLength(500);
  expect(thrown(() => parseSelect(list(501))).message).toBe('Query refused: more than 500 items in select');
  expect(thrown(() => parseOrder(list(501))).code).toBe('PGRST100');
  const conditions = (n: number) => `(${Array.from({ length: n }, () => 'a.eq.1').join(',')})`;
  // The or node itself counts: 499 leaves + 1.
  expect(parseQuery(new URLSearchParams({ or: conditions(499) }), false).where).toHaveLength(1);
  expect(thrown(() => parseQuery(new URLSearchParams({ or: conditions(500) }), false)).message).toBe('Query refused: more than 500 filter conditions');
  expect(thrown(() => parseQuery(new URLSearchParams({ a: `eq.${'x'.repeat(16_384)}` }), false)).message).toBe(
    'Query refused: longer than 16384 characters',
  );
});

test('limits: NUL anywhere in the query, and control characters in quoted names, are refused', () => {
  expect(thrown(() => parseQuery(new URLSearchParams({ select: '"a\u0000b"' }), false)).message).toBe('Query refused: NUL characters (%00) are not allowed');
  expect(thrown(() => parseQuery(new URLSearchParams({ a: 'eq.x\u0000' }), false)).code).toBe('PGRST100');
  expect(thrown(() => parseQuery(new URLSearchParams({ 'a\u0000': 'eq.1' }), false)).code).toBe('PGRST100');
  expect(thrown(() => parseQuery(new URLSearchParams({ p: 'x\u0000' }), true)).code).toBe('PGRST100');
  for (const s of ['"a\u0001"', 'x:"a\u001f"', 'meta->"k\u007f"', '"tab\there"']) {
    expect(thrown(() => parseSelect(s)).details).toMatch(/^control characters are not allowed in names/);
  }
  // Tabs and newlines in values are ordinary text.
  expect(parseFilter('stem', 'eq.line one\nline\ttwo')?.operation).toEqual({ kind: 'binary', op: 'eq', value: 'line one\nline\ttwo' });
});

test('limits: values nest (, [ and { at most 64 levels', () => {
  const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);
  expect(parseFilter('meta', `eq.${nested(64)}`)).toBeDefined();
  expect(thrown(() => parseFilter('meta', `eq.${nested(65)}`)).message).toBe('Value refused: brackets nested deeper than 64 levels');
  expect(thrown(() => parseFilter('tags', `in.(${'('.repeat(65)})`)).code).toBe('PGRST100');
  expect(thrown(() => parseFilter('doc', `fts.${'('.repeat(65)}a`)).code).toBe('PGRST100');
  expect(thrown(() => parseQuery(new URLSearchParams({ p_json: nested(65) }), true)).code).toBe('PGRST100');
});

test('regex filters: backreferences, length and bounded-repetition expansion are refused; the rest is served', () => {
  const refused = (value: string) => thrown(() => parseFilter('stem', value)).message;
  expect(refused('match.^(.*)(.*)(.*)\\1\\2\\3$')).toBe('Regular expression refused: backreferences (\\1 to \\9) are not allowed');
  expect(refused('imatch.(a)\\9')).toMatch(/backreferences/);
  expect(refused('not.match.(a)\\1')).toMatch(/backreferences/);
  expect(refused('match(any).{"(a)\\\\1",b}')).toMatch(/backreferences/);
  expect(refused(`match.${'a'.repeat(513)}`)).toBe('Regular expression refused: longer than 512 characters');
  expect(refused('match.(.{1,200}){1,200}')).toBe('Regular expression refused: bounded repetitions ({m,n}) expand to more than 1000 copies');
  expect(refused('match.((a{10}){10}){11}')).toMatch(/bounded repetitions/);
  expect(refused('match.a{999}b{2}')).toMatch(/bounded repetitions/);
  expect(refused('imatch.(a{5,}){201}')).toMatch(/bounded repetitions/);
  for (const ok of ['match.\\d+\\.\\d', 'match.(a+)+$', 'imatch.((a{5}){5}){5}', 'match.[{]{3}', 'match.x{1000', 'match.\\\\', `match.${'a'.repeat(512)}`]) {
    expect(parseFilter('stem', ok)?.operation.kind, ok).toBe('binary');
  }
  // like and eq are not regexes: no such rules.
  expect(parseFilter('stem', 'like.*\\1*')?.operation.kind).toBe('binary');
});
