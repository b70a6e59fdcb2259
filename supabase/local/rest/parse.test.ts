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
