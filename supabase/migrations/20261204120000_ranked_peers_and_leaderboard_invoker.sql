-- Purpose: one definition of "ranked peers" (who is ranked on a cohort board, as the caller may see it),
-- used by get_leaderboard(), get_my_leaderboard_position() and get_my_stats()' percentile; and the two
-- leaderboard RPCs become `security invoker`, each with one narrow definer helper in `private` for the
-- step that needs other students' rollup rows. get_leaderboard rows no longer carry peers' user ids,
-- and its keyset cursor no longer carries one either.
-- Affected: view private.ranked_peers; functions private.leaderboard_page(), private.my_board_counts(),
-- private.cohort_percentile(uuid) (replaces private.cohort_percentile(uuid, uuid)), public.get_my_stats(),
-- public.get_my_leaderboard_position(), public.get_leaderboard() (result without user_id).
-- Issue #14 items 2 and 6; docs/decisions/016-least-privilege-rpcs.md.

-- Ranked peers: the rollup rows ranked on the board of `auth.uid()`. A row is ranked once it has at
-- least the cohort's min_answers_to_rank answers; a student's board leaves out students who opted out
-- (except the student themselves); the cohort's instructor sees everyone. Period 'all' reads the
-- all-time rollup, 'week' the current ISO week (UTC). Callers filter period and cohort_id.
-- A view and not a function: the planner inlines it, so the callers' cohort, period and keyset
-- predicates stay index conditions on the rank indexes (a function with `set search_path` is never
-- inlined). security_invoker: only the definer helpers below (its owner, who bypasses RLS) read it;
-- anyone else who was ever granted it would be held to the rollups' RLS.
create view private.ranked_peers with (security_invoker = true) as
select r.period, r.cohort_id, r.user_id, r.answered, r.correct, r.accuracy_bp,
       r.sort_correct, r.sort_accuracy, r.reached_at
from (
  select 'all'::text as period, l.cohort_id, l.user_id, l.answered, l.correct, l.accuracy_bp,
         l.sort_correct, l.sort_accuracy, l.reached_at, l.hidden
  from public.leaderboard_all_time l
  union all
  select 'week'::text, w.cohort_id, w.user_id, w.answered, w.correct, w.accuracy_bp,
         w.sort_correct, w.sort_accuracy, w.reached_at, w.hidden
  from public.leaderboard_weekly w
  where w.week_start = private.iso_week_start(now())
) r
join public.cohorts c on c.id = r.cohort_id
where r.answered >= c.min_answers_to_rank
  and (not r.hidden or r.user_id = (select auth.uid()) or c.instructor_id = (select auth.uid()));
comment on view private.ranked_peers is 'Rollup rows ranked on the board of auth.uid() (threshold, opt-outs hidden from students). Internal: read by definer helpers only.';
revoke all on private.ranked_peers from public, anon, authenticated, service_role;

-- The caller's place among ranked peers: how many ranked rows are strictly ahead of the caller's own
-- row, and how many there are (the caller included). Null counts while the caller is unranked.
-- Definer: counts other students' rollup rows, which RLS hides from students. It returns two numbers
-- about the caller only (auth.uid(); no user argument), and only for a cohort the caller belongs to.
create function private.my_board_counts(p_cohort_id uuid, p_period text, out ahead bigint, out total bigint)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_me record;
begin
  if not exists (select 1 from public.cohort_members m where m.cohort_id = p_cohort_id and m.user_id = v_uid) then
    raise exception 'You are not a member of this cohort.' using errcode = '42501';
  end if;
  select v.sort_correct, v.sort_accuracy, v.reached_at into v_me
    from private.ranked_peers v
   where v.period = p_period and v.cohort_id = p_cohort_id and v.user_id = v_uid;
  if not found then
    return;
  end if;
  select count(*) filter (where (v.sort_correct, v.sort_accuracy, v.reached_at, v.user_id) < (v_me.sort_correct, v_me.sort_accuracy, v_me.reached_at, v_uid)),
         count(*)
    into ahead, total
    from private.ranked_peers v
   where v.period = p_period and v.cohort_id = p_cohort_id;
end;
$$;
revoke all on function private.my_board_counts(uuid, text) from public, anon, authenticated, service_role;
grant execute on function private.my_board_counts(uuid, text) to authenticated;

-- The caller's percentile in a cohort: the share of the OTHER ranked peers (the same rows the caller's
-- board shows) whose all-time accuracy is strictly below the caller's, as BoardVitals defines
-- percentile rank. Null while the caller is unranked, or alone on the board.
-- Definer: compares with other students' rollups; returns one number about the caller (auth.uid()).
-- It used to take the user id as an argument and counted students who opted out: comparing it with
-- get_my_leaderboard_position revealed a hidden classmate.
drop function private.cohort_percentile(uuid, uuid);
create function private.cohort_percentile(p_cohort_id uuid)
returns numeric
language sql
stable
security definer
set search_path = ''
as $$
  with board as (
    select v.user_id, v.accuracy_bp from private.ranked_peers v
    where v.period = 'all' and v.cohort_id = p_cohort_id
      and exists (select 1 from public.cohort_members m where m.cohort_id = p_cohort_id and m.user_id = (select auth.uid()))
  ), me as (
    select b.accuracy_bp from board b where b.user_id = (select auth.uid())
  ), peers as (
    select b.accuracy_bp from board b where b.user_id <> (select auth.uid())
  )
  select case when (select count(*) from peers) = 0 then null
              else round(100.0 * (select count(*) from peers where accuracy_bp < (select accuracy_bp from me))
                         / (select count(*) from peers), 1) end
  from me;
$$;
revoke all on function private.cohort_percentile(uuid) from public, anon, authenticated, service_role;
grant execute on function private.cohort_percentile(uuid) to authenticated;

-- Unchanged except for the percentile helper's signature (SQL bodies are not dependency-tracked, so the
-- function is replaced with the new call). Invoker, as before.
create or replace function public.get_my_stats()
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  with mine as (
    select a.is_correct, q.organ_system, q.discipline
    from public.answers a
    join public.questions q on q.id = a.question_id
    where a.user_id = (select auth.uid())
  )
  select jsonb_build_object(
    'answered', (select count(*) from mine),
    'correct', (select count(*) from mine where is_correct),
    'by_system', coalesce((
      select jsonb_agg(jsonb_build_object('key', organ_system, 'answered', n, 'correct', c) order by organ_system)
      from (select organ_system, count(*) n, count(*) filter (where is_correct) c from mine group by 1) s), '[]'),
    'by_discipline', coalesce((
      select jsonb_agg(jsonb_build_object('key', discipline, 'answered', n, 'correct', c) order by discipline)
      from (select discipline, count(*) n, count(*) filter (where is_correct) c from mine group by 1) d), '[]'),
    'cohorts', coalesce((
      select jsonb_agg(jsonb_build_object(
        'id', c.id, 'name', c.name,
        'percentile', private.cohort_percentile(c.id)) order by c.name)
      from public.cohorts c
      join public.cohort_members m on m.cohort_id = c.id and m.user_id = (select auth.uid())), '[]')
  );
$$;
revoke all on function public.get_my_stats() from public, anon, authenticated, service_role;
grant execute on function public.get_my_stats() to authenticated;

-- The week rule is needed by the invoker RPC below too; it is pure arithmetic on its argument.
revoke all on function private.iso_week_start(timestamptz) from public, anon, authenticated, service_role;
grant execute on function private.iso_week_start(timestamptz) to authenticated;

-- get_my_leaderboard_position: same arguments, result and errors as in 20261122110100.
-- Invoker: the caller reads their own membership, cohort and rollup row under RLS; the counts over
-- other students' rows come from private.my_board_counts.
create or replace function public.get_my_leaderboard_position(p_cohort_id uuid, p_period text default 'all')
returns table (
  rank bigint,
  answered integer,
  correct integer,
  accuracy numeric,
  percentile numeric,
  ranked boolean,
  needed_answers integer,
  ranked_count bigint
)
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_min integer;
  v_week date := private.iso_week_start(now());
  v_answered integer := 0;
  v_correct integer := 0;
  v_accuracy_bp integer := 0;
  v_ahead bigint;
  v_total bigint;
begin
  if v_uid is null then
    raise exception 'Sign in to see your leaderboard position.' using errcode = '42501';
  end if;
  if p_cohort_id is null then
    raise exception 'p_cohort_id is required.' using errcode = '22023';
  end if;
  if p_period is null or p_period not in ('all', 'week') then
    raise exception 'p_period must be ''all'' or ''week''.' using errcode = '22023';
  end if;
  select c.min_answers_to_rank into v_min
    from public.cohorts c
    join public.cohort_members m on m.cohort_id = c.id and m.user_id = v_uid
    where c.id = p_cohort_id;
  if v_min is null then
    raise exception 'You are not a member of this cohort.' using errcode = '42501';
  end if;

  if p_period = 'all' then
    select l.answered, l.correct, l.accuracy_bp into v_answered, v_correct, v_accuracy_bp
      from public.leaderboard_all_time l where l.cohort_id = p_cohort_id and l.user_id = v_uid;
  else
    select l.answered, l.correct, l.accuracy_bp into v_answered, v_correct, v_accuracy_bp
      from public.leaderboard_weekly l where l.cohort_id = p_cohort_id and l.week_start = v_week and l.user_id = v_uid;
  end if;
  if not found then
    v_answered := 0;
    v_correct := 0;
    v_accuracy_bp := 0;
  end if;

  select b.ahead, b.total into v_ahead, v_total from private.my_board_counts(p_cohort_id, p_period) b;
  if v_total is null then
    return query select null::bigint, v_answered, v_correct, round(v_accuracy_bp / 10000.0, 4), null::numeric,
                        false, v_min - v_answered, null::bigint;
    return;
  end if;
  return query select v_ahead + 1, v_answered, v_correct, round(v_accuracy_bp / 10000.0, 4),
                      case when v_total > 1 then round(100.0 * (v_total - v_ahead - 1) / (v_total - 1), 1) end,
                      true, 0, v_total;
end;
$$;
revoke all on function public.get_my_leaderboard_position(uuid, text) from public, anon, authenticated, service_role;
grant execute on function public.get_my_leaderboard_position(uuid, text) to authenticated;

-- One keyset page of a cohort board, as the caller (auth.uid()) may see it: ranked peers in board order
-- (correct desc, accuracy desc, reached_at asc, then user id, which stays the server's tie-breaker),
-- starting after a position given by the parsed cursor:
--   p_correct, p_accuracy, p_reached: the sort key of the last row of the previous page (null: first page);
--   p_tie:  how many rows with exactly that key the caller has been shown so far (the cursor's 'k');
--   p_user: only for cursors issued before 20261204120000 ('u', the last row's user id): a position,
--           never an identity (no row is selected or revealed by it that the board would not show);
--   p_rank: the rank of that last row on the caller's board ('n'); null → counted (old cursors).
-- Each row's cursor is {c, a, r, k, n}: no user id, so students never receive a classmate's id.
-- Definer: reads other students' rollup rows and aliases (RLS hides both from students); checks that
-- the caller is a member or the instructor of the cohort; returns what the board shows and nothing else.
create function private.leaderboard_page(
  p_cohort_id uuid,
  p_period text,
  p_limit integer,
  p_correct integer,
  p_accuracy integer,
  p_reached timestamptz,
  p_tie integer,
  p_user uuid,
  p_rank bigint
)
returns table (rank bigint, name text, is_me boolean, answered integer, correct integer, accuracy numeric, cursor jsonb)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_is_instructor boolean;
  v_before bigint := 0;
  v_offset integer := 0;
  v_tie_base bigint := 0;
  a_correct integer := p_correct;
  a_accuracy integer := p_accuracy;
  a_reached timestamptz := p_reached;
  a_user uuid := p_user;
begin
  select c.instructor_id = v_uid into v_is_instructor from public.cohorts c where c.id = p_cohort_id;
  if v_is_instructor is null
     or not (v_is_instructor or exists (select 1 from public.cohort_members m where m.cohort_id = p_cohort_id and m.user_id = v_uid)) then
    raise exception 'You are not a member of this cohort.' using errcode = '42501';
  end if;

  if p_correct is null then
    -- First page: before every possible key (sort_correct = -correct > the smallest integer), so both
    -- kinds of page are the same statement with the keyset predicate as an index condition, also once
    -- PL/pgSQL switches to a generic plan (an `is null or …` there would turn it into a filter).
    a_correct := -2147483648;
    a_accuracy := -2147483648;
    a_reached := '-infinity';
    a_user := '00000000-0000-0000-0000-000000000000';
  elsif p_user is null then
    -- Cursor {c, a, r, k, n}: start AT the key (the nil uuid sorts before every id) and skip the k rows
    -- with that key already shown. Only full ties (same correct, accuracy and reached_at) are skipped
    -- over, so a page costs p_limit index entries plus the tie rows before it.
    a_user := '00000000-0000-0000-0000-000000000000';
    v_offset := p_tie;
    v_tie_base := p_tie;
  else
    -- Old cursor {c, a, r, u[, n]}: the rows after it, and how many rows with its key it has covered.
    select count(*) into v_tie_base from private.ranked_peers v
     where v.period = p_period and v.cohort_id = p_cohort_id
       and (v.sort_correct, v.sort_accuracy, v.reached_at) = (p_correct, p_accuracy, p_reached)
       and v.user_id <= p_user;
  end if;

  if p_rank is not null then
    v_before := p_rank;
  elsif p_correct is not null then
    -- A cursor from before 20261123090000 (no 'n'): count the visible ranked rows up to it.
    select count(*) into v_before from private.ranked_peers v
     where v.period = p_period and v.cohort_id = p_cohort_id
       and (v.sort_correct, v.sort_accuracy, v.reached_at, v.user_id) <= (p_correct, p_accuracy, p_reached, p_user);
  end if;

  return query
  with page as (
    select v.user_id, v.answered, v.correct, v.accuracy_bp, v.sort_correct, v.sort_accuracy, v.reached_at,
           v_before + row_number() over (order by v.sort_correct, v.sort_accuracy, v.reached_at, v.user_id) as rnk
    from (
      select x.user_id, x.answered, x.correct, x.accuracy_bp, x.sort_correct, x.sort_accuracy, x.reached_at
      from private.ranked_peers x
      where x.period = p_period and x.cohort_id = p_cohort_id
        and (x.sort_correct, x.sort_accuracy, x.reached_at, x.user_id) > (a_correct, a_accuracy, a_reached, a_user)
      order by x.sort_correct, x.sort_accuracy, x.reached_at, x.user_id
      offset v_offset
      limit p_limit
    ) v
  )
  select p.rnk,
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
         jsonb_build_object(
           'c', p.sort_correct, 'a', p.sort_accuracy, 'r', p.reached_at,
           -- Rows with this row's key shown up to and including it (those of earlier pages included).
           'k', count(*) over (partition by p.sort_correct, p.sort_accuracy, p.reached_at order by p.rnk)
                + case when (p.sort_correct, p.sort_accuracy, p.reached_at) = (p_correct, p_accuracy, p_reached)
                       then v_tie_base else 0 end,
           'n', p.rnk)
  from page p
  order by p.rnk;
end;
$$;
revoke all on function private.leaderboard_page(uuid, text, integer, integer, integer, timestamptz, integer, uuid, bigint)
  from public, anon, authenticated, service_role;
grant execute on function private.leaderboard_page(uuid, text, integer, integer, integer, timestamptz, integer, uuid, bigint)
  to authenticated;

-- get_leaderboard(cohort, period, after, limit): as before (20261123090000) except that rows have no
-- user_id (the client highlights the caller with is_me and keys rows by rank) and the cursor is
-- {c, a, r, k, n}. Cursors issued before this migration ({c, a, r, u[, n]}) are still accepted.
-- Invoker: argument checks and the membership check run as the caller (a member reads the cohort and
-- their own membership under RLS); the page itself comes from private.leaderboard_page.
drop function public.get_leaderboard(uuid, text, jsonb, integer);
create function public.get_leaderboard(
  p_cohort_id uuid,
  p_period text default 'all',
  p_after jsonb default null,
  p_limit integer default 50
)
returns table (
  rank bigint,
  name text,
  is_me boolean,
  answered integer,
  correct integer,
  accuracy numeric,
  cursor jsonb
)
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  a_correct integer;
  a_accuracy integer;
  a_reached timestamptz;
  a_tie integer;
  a_user uuid;
  a_rank bigint;
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
  -- Cohorts are readable by their instructor and members only, memberships by the member.
  if not exists (
    select 1 from public.cohorts c
    where c.id = p_cohort_id
      and (c.instructor_id = v_uid or exists (select 1 from public.cohort_members m where m.cohort_id = c.id and m.user_id = v_uid))
  ) then
    raise exception 'You are not a member of this cohort.' using errcode = '42501';
  end if;

  if p_after is not null then
    begin
      a_correct := (p_after ->> 'c')::integer;
      a_accuracy := (p_after ->> 'a')::integer;
      a_reached := (p_after ->> 'r')::timestamptz;
      a_tie := (p_after ->> 'k')::integer;
      a_user := (p_after ->> 'u')::uuid;
      a_rank := (p_after ->> 'n')::integer;
    exception when others then
      raise exception 'p_after is not a cursor returned by get_leaderboard.' using errcode = '22023';
    end;
    if a_correct is null or a_accuracy is null or a_reached is null or a_rank < 0
       -- Either the current form {c, a, r, k ≥ 1, n} or the old one with the user id 'u' (and no 'k').
       or (a_user is null and (a_tie is null or a_tie < 1 or a_rank is null))
       or (a_user is not null and a_tie is not null) then
      raise exception 'p_after is not a cursor returned by get_leaderboard.' using errcode = '22023';
    end if;
  end if;

  return query
  select p.rank, p.name, p.is_me, p.answered, p.correct, p.accuracy, p.cursor
  from private.leaderboard_page(p_cohort_id, p_period, p_limit, a_correct, a_accuracy, a_reached, a_tie, a_user, a_rank) p;
end;
$$;
revoke all on function public.get_leaderboard(uuid, text, jsonb, integer) from public, anon, authenticated, service_role;
grant execute on function public.get_leaderboard(uuid, text, jsonb, integer) to authenticated;
