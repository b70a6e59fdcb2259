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

-- ---------------------------------------------------------------------------------------------
-- realtime schema (what Supabase Realtime's tenant migrations create in every project database;
-- columns and functions as in supabase/realtime lib/realtime/tenants/repo/migrations, the subset
-- Broadcast authorization and `realtime.send` use). See docs/decisions/024-local-realtime.md.
-- ---------------------------------------------------------------------------------------------
do $$
begin
  -- Realtime's own role on hosted Supabase; owns realtime.messages. `postgres` (here rounds_migrator) is a
  -- member, which is what lets project migrations create policies on realtime.messages.
  if not exists (select from pg_roles where rolname = 'supabase_realtime_admin') then
    create role supabase_realtime_admin nologin noinherit bypassrls;
  end if;
end
$$;
grant supabase_realtime_admin to rounds_migrator;

create schema if not exists realtime;
alter schema realtime owner to supabase_realtime_admin;
grant usage on schema realtime to anon, authenticated, service_role, rounds_migrator;

-- Hosted Realtime partitions this table by day (and drops partitions after a few days); one plain table
-- is enough locally. Rows are what Broadcast authorization probes and `realtime.send` inserts.
create table if not exists realtime.messages (
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp without time zone not null default now(),
  inserted_at timestamp without time zone not null default now(),
  id uuid not null default gen_random_uuid(),
  primary key (id, inserted_at)
);
create index if not exists messages_topic_index on realtime.messages (topic);
alter table realtime.messages owner to supabase_realtime_admin;
alter table realtime.messages enable row level security;
revoke all on realtime.messages from public, anon, authenticated, service_role;
grant select, insert, update on realtime.messages to anon, authenticated, service_role;
grant all on realtime.messages to rounds_migrator;

-- The channel's topic while Realtime evaluates the policies (it sets `realtime.topic` per check).
create or replace function realtime.topic() returns text language sql stable as $$
  select nullif(current_setting('realtime.topic', true), '')::text $$;
alter function realtime.topic() owner to supabase_realtime_admin;

-- Sends a Broadcast message from the database: a row in realtime.messages, delivered after commit to the
-- channels joined to `topic` (private ones: those whose join passed the SELECT policies). As hosted, an
-- insert that fails (e.g. RLS for a caller without an INSERT policy) is only a warning.
create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void language plpgsql as $$
begin
  begin
    perform pg_catalog.set_config('realtime.topic', topic, true);
    insert into realtime.messages (payload, event, topic, private, extension)
    values (payload, event, topic, private, 'broadcast');
  exception
    when others then
      raise warning 'ErrorSendingBroadcastMessage: %', sqlerrm;
  end;
end;
$$;
alter function realtime.send(jsonb, text, text, boolean) owner to supabase_realtime_admin;
revoke all on function realtime.topic(), realtime.send(jsonb, text, text, boolean) from public;
grant execute on function realtime.topic(), realtime.send(jsonb, text, text, boolean)
  to anon, authenticated, service_role, rounds_migrator;

-- Local only (hosted Realtime reads the WAL through logical replication instead): every committed
-- broadcast row is announced on the `realtime_local` channel, which the local server LISTENs to. Small
-- messages travel whole; larger ones (NOTIFY's payload stops at 8000 bytes) by id, read back by the server.
create or replace function realtime.local_notify_broadcast() returns trigger
language plpgsql set search_path = '' as $$
declare
  whole text := pg_catalog.json_build_object('id', new.id, 'topic', new.topic, 'event', new.event,
    'private', new.private, 'payload', new.payload)::text;
begin
  if new.extension <> 'broadcast' or new.event is null then
    return null;
  end if;
  if pg_catalog.octet_length(whole) < 7900 then
    perform pg_catalog.pg_notify('realtime_local', whole);
  else
    perform pg_catalog.pg_notify('realtime_local', pg_catalog.json_build_object('id', new.id)::text);
  end if;
  return null;
end;
$$;
alter function realtime.local_notify_broadcast() owner to supabase_realtime_admin;
revoke all on function realtime.local_notify_broadcast() from public;
drop trigger if exists local_notify_broadcast on realtime.messages;
create trigger local_notify_broadcast after insert on realtime.messages
  for each row execute function realtime.local_notify_broadcast();

-- ---------------------------------------------------------------------------------------------
-- storage schema (what Supabase Storage's tenant migrations create in every project database;
-- columns and functions as in supabase/storage migrations/tenant, the subset the Storage API of
-- supabase/local/storage uses). See docs/decisions/025-question-images.md.
-- ---------------------------------------------------------------------------------------------
do $$
begin
  -- Storage's own role on hosted Supabase; owns the storage tables. Hosted `postgres` may create policies on
  -- storage.objects but not alter the table; locally rounds_migrator is a member of the owner, which allows
  -- both, so migrations must only add policies and rows (as decision 024 does for realtime.messages).
  if not exists (select from pg_roles where rolname = 'supabase_storage_admin') then
    create role supabase_storage_admin nologin noinherit bypassrls;
  end if;
end
$$;
grant supabase_storage_admin to rounds_migrator;

create schema if not exists storage;
alter schema storage owner to supabase_storage_admin;
grant usage on schema storage to anon, authenticated, service_role, rounds_migrator;

create table if not exists storage.buckets (
  id text primary key,
  name text not null,
  owner uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  public boolean default false,
  avif_autodetection boolean default false,
  file_size_limit bigint,
  allowed_mime_types text[],
  owner_id text
);
create unique index if not exists bname on storage.buckets using btree (name);
comment on column storage.buckets.owner is 'Field is deprecated, use owner_id instead';

create table if not exists storage.objects (
  id uuid primary key default gen_random_uuid(),
  bucket_id text references storage.buckets (id),
  name text,
  owner uuid,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  last_accessed_at timestamptz default now(),
  metadata jsonb,
  path_tokens text[] generated always as (string_to_array(name, '/')) stored,
  version text,
  owner_id text,
  user_metadata jsonb
);
create unique index if not exists bucketid_objname on storage.objects using btree (bucket_id, name);
create index if not exists name_prefix_search on storage.objects (name text_pattern_ops);
comment on column storage.objects.owner is 'Field is deprecated, use owner_id instead';

alter table storage.buckets owner to supabase_storage_admin;
alter table storage.objects owner to supabase_storage_admin;
alter table storage.buckets enable row level security;
alter table storage.objects enable row level security;
-- As Storage's migrations 0046/0049 grant them: the API roles have every privilege and RLS decides.
revoke all on storage.buckets, storage.objects from public;
grant all on storage.buckets, storage.objects to anon, authenticated, service_role;
grant all on storage.buckets, storage.objects to rounds_migrator with grant option;

-- Path helpers policies use (migrations 0002, 0060, 0061): `q/12/a.webp` → {q,12}, 'a.webp', 'webp'.
create or replace function storage.foldername(name text) returns text[] language plpgsql immutable as $$
declare
  _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[1 : array_length(_parts, 1) - 1];
end
$$;
create or replace function storage.filename(name text) returns text language plpgsql immutable as $$
declare
  _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[array_length(_parts, 1)];
end
$$;
create or replace function storage.extension(name text) returns text language plpgsql immutable as $$
declare
  _parts text[];
  _filename text;
begin
  select string_to_array(name, '/') into _parts;
  select _parts[array_length(_parts, 1)] into _filename;
  return reverse(split_part(reverse(_filename), '.', 1));
end
$$;
-- The Storage API operation of the request (e.g. 'storage.object.upload'), for policies that care (0024).
create or replace function storage.operation() returns text language plpgsql stable as $$
begin
  return current_setting('storage.operation', true);
end;
$$;

create or replace function storage.update_updated_at_column() returns trigger language plpgsql as $$
begin
  new.updated_at = now();
  return new;
end;
$$;
drop trigger if exists update_objects_updated_at on storage.objects;
create trigger update_objects_updated_at before update on storage.objects
  for each row execute function storage.update_updated_at_column();

-- Rows are deleted only through the Storage API, which also deletes the bytes (0055): a plain DELETE would
-- leave files nobody can reach. The API sets storage.allow_delete_query for its own statements.
create or replace function storage.protect_delete() returns trigger language plpgsql as $$
begin
  if coalesce(current_setting('storage.allow_delete_query', true), 'false') != 'true' then
    raise exception 'Direct deletion from storage tables is not allowed. Use the Storage API instead.'
      using hint = 'This prevents accidental data loss from orphaned objects.', errcode = '42501';
  end if;
  return null;
end;
$$;
drop trigger if exists protect_buckets_delete on storage.buckets;
create trigger protect_buckets_delete before delete on storage.buckets
  for each statement execute function storage.protect_delete();
drop trigger if exists protect_objects_delete on storage.objects;
create trigger protect_objects_delete before delete on storage.objects
  for each statement execute function storage.protect_delete();

alter function storage.foldername(text) owner to supabase_storage_admin;
alter function storage.filename(text) owner to supabase_storage_admin;
alter function storage.extension(text) owner to supabase_storage_admin;
alter function storage.operation() owner to supabase_storage_admin;
alter function storage.update_updated_at_column() owner to supabase_storage_admin;
alter function storage.protect_delete() owner to supabase_storage_admin;
grant execute on function storage.foldername(text), storage.filename(text), storage.extension(text), storage.operation()
  to anon, authenticated, service_role, rounds_migrator;
