-- Purpose: deep leaderboard pages cost one index range scan of the page, at any depth. The keyset cursor
-- that get_leaderboard() returns with every row now also carries that row's rank ('n'), so the next page
-- ranks its rows from it instead of counting every visible row up to the cursor (a range count that
-- Postgres runs as a parallel sequential scan once the cursor is half-way down a 100,000-row board).
-- Affected: function public.get_leaderboard(uuid, text, jsonb, integer) (same signature and result).
-- Names are now looked up per row of the page by primary key instead of joining profiles.
--
-- The rank in a cursor is the caller's own: a forged 'n' only renumbers the caller's own view of rows it
-- may see anyway (docs/decisions/009). Cursors without 'n' (issued before this migration) still work, by
-- the old count. Pages of a board that changes while it is read are each consistent with the page they
-- follow, as keyset pages are; the client refetches the board from its first page.

create or replace function public.get_leaderboard(
  p_cohort_id uuid,
  p_period text default 'all',
  p_after jsonb default null,
  p_limit integer default 50
)
returns table (
  rank bigint,
  user_id uuid,
  name text,
  is_me boolean,
  answered integer,
  correct integer,
  accuracy numeric,
  cursor jsonb
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_is_instructor boolean;
  v_min integer;
  v_week date := private.iso_week_start(now());
  a_correct integer;
  a_accuracy integer;
  a_reached timestamptz;
  a_user uuid;
  a_rank bigint;
  v_before bigint := 0;
begin
  if v_uid is null then
    raise exception 'Sign in to see leaderboards.' using errcode = '42501';
  end if;
  if p_period is null or p_period not in ('all', 'week') then
    raise exception 'p_period must be ''all'' or ''week''.' using errcode = '22023';
  end if;
  if p_limit is null or p_limit < 1 or p_limit > 200 then
    raise exception 'p_limit must be between 1 and 200.' using errcode = '22023';
  end if;
  select c.min_answers_to_rank, c.instructor_id = v_uid into v_min, v_is_instructor
    from public.cohorts c where c.id = p_cohort_id;
  if v_min is null
     or not (v_is_instructor or exists (select 1 from public.cohort_members m where m.cohort_id = p_cohort_id and m.user_id = v_uid)) then
    raise exception 'You are not a member of this cohort.' using errcode = '42501';
  end if;

  if p_after is not null then
    begin
      a_correct := (p_after ->> 'c')::integer;
      a_accuracy := (p_after ->> 'a')::integer;
      a_reached := (p_after ->> 'r')::timestamptz;
      a_user := (p_after ->> 'u')::uuid;
      a_rank := (p_after ->> 'n')::integer;
    exception when others then
      raise exception 'p_after is not a cursor returned by get_leaderboard.' using errcode = '22023';
    end;
    if a_correct is null or a_accuracy is null or a_reached is null or a_user is null or a_rank < 0 then
      raise exception 'p_after is not a cursor returned by get_leaderboard.' using errcode = '22023';
    end if;
  end if;
  if a_rank is not null then
    -- The cursor carries the rank of its row: the next page is one index range scan of p_limit rows.
    v_before := a_rank;
  elsif p_after is not null then
    -- A cursor from before 20261123090000 (no 'n'): count the visible ranked rows up to it.
    if p_period = 'all' then
      select count(*) into v_before from public.leaderboard_all_time l
       where l.cohort_id = p_cohort_id and l.answered >= v_min
         and (v_is_instructor or not l.hidden or l.user_id = v_uid)
         and (l.sort_correct, l.sort_accuracy, l.reached_at, l.user_id) <= (a_correct, a_accuracy, a_reached, a_user);
    else
      select count(*) into v_before from public.leaderboard_weekly l
       where l.cohort_id = p_cohort_id and l.week_start = v_week and l.answered >= v_min
         and (v_is_instructor or not l.hidden or l.user_id = v_uid)
         and (l.sort_correct, l.sort_accuracy, l.reached_at, l.user_id) <= (a_correct, a_accuracy, a_reached, a_user);
    end if;
  end if;
  if p_after is null then
    -- The first page starts before every possible key (sort_correct = -correct > the smallest integer),
    -- so both pages are the same statement with the keyset predicate as an index condition, also once
    -- PL/pgSQL switches to a generic plan (an `is null or …` there would turn it into a filter).
    a_correct := -2147483648;
    a_accuracy := -2147483648;
    a_reached := '-infinity';
    a_user := '00000000-0000-0000-0000-000000000000';
  end if;

  return query
  with page as (
    select l.user_id, l.answered, l.correct, l.accuracy_bp, l.sort_correct, l.sort_accuracy, l.reached_at,
           v_before + row_number() over (order by l.sort_correct, l.sort_accuracy, l.reached_at, l.user_id) as rnk
    from (
      (select x.user_id, x.answered, x.correct, x.accuracy_bp, x.sort_correct, x.sort_accuracy, x.reached_at
       from public.leaderboard_all_time x
       where p_period = 'all' and x.cohort_id = p_cohort_id and x.answered >= v_min
         and (v_is_instructor or not x.hidden or x.user_id = v_uid)
         and (x.sort_correct, x.sort_accuracy, x.reached_at, x.user_id) > (a_correct, a_accuracy, a_reached, a_user)
       order by x.sort_correct, x.sort_accuracy, x.reached_at, x.user_id
       limit p_limit)
      union all
      (select x.user_id, x.answered, x.correct, x.accuracy_bp, x.sort_correct, x.sort_accuracy, x.reached_at
       from public.leaderboard_weekly x
       where p_period = 'week' and x.cohort_id = p_cohort_id and x.week_start = v_week and x.answered >= v_min
         and (v_is_instructor or not x.hidden or x.user_id = v_uid)
         and (x.sort_correct, x.sort_accuracy, x.reached_at, x.user_id) > (a_correct, a_accuracy, a_reached, a_user)
       order by x.sort_correct, x.sort_accuracy, x.reached_at, x.user_id
       limit p_limit)
    ) l
  )
  select p.rnk,
         p.user_id,
         -- One primary-key lookup per row of the page (a join may hash the whole profiles table).
         case
           when v_is_instructor then (select pr.display_name from public.profiles pr where pr.id = p.user_id)
           else coalesce((select pr.leaderboard_alias from public.profiles pr where pr.id = p.user_id),
                         'Student ' || upper(left(md5(p.user_id::text), 4)))
         end,
         p.user_id = v_uid,
         p.answered,
         p.correct,
         round(p.accuracy_bp / 10000.0, 4),
         jsonb_build_object('c', p.sort_correct, 'a', p.sort_accuracy, 'r', p.reached_at, 'u', p.user_id, 'n', p.rnk)
  from page p
  order by p.rnk;
end;
$$;
revoke all on function public.get_leaderboard(uuid, text, jsonb, integer) from public, anon, authenticated, service_role;
grant execute on function public.get_leaderboard(uuid, text, jsonb, integer) to authenticated;
