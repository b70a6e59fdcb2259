-- Purpose: the private schema for permission helpers, and `profiles` (one row per auth user).
-- Affected: schema private; table public.profiles; trigger on auth.users.
-- Sign-up always creates a student. Only the service role (admin API `app_metadata.role`, or an UPDATE
-- with the service key) can make an instructor: `role` is not in any grant to `authenticated`.

create schema if not exists private;
comment on schema private is 'Permission helpers and internal tables; not exposed through the Data API.';
revoke all on schema private from public;
-- Policies run as the caller, so the API roles need USAGE to call the helpers (EXECUTE is granted per function).
grant usage on schema private to authenticated, service_role;

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  role text not null default 'student' check (role in ('student', 'instructor')),
  display_name text not null check (length(display_name) between 1 and 80),
  leaderboard_alias text check (leaderboard_alias is null or length(leaderboard_alias) between 2 and 40),
  leaderboard_opt_out boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.profiles is 'One per user: role (student|instructor), real display name, leaderboard alias and opt-out.';
create index profiles_role_idx on public.profiles (role) where role = 'instructor';

alter table public.profiles enable row level security;
revoke all on table public.profiles from public, anon, authenticated, service_role;

-- Creates the profile for a new auth user. Definer: runs inside GoTrue's insert on auth.users, whose role
-- cannot write public.profiles. The role comes only from app_metadata, which only the service role sets.
create function private.handle_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.profiles (id, role, display_name)
  values (
    new.id,
    case when new.raw_app_meta_data ->> 'role' = 'instructor' then 'instructor' else 'student' end,
    left(coalesce(nullif(trim(new.raw_user_meta_data ->> 'display_name'), ''), split_part(new.email, '@', 1), 'Student'), 80)
  );
  return new;
end;
$$;
revoke all on function private.handle_new_user() from public, anon, authenticated, service_role;

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute function private.handle_new_user();

create function private.touch_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
revoke all on function private.touch_updated_at() from public, anon, authenticated, service_role;

create trigger profiles_touch_updated_at
  before update on public.profiles
  for each row execute function private.touch_updated_at();

-- Is the caller an instructor? Definer so policies on other tables can ask without RLS recursion.
create function private.is_instructor()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.profiles p where p.id = (select auth.uid()) and p.role = 'instructor'
  );
$$;
revoke all on function private.is_instructor() from public, anon, authenticated, service_role;
grant execute on function private.is_instructor() to authenticated, service_role;
