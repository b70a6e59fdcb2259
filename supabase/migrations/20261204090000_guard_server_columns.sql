-- Purpose: columns the server sets stay the server's, whatever the grants say.
-- Affected: triggers on public.profiles, public.cohorts, public.questions, public.attempts, public.answers;
-- column grants on public.cohorts (join_code); function public.rotate_join_code(); check on attempts.filters.
--
-- Column grants keep the API roles away from these columns today. A trigger keeps them away even if a
-- future migration, a dashboard click or Supabase's "default privileges for new entities" grants a role the
-- whole table: owner ids, the attempt's questions and mode, creation times, the profile's role and the
-- cohort's join code can then still not be changed through the API. The guard applies to the API roles
-- (`current_user` anon, authenticated or service_role); definer helpers run as the owner and pass.
-- See docs/decisions/018-privileges-in-both-modes.md.

-- guard_immutable_columns(roles, column, …): refuses an UPDATE by one of `roles` (comma-separated, first
-- trigger argument) that changes any of the named columns. 42501 → HTTP 403, as a missing column grant.
create function private.guard_immutable_columns()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_old jsonb;
  v_new jsonb;
begin
  if not (current_user = any (string_to_array(tg_argv[0], ','))) then
    return new;
  end if;
  v_old := to_jsonb(old);
  v_new := to_jsonb(new);
  for i in 1 .. tg_nargs - 1 loop
    if not (v_old ? tg_argv[i]) then
      raise exception 'guard_immutable_columns: % has no column %', tg_table_name, tg_argv[i];
    end if;
    if v_new -> tg_argv[i] is distinct from v_old -> tg_argv[i] then
      raise exception 'permission denied: %.% cannot be changed', tg_table_name, tg_argv[i]
        using errcode = '42501', hint = 'The server sets this column.';
    end if;
  end loop;
  return new;
end;
$$;
revoke all on function private.guard_immutable_columns() from public, anon, authenticated, service_role;

create trigger profiles_guard_immutable
  before update on public.profiles
  for each row execute function private.guard_immutable_columns('anon,authenticated,service_role', 'id', 'created_at');
-- The service role makes instructors (README, "Point the app at a hosted Supabase project"); nobody else.
create trigger profiles_guard_role
  before update on public.profiles
  for each row execute function private.guard_immutable_columns('anon,authenticated', 'role');

create trigger cohorts_guard_immutable
  before update on public.cohorts
  for each row execute function private.guard_immutable_columns(
    'anon,authenticated,service_role', 'id', 'instructor_id', 'join_code', 'created_at');

create trigger questions_guard_immutable
  before update on public.questions
  for each row execute function private.guard_immutable_columns(
    'anon,authenticated,service_role', 'id', 'created_by', 'created_at');

create trigger attempts_guard_immutable
  before update on public.attempts
  for each row execute function private.guard_immutable_columns(
    'anon,authenticated,service_role', 'id', 'user_id', 'mode', 'question_ids', 'time_limit_seconds', 'filters',
    'started_at', 'created_at');

-- An answer, once stored, is never changed through the API (submit_answers inserts; nothing updates).
create trigger answers_guard_immutable
  before update on public.answers
  for each row execute function private.guard_immutable_columns(
    'anon,authenticated,service_role', 'id', 'attempt_id', 'question_id', 'user_id', 'choice', 'is_correct',
    'time_spent_ms', 'answered_at', 'received_at');

-- What the server sets on insert, it sets whatever the request carried.
create function private.set_server_columns_on_insert()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('anon', 'authenticated', 'service_role') then
    new.created_at := now();
    if tg_table_name = 'cohorts' then
      new.join_code := private.generate_join_code();
    end if;
  end if;
  return new;
end;
$$;
revoke all on function private.set_server_columns_on_insert() from public, anon, authenticated, service_role;

create trigger cohorts_server_columns
  before insert on public.cohorts
  for each row execute function private.set_server_columns_on_insert();
create trigger questions_server_columns
  before insert on public.questions
  for each row execute function private.set_server_columns_on_insert();

-- Join codes come from the server only: an instructor who could write join_code could probe whether any
-- code exists (409 vs 204) without a rate limit. rotate_join_code() is the one way to change it.
revoke insert (join_code), update (join_code) on public.cohorts from authenticated;

-- rotate_join_code's one privileged step: write a fresh code for a cohort the caller runs.
-- Definer: the API roles hold no grant on join_code.
create function private.replace_join_code(p_cohort_id uuid)
returns text
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_code text;
begin
  perform private.require_cohort_instructor(p_cohort_id);
  -- 31^8 codes make a collision unlikely, but the column is unique: retry a few times rather than 409.
  for i in 1..5 loop
    begin
      update public.cohorts c set join_code = private.generate_join_code()
        where c.id = p_cohort_id and c.instructor_id = (select auth.uid())
        returning c.join_code into v_code;
      return v_code;
    exception when unique_violation then
      null;
    end;
  end loop;
  raise exception 'Could not find a free join code; try again.' using errcode = 'P0001';
end;
$$;
revoke all on function private.replace_join_code(uuid) from public, anon, authenticated, service_role;
grant execute on function private.replace_join_code(uuid) to authenticated;

-- rotate_join_code(cohort) → the new join code. The old code stops working at once; members stay.
create or replace function public.rotate_join_code(p_cohort_id uuid)
returns text
language sql
volatile
security invoker
set search_path = ''
as $$
  select private.replace_join_code(p_cohort_id);
$$;
revoke all on function public.rotate_join_code(uuid) from public, anon, authenticated, service_role;
grant execute on function public.rotate_join_code(uuid) to authenticated;

-- What a student asked for (systems, disciplines, pool) fits in a few hundred bytes; 4 KiB is ample.
-- Not valid: rows stored before this migration are left as they are; every new or changed row is checked.
alter table public.attempts
  add constraint attempts_filters_size check (octet_length(filters::text) <= 4096) not valid;
