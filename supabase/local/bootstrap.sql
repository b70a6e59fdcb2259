-- Bootstrap: what hosted Supabase provides before any project migration runs.
-- Executed by the local server as a superuser on a fresh database (PGlite or Postgres).
-- Never part of supabase/migrations: on hosted Supabase all of this already exists.
-- Sources: supabase/postgres init-scripts 00000000000000-initial-schema.sql and
-- 00000000000001-auth-schema.sql, supabase/auth migrations (see docs/local-server.md#database-baseline).

do $$
begin
  if not exists (select from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
  -- PostgREST's login role: may switch to the three API roles and nothing else.
  if not exists (select from pg_roles where rolname = 'authenticator') then
    create role authenticator login noinherit;
  end if;
  -- Stands in for hosted Supabase's `postgres`: not a superuser, bypasses RLS, owns what migrations create.
  if not exists (select from pg_roles where rolname = 'rounds_migrator') then
    create role rounds_migrator nologin nosuperuser bypassrls;
  end if;
  -- GoTrue's role on hosted Supabase; owns nothing here, kept so grants in migrations resolve.
  if not exists (select from pg_roles where rolname = 'supabase_auth_admin') then
    create role supabase_auth_admin nologin noinherit;
  end if;
end
$$;

grant anon, authenticated, service_role to authenticator;
-- Hosted `postgres` can grant the API roles and act as them (e.g. in tests and seed scripts).
grant anon, authenticated, service_role to rounds_migrator;

alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';

-- Schema privileges. PG15 no longer lets PUBLIC create in `public`.
grant usage on schema public to anon, authenticated, service_role;
grant all on schema public to rounds_migrator;
do $$ begin execute format('grant create on database %I to rounds_migrator', current_database()); end $$;

create schema if not exists extensions;
grant usage on schema extensions to anon, authenticated, service_role, rounds_migrator;
create extension if not exists pgcrypto with schema extensions;

-- Supabase's `graphql_public` schema is exposed by default config; keep it present and empty.
create schema if not exists graphql_public;
grant usage on schema graphql_public to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------
-- auth schema (subset of GoTrue's tables; columns as in supabase/auth migrations)
-- ---------------------------------------------------------------------------------------------
create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role, rounds_migrator;

create table if not exists auth.users (
  instance_id uuid,
  id uuid primary key,
  aud varchar(255),
  role varchar(255),
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  invited_at timestamptz,
  confirmation_token varchar(255),
  confirmation_sent_at timestamptz,
  recovery_token varchar(255),
  recovery_sent_at timestamptz,
  email_change_token_new varchar(255),
  email_change varchar(255),
  email_change_sent_at timestamptz,
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  is_super_admin bool,
  created_at timestamptz,
  updated_at timestamptz,
  phone text unique default null,
  phone_confirmed_at timestamptz,
  phone_change text default '',
  phone_change_token varchar(255) default '',
  phone_change_sent_at timestamptz,
  confirmed_at timestamptz generated always as (least(email_confirmed_at, phone_confirmed_at)) stored,
  email_change_token_current varchar(255) default '',
  email_change_confirm_status smallint default 0,
  banned_until timestamptz,
  reauthentication_token varchar(255) default '',
  reauthentication_sent_at timestamptz,
  is_sso_user boolean not null default false,
  deleted_at timestamptz,
  is_anonymous boolean not null default false
);
create unique index if not exists users_email_partial_key on auth.users (email) where (is_sso_user = false);
-- Sign-in looks emails up case-insensitively (GoTrue has users_instance_id_email_idx for the same reason).
create index if not exists users_email_lower_idx on auth.users (lower(email::text));
alter table auth.users enable row level security;

create table if not exists auth.identities (
  id uuid primary key default gen_random_uuid(),
  provider_id text not null,
  user_id uuid not null references auth.users (id) on delete cascade,
  identity_data jsonb not null,
  provider text not null,
  last_sign_in_at timestamptz,
  created_at timestamptz,
  updated_at timestamptz,
  email text generated always as (lower(identity_data ->> 'email')) stored,
  unique (provider_id, provider)
);
create index if not exists identities_user_id_idx on auth.identities (user_id);
alter table auth.identities enable row level security;

create table if not exists auth.sessions (
  id uuid primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz,
  updated_at timestamptz,
  aal text default 'aal1',
  not_after timestamptz
);
create index if not exists sessions_user_id_idx on auth.sessions (user_id);
alter table auth.sessions enable row level security;

create table if not exists auth.refresh_tokens (
  id bigserial primary key,
  token varchar(255) unique,
  user_id varchar(255),
  revoked boolean,
  created_at timestamptz,
  updated_at timestamptz,
  parent varchar(255),
  session_id uuid references auth.sessions (id) on delete cascade
);
create index if not exists refresh_tokens_session_id_revoked_idx on auth.refresh_tokens (session_id, revoked);
create index if not exists refresh_tokens_parent_idx on auth.refresh_tokens (parent);
alter table auth.refresh_tokens enable row level security;

-- Hosted Supabase lets `postgres` reference auth.users, hang triggers on it and read it.
grant select, references, trigger on auth.users to rounds_migrator;

create or replace function auth.uid() returns uuid language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),
                  (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'))::uuid $$;
create or replace function auth.role() returns text language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim.role', true), ''),
                  (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'))::text $$;
create or replace function auth.email() returns text language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim.email', true), ''),
                  (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email'))::text $$;
create or replace function auth.jwt() returns jsonb language sql stable as $$
  select coalesce(nullif(current_setting('request.jwt.claim', true), ''),
                  nullif(current_setting('request.jwt.claims', true), ''))::jsonb $$;
grant execute on function auth.uid(), auth.role(), auth.email(), auth.jwt()
  to anon, authenticated, service_role, rounds_migrator;

-- Migration bookkeeping, as the Supabase CLI keeps it.
create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.schema_migrations (
  version text primary key,
  statements text[],
  name text
);
create table if not exists supabase_migrations.seed_files (
  path text primary key,
  hash text not null
);

-- Hosted Supabase's login role for PostgREST carries these (the API roles' own settings come on top).
alter role authenticator set statement_timeout = '8s';
alter role authenticator set lock_timeout = '8s';
