-- Purpose: cohorts (run by one instructor, joined by code) and their memberships.
-- Affected: public.cohorts, public.cohort_members; helpers private.member_cohort_ids(),
-- private.instructed_cohort_ids(), private.instructed_user_ids().

create function private.generate_join_code()
returns text
language sql
volatile
set search_path = ''
as $$
  -- 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L): 31^8 ≈ 8.5e11 codes.
  select string_agg(substr('ABCDEFGHJKMNPQRSTUVWXYZ23456789', 1 + floor(random() * 31)::int, 1), '')
  from generate_series(1, 8);
$$;
revoke all on function private.generate_join_code() from public, anon, authenticated, service_role;
grant execute on function private.generate_join_code() to authenticated, service_role;

create table public.cohorts (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 120),
  join_code text not null unique default private.generate_join_code()
    check (join_code ~ '^[A-Z0-9]{6,12}$'),
  instructor_id uuid not null references public.profiles (id) on delete cascade default auth.uid(),
  min_answers_to_rank integer not null default 10 check (min_answers_to_rank between 0 and 10000),
  created_at timestamptz not null default now()
);
comment on table public.cohorts is 'A class run by one instructor; students join with join_code. min_answers_to_rank gates the leaderboard.';
create index cohorts_instructor_id_idx on public.cohorts (instructor_id);
alter table public.cohorts enable row level security;
revoke all on table public.cohorts from public, anon, authenticated, service_role;

create table public.cohort_members (
  cohort_id uuid not null references public.cohorts (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  joined_at timestamptz not null default now(),
  primary key (cohort_id, user_id)
);
comment on table public.cohort_members is 'Which students belong to which cohort.';
create index cohort_members_user_id_idx on public.cohort_members (user_id);
alter table public.cohort_members enable row level security;
revoke all on table public.cohort_members from public, anon, authenticated, service_role;

-- Cohorts the caller belongs to. Definer: cohort policies must not query cohort_members under its own RLS.
create function private.member_cohort_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select m.cohort_id from public.cohort_members m where m.user_id = (select auth.uid());
$$;

-- Cohorts the caller instructs.
create function private.instructed_cohort_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select c.id from public.cohorts c where c.instructor_id = (select auth.uid());
$$;

-- Students in cohorts the caller instructs (used by instructor read policies on student data).
create function private.instructed_user_ids()
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select distinct m.user_id
  from public.cohort_members m
  join public.cohorts c on c.id = m.cohort_id
  where c.instructor_id = (select auth.uid());
$$;

revoke all on function private.member_cohort_ids(), private.instructed_cohort_ids(), private.instructed_user_ids() from public, anon, authenticated, service_role;
grant execute on function private.member_cohort_ids(), private.instructed_cohort_ids(), private.instructed_user_ids()
  to authenticated, service_role;

-- profiles: owner, plus the instructors of the owner's cohorts.
create policy "Profiles are readable by their owner and their cohorts' instructors"
  on public.profiles for select to authenticated
  using (id = (select auth.uid()) or id in (select private.instructed_user_ids()));

create policy "Profiles are editable by their owner"
  on public.profiles for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));

create policy "Cohorts are readable by their instructor and their members"
  on public.cohorts for select to authenticated
  using (instructor_id = (select auth.uid()) or id in (select private.member_cohort_ids()));

create policy "Instructors can create cohorts they run"
  on public.cohorts for insert to authenticated
  with check (instructor_id = (select auth.uid()) and (select private.is_instructor()));

create policy "Cohorts are editable by their instructor"
  on public.cohorts for update to authenticated
  using (instructor_id = (select auth.uid()))
  with check (instructor_id = (select auth.uid()));

create policy "Cohorts are deletable by their instructor"
  on public.cohorts for delete to authenticated
  using (instructor_id = (select auth.uid()));

create policy "Memberships are readable by the member and the cohort's instructor"
  on public.cohort_members for select to authenticated
  using (user_id = (select auth.uid()) or cohort_id in (select private.instructed_cohort_ids()));

-- Joining goes through join_cohort() (it checks the code); leaving or removal is a plain delete.
create policy "Memberships are removable by the member and the cohort's instructor"
  on public.cohort_members for delete to authenticated
  using (user_id = (select auth.uid()) or cohort_id in (select private.instructed_cohort_ids()));

grant select on public.profiles to authenticated;
grant update (display_name, leaderboard_alias, leaderboard_opt_out) on public.profiles to authenticated;
grant select, insert, update, delete on public.profiles to service_role;

grant select on public.cohorts to authenticated;
grant insert (name, join_code, min_answers_to_rank, instructor_id) on public.cohorts to authenticated;
grant update (name, join_code, min_answers_to_rank) on public.cohorts to authenticated;
grant delete on public.cohorts to authenticated;
grant select, insert, update, delete on public.cohorts to service_role;

grant select, delete on public.cohort_members to authenticated;
grant select, insert, update, delete on public.cohort_members to service_role;
