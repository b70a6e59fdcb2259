/**
 * Every object a migration creates is revoked from every API role before anything is granted
 * (docs/decisions/018-privileges-in-both-modes.md). Read from the files, so a new migration that forgets
 * fails here, in both modes, before any database is involved.
 */
import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { listMigrations } from '../supabase/local/migrate.ts';

const API_ROLES = 'public, anon, authenticated, service_role';

/** Objects created in `sql`, each with the text after its creation (where the revoke must stand). */
function created(sql: string): { kind: string; name: string; after: string }[] {
  const out: { kind: string; name: string; after: string }[] = [];
  const re = /^create (?:or replace )?(table|view|materialized view|function|sequence) (?:if not exists )?([\w.]+)/gim;
  for (const m of sql.matchAll(re)) {
    out.push({ kind: (m[1] ?? '').toLowerCase(), name: (m[2] ?? '').toLowerCase(), after: sql.slice(m.index).toLowerCase() });
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Objects in `sql` that are granted before, or never, revoked from all four API roles. */
function unrevoked(sql: string): string[] {
  const missing: string[] = [];
  for (const o of created(sql)) {
    const target = o.kind === 'function' ? 'function' : o.kind === 'sequence' ? 'sequence' : 'table';
    // The revoke names the object (functions: possibly in a list, with argument types) and all four roles.
    const revoke = new RegExp(`revoke all on ${target === 'table' ? '(?:table )?' : `${target} `}[^;]*\\b${escapeRe(o.name)}\\b[^;]* from ${escapeRe(API_ROLES)};`);
    const grant = new RegExp(`\\bgrant [^;]* on (?:${target} )?[^;]*\\b${escapeRe(o.name)}\\b`);
    const r = revoke.exec(o.after);
    const g = grant.exec(o.after);
    if (!r || (g && g.index < r.index)) missing.push(`${o.kind} ${o.name}`);
  }
  return missing;
}

test('every table, view, function and sequence a migration creates is revoked from the API roles first', () => {
  const missing = listMigrations().flatMap((m) => unrevoked(readFileSync(m.file, 'utf8')).map((o) => `${m.version}_${m.name}: ${o}`));
  expect(missing).toEqual([]);
});

test('the check catches a migration that forgets, or grants before it revokes', () => {
  expect(unrevoked('create table public.t (id int);\ngrant select on public.t to authenticated;\n')).toEqual(['table public.t']);
  expect(
    unrevoked(
      'create function public.f() returns int language sql as $$ select 1 $$;\n' +
        'grant execute on function public.f() to authenticated;\n' +
        'revoke all on function public.f() from public, anon, authenticated, service_role;\n',
    ),
  ).toEqual(['function public.f']);
  expect(unrevoked('create view public.v as select 1;\nrevoke all on table public.v from public, anon;\n')).toEqual(['view public.v']);
  expect(
    unrevoked('create table public.t (id int);\nrevoke all on table public.t from public, anon, authenticated, service_role;\n'),
  ).toEqual([]);
});
