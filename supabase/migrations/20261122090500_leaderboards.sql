-- Purpose: leaderboard rollups, kept by triggers in the same transaction as the answers they count, and
-- the keyset-paginated get_leaderboard() that reads them (no GROUP BY over answers on the read path).
-- Affected: public.leaderboard_all_time, public.leaderboard_weekly; triggers on answers and cohort_members.
--
-- Ranking: correct answers desc, then accuracy desc, then who reached that count first (reached_at asc),
-- then user_id as a final, stable tie-breaker. The sort_* columns store the descending keys negated so one
-- all-ascending composite index serves both ORDER BY and the row-comparison keyset predicate.
-- Weeks are ISO weeks in UTC. An answer counts in the week of its effective time: the client's answered_at
-- clamped to [received_at - 7 days, received_at], so an offline answer lands in the week it was given
-- while a forged clock can move it at most one week back and never into the future.

create function private.answer_effective_time(p_answered_at timestamptz, p_received_at timestamptz)
returns timestamptz
language sql
immutable
set search_path = ''
as $$
  select least(p_received_at, greatest(p_answered_at, p_received_at - interval '7 days'));
$$;
revoke all on function private.answer_effective_time(timestamptz, timestamptz) from public, anon, authenticated, service_role;

create function private.iso_week_start(p_at timestamptz)
returns date
language sql
immutable
set search_path = ''
as $$
  select (date_trunc('week', p_at at time zone 'UTC'))::date;
$$;
revoke all on function private.iso_week_start(timestamptz) from public, anon, authenticated, service_role;

create table public.leaderboard_all_time (
  cohort_id uuid not null references public.cohorts (id) on delete cascade,
  user_id uuid not null references public.profiles (id) on delete cascade,
  answered integer not null default 0 check (answered >= 0),
  correct integer not null default 0 check (correct >= 0 and correct <= answered),
  -- When the student reached the current correct count ('infinity' until the first correct answer).
  reached_at timestamptz not null default 'infinity',
  -- Copy of profiles.leaderboard_opt_out (kept by a trigger) so visibility filters stay index-only.
  hidden boolean not null default false,
  accuracy_bp integer generated always as ((correct * 10000) / greatest(answered, 1)) stored,
  sort_correct integer generated always as (-correct) stored,
  sort_accuracy integer generated always as (-((correct * 10000) / greatest(answered, 1))) stored,
  primary key (cohort_id, user_id)
);
comment on table public.leaderboard_all_time is 'Per cohort and student: answers and correct answers of all time. Maintained by triggers; read through get_leaderboard().';
create index leaderboard_all_time_rank_idx
  on public.leaderboard_all_time (cohort_id, sort_correct, sort_accuracy, reached_at, user_id) include (answered, hidden);
create index leaderboard_all_time_user_id_idx on public.leaderboard_all_time (user_id);
alter table public.leaderboard_all_time enable row level security;
revoke all on table public.leaderboard_all_time from public, anon, authenticated, service_role;

create table public.leaderboard_weekly (
  cohort_id uuid not null references public.cohorts (id) on delete cascade,
  week_start date not null check (extract(isodow from week_start) = 1),
  user_id uuid not null references public.profiles (id) on delete cascade,
  answered integer not null default 0 check (answered >= 0),
  correct integer not null default 0 check (correct >= 0 and correct <= answered),
  reached_at timestamptz not null default 'infinity',
  -- Copy of profiles.leaderboard_opt_out (kept by a trigger) so visibility filters stay index-only.
  hidden boolean not null default false,
  accuracy_bp integer generated always as ((correct * 10000) / greatest(answered, 1)) stored,
  sort_correct integer generated always as (-correct) stored,
  sort_accuracy integer generated always as (-((correct * 10000) / greatest(answered, 1))) stored,
  primary key (cohort_id, week_start, user_id)
);
comment on table public.leaderboard_weekly is 'Per cohort, ISO week (UTC, Monday) and student: answers and correct answers that week. Maintained by triggers.';
create index leaderboard_weekly_rank_idx
  on public.leaderboard_weekly (cohort_id, week_start, sort_correct, sort_accuracy, reached_at, user_id) include (answered, hidden);
create index leaderboard_weekly_user_id_idx on public.leaderboard_weekly (user_id);
alter table public.leaderboard_weekly enable row level security;
revoke all on table public.leaderboard_weekly from public, anon, authenticated, service_role;

create policy "All-time rollups are readable by their owner and the cohort's instructor"
  on public.leaderboard_all_time for select to authenticated
  using (user_id = (select auth.uid()) or cohort_id in (select private.instructed_cohort_ids()));

create policy "Weekly rollups are readable by their owner and the cohort's instructor"
  on public.leaderboard_weekly for select to authenticated
  using (user_id = (select auth.uid()) or cohort_id in (select private.instructed_cohort_ids()));

grant select on public.leaderboard_all_time, public.leaderboard_weekly to authenticated;
grant select, insert, update, delete on public.leaderboard_all_time, public.leaderboard_weekly to service_role;

-- Adds a set of newly inserted answers to the rollups of every cohort their authors belong to.
-- Statement-level with a transition table: one upsert per (cohort, user[, week]) per batch. Only rows
-- that were really inserted appear in new_answers (ON CONFLICT DO NOTHING skips replays), so each
-- answer is counted exactly once.
create function private.answers_into_rollups()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.leaderboard_all_time as l (cohort_id, user_id, answered, correct, reached_at, hidden)
  select m.cohort_id, n.user_id, count(*), count(*) filter (where n.is_correct),
         coalesce(max(private.answer_effective_time(n.answered_at, n.received_at)) filter (where n.is_correct), 'infinity'),
         bool_or(p.leaderboard_opt_out)
  from new_answers n
  join public.cohort_members m on m.user_id = n.user_id
  join public.profiles p on p.id = n.user_id
  group by m.cohort_id, n.user_id
  on conflict (cohort_id, user_id) do update set
    answered = l.answered + excluded.answered,
    correct = l.correct + excluded.correct,
    reached_at = case
      when excluded.correct = 0 then l.reached_at
      when l.correct = 0 then excluded.reached_at
      else greatest(l.reached_at, excluded.reached_at) end;

  insert into public.leaderboard_weekly as l (cohort_id, week_start, user_id, answered, correct, reached_at, hidden)
  select m.cohort_id, private.iso_week_start(private.answer_effective_time(n.answered_at, n.received_at)), n.user_id,
         count(*), count(*) filter (where n.is_correct),
         coalesce(max(private.answer_effective_time(n.answered_at, n.received_at)) filter (where n.is_correct), 'infinity'),
         bool_or(p.leaderboard_opt_out)
  from new_answers n
  join public.cohort_members m on m.user_id = n.user_id
  join public.profiles p on p.id = n.user_id
  group by 1, 2, 3
  on conflict (cohort_id, week_start, user_id) do update set
    answered = l.answered + excluded.answered,
    correct = l.correct + excluded.correct,
    reached_at = case
      when excluded.correct = 0 then l.reached_at
      when l.correct = 0 then excluded.reached_at
      else greatest(l.reached_at, excluded.reached_at) end;
  return null;
end;
$$;
revoke all on function private.answers_into_rollups() from public, anon, authenticated, service_role;

create trigger answers_into_rollups
  after insert on public.answers
  referencing new table as new_answers
  for each statement execute function private.answers_into_rollups();

-- A student who joins a cohort brings their history; one who leaves takes it with them.
create function private.membership_rollups()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    insert into public.leaderboard_all_time (cohort_id, user_id, answered, correct, reached_at, hidden)
    select new.cohort_id, new.user_id, count(*), count(*) filter (where a.is_correct),
           coalesce(max(private.answer_effective_time(a.answered_at, a.received_at)) filter (where a.is_correct), 'infinity'),
           (select p.leaderboard_opt_out from public.profiles p where p.id = new.user_id)
    from public.answers a where a.user_id = new.user_id
    having count(*) > 0
    on conflict do nothing;
    insert into public.leaderboard_weekly (cohort_id, week_start, user_id, answered, correct, reached_at, hidden)
    select new.cohort_id, private.iso_week_start(private.answer_effective_time(a.answered_at, a.received_at)), new.user_id,
           count(*), count(*) filter (where a.is_correct),
           coalesce(max(private.answer_effective_time(a.answered_at, a.received_at)) filter (where a.is_correct), 'infinity'),
           (select p.leaderboard_opt_out from public.profiles p where p.id = new.user_id)
    from public.answers a where a.user_id = new.user_id
    group by 2
    on conflict do nothing;
    return new;
  end if;
  delete from public.leaderboard_all_time where cohort_id = old.cohort_id and user_id = old.user_id;
  delete from public.leaderboard_weekly where cohort_id = old.cohort_id and user_id = old.user_id;
  return old;
end;
$$;
revoke all on function private.membership_rollups() from public, anon, authenticated, service_role;

create trigger cohort_members_rollups
  after insert or delete on public.cohort_members
  for each row execute function private.membership_rollups();

-- Keeps the rollups' hidden flag equal to the profile's opt-out.
create function private.sync_leaderboard_hidden()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.leaderboard_all_time set hidden = new.leaderboard_opt_out where user_id = new.id;
  update public.leaderboard_weekly set hidden = new.leaderboard_opt_out where user_id = new.id;
  return new;
end;
$$;
revoke all on function private.sync_leaderboard_hidden() from public, anon, authenticated, service_role;

create trigger profiles_sync_leaderboard_hidden
  after update of leaderboard_opt_out on public.profiles
  for each row when (old.leaderboard_opt_out is distinct from new.leaderboard_opt_out)
  execute function private.sync_leaderboard_hidden();

-- The leaderboard of a cohort, one keyset page at a time.
--   p_period: 'all' or 'week' (the current ISO week, UTC).
--   p_after:  the `cursor` of the last row of the previous page, or null for the first page.
-- Only students with at least the cohort's min_answers_to_rank answers are ranked. Students see aliases
-- (or a stable pseudonym) and never see students who opted out, except themselves; instructors of the
-- cohort see real names and everyone. A rank is the position among the rows the caller may see, so a
-- student's board has no gaps that would hint at who is hidden.
-- Definer: reads other students' rollups and profiles, which RLS hides from students; the function
-- itself checks that the caller is a member or the instructor of the cohort and returns aggregates only.
create function public.get_leaderboard(
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
    exception when others then
      raise exception 'p_after is not a cursor returned by get_leaderboard.' using errcode = '22023';
    end;
    if a_correct is null or a_accuracy is null or a_reached is null or a_user is null then
      raise exception 'p_after is not a cursor returned by get_leaderboard.' using errcode = '22023';
    end if;
    -- Rank of the first row of this page = visible ranked rows up to the cursor (index-only range count).
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

  return query
  with page as (
    select l.user_id, l.answered, l.correct, l.accuracy_bp, l.sort_correct, l.sort_accuracy, l.reached_at,
           v_before + row_number() over (order by l.sort_correct, l.sort_accuracy, l.reached_at, l.user_id) as rnk
    from (
      (select x.user_id, x.answered, x.correct, x.accuracy_bp, x.sort_correct, x.sort_accuracy, x.reached_at
       from public.leaderboard_all_time x
       where p_period = 'all' and x.cohort_id = p_cohort_id and x.answered >= v_min
         and (v_is_instructor or not x.hidden or x.user_id = v_uid)
         and (p_after is null or (x.sort_correct, x.sort_accuracy, x.reached_at, x.user_id) > (a_correct, a_accuracy, a_reached, a_user))
       order by x.sort_correct, x.sort_accuracy, x.reached_at, x.user_id
       limit p_limit)
      union all
      (select x.user_id, x.answered, x.correct, x.accuracy_bp, x.sort_correct, x.sort_accuracy, x.reached_at
       from public.leaderboard_weekly x
       where p_period = 'week' and x.cohort_id = p_cohort_id and x.week_start = v_week and x.answered >= v_min
         and (v_is_instructor or not x.hidden or x.user_id = v_uid)
         and (p_after is null or (x.sort_correct, x.sort_accuracy, x.reached_at, x.user_id) > (a_correct, a_accuracy, a_reached, a_user))
       order by x.sort_correct, x.sort_accuracy, x.reached_at, x.user_id
       limit p_limit)
    ) l
  )
  select p.rnk,
         p.user_id,
         case
           when v_is_instructor then pr.display_name
           else coalesce(pr.leaderboard_alias, 'Student ' || upper(left(md5(p.user_id::text), 4)))
         end,
         p.user_id = v_uid,
         p.answered,
         p.correct,
         round(p.accuracy_bp / 10000.0, 4),
         jsonb_build_object('c', p.sort_correct, 'a', p.sort_accuracy, 'r', p.reached_at, 'u', p.user_id)
  from page p
  join public.profiles pr on pr.id = p.user_id
  order by p.rnk;
end;
$$;
revoke all on function public.get_leaderboard(uuid, text, jsonb, integer) from public, anon, authenticated, service_role;
grant execute on function public.get_leaderboard(uuid, text, jsonb, integer) to authenticated;
