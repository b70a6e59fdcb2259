-- Purpose: instructor tools for running a cohort: rotating the join code and reading the roster.
-- Affected: functions private.require_cohort_instructor(), public.rotate_join_code(),
-- public.get_cohort_roster(). Removing a student needs nothing new: the instructor's RLS delete policy
-- on cohort_members already allows it (and the membership trigger drops the student's rollups).

-- Raises 42501 (HTTP 403) unless the caller runs this cohort. The message does not say whether the
-- cohort exists, so ids cannot be probed. Definer: callers of invoker RPCs may not see the cohort row.
create function private.require_cohort_instructor(p_cohort_id uuid)
returns void
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if (select auth.uid()) is null then
    raise exception 'Sign in as the cohort''s instructor.' using errcode = '42501';
  end if;
  if p_cohort_id is null then
    raise exception 'p_cohort_id is required.' using errcode = '22023';
  end if;
  if not exists (select 1 from public.cohorts c where c.id = p_cohort_id and c.instructor_id = (select auth.uid())) then
    raise exception 'Only the instructor of this cohort can do this.' using errcode = '42501';
  end if;
end;
$$;
revoke all on function private.require_cohort_instructor(uuid) from public, anon, authenticated, service_role;
grant execute on function private.require_cohort_instructor(uuid) to authenticated;

-- rotate_join_code(cohort) → the new join code. The old code stops working at once; members stay.
-- Invoker: the instructor may update join_code under RLS; students match no row and get 42501.
create function public.rotate_join_code(p_cohort_id uuid)
returns text
language plpgsql
volatile
security invoker
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
        where c.id = p_cohort_id
        returning c.join_code into v_code;
      return v_code;
    exception when unique_violation then
      null;
    end;
  end loop;
  raise exception 'Could not find a free join code; try again.' using errcode = 'P0001';
end;
$$;
revoke all on function public.rotate_join_code(uuid) from public, anon, authenticated, service_role;
grant execute on function public.rotate_join_code(uuid) to authenticated;

-- get_cohort_roster(cohort) → one row per member: id, real name, email, when they joined, their answers
-- and correct answers (all time, from the rollup) and when they last answered (client time, never later
-- than the server received it).
-- Definer: e-mail addresses live in auth.users, which no API role may read. Instructor-only (checked first).
create function public.get_cohort_roster(p_cohort_id uuid)
returns table (
  user_id uuid,
  display_name text,
  email text,
  joined_at timestamptz,
  answered integer,
  correct integer,
  last_active_at timestamptz
)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_cohort_instructor(p_cohort_id);
  return query
  select m.user_id, p.display_name, u.email::text, m.joined_at,
         coalesce(l.answered, 0), coalesce(l.correct, 0), last.at
  from public.cohort_members m
  join public.profiles p on p.id = m.user_id
  join auth.users u on u.id = m.user_id
  left join public.leaderboard_all_time l on l.cohort_id = m.cohort_id and l.user_id = m.user_id
  left join lateral (
    select least(a.answered_at, a.received_at) as at
    from public.answers a where a.user_id = m.user_id
    order by a.answered_at desc limit 1
  ) last on true
  where m.cohort_id = p_cohort_id
  order by p.display_name, m.user_id;
end;
$$;
revoke all on function public.get_cohort_roster(uuid) from public, anon, authenticated, service_role;
grant execute on function public.get_cohort_roster(uuid) to authenticated;
