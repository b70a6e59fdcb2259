-- Purpose: the caller's own leaderboard row, wherever it is on the board, without paging to it.
-- Affected: function public.get_my_leaderboard_position().
--
-- Same order and visibility as get_leaderboard(): correct desc, accuracy desc, reached_at asc, user id;
-- only rows with at least min_answers_to_rank answers are ranked; a student does not count students who
-- opted out (ranks are positions among the rows the caller may see). Both counts are range counts on
-- the all-ascending rank index (index-only), like get_leaderboard's cursor rank.

-- get_my_leaderboard_position(cohort, period 'all'|'week') → one row:
--   rank           position on the caller's board (null while unranked)
--   answered, correct, accuracy (0–1)
--   percentile     share of the other visible ranked students the caller is ahead of, 0–100
--                  ("53 means you placed above 53 % of ranked peers"); null while unranked or alone
--   ranked         answered ≥ the cohort's min_answers_to_rank
--   needed_answers answers still needed to be ranked (0 once ranked)
--   ranked_count   how many rows the caller's board ranks (for "rank 12 of 240")
-- Members only: instructors are not on their cohorts' boards (42501).
-- Definer: counts other students' rollup rows, which RLS hides from students; returns only counts.
create function public.get_my_leaderboard_position(p_cohort_id uuid, p_period text default 'all')
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
security definer
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
  v_min integer;
  v_week date := private.iso_week_start(now());
  v_answered integer := 0;
  v_correct integer := 0;
  v_accuracy_bp integer := 0;
  v_sort_correct integer;
  v_sort_accuracy integer;
  v_reached timestamptz;
  v_found boolean;
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
    select l.answered, l.correct, l.accuracy_bp, l.sort_correct, l.sort_accuracy, l.reached_at
      into v_answered, v_correct, v_accuracy_bp, v_sort_correct, v_sort_accuracy, v_reached
      from public.leaderboard_all_time l where l.cohort_id = p_cohort_id and l.user_id = v_uid;
  else
    select l.answered, l.correct, l.accuracy_bp, l.sort_correct, l.sort_accuracy, l.reached_at
      into v_answered, v_correct, v_accuracy_bp, v_sort_correct, v_sort_accuracy, v_reached
      from public.leaderboard_weekly l where l.cohort_id = p_cohort_id and l.week_start = v_week and l.user_id = v_uid;
  end if;
  v_found := found;
  if not v_found then
    v_answered := 0;
    v_correct := 0;
    v_accuracy_bp := 0;
  end if;

  if not v_found or v_answered < v_min then
    return query select null::bigint, v_answered, v_correct, round(v_accuracy_bp / 10000.0, 4), null::numeric,
                        false, v_min - v_answered, null::bigint;
    return;
  end if;

  -- Visible ranked rows strictly ahead of the caller, and all visible ranked rows (the caller included).
  if p_period = 'all' then
    select count(*) filter (where (l.sort_correct, l.sort_accuracy, l.reached_at, l.user_id) < (v_sort_correct, v_sort_accuracy, v_reached, v_uid)),
           count(*)
      into v_ahead, v_total
      from public.leaderboard_all_time l
     where l.cohort_id = p_cohort_id and l.answered >= v_min and (not l.hidden or l.user_id = v_uid);
  else
    select count(*) filter (where (l.sort_correct, l.sort_accuracy, l.reached_at, l.user_id) < (v_sort_correct, v_sort_accuracy, v_reached, v_uid)),
           count(*)
      into v_ahead, v_total
      from public.leaderboard_weekly l
     where l.cohort_id = p_cohort_id and l.week_start = v_week and l.answered >= v_min and (not l.hidden or l.user_id = v_uid);
  end if;

  return query select v_ahead + 1, v_answered, v_correct, round(v_accuracy_bp / 10000.0, 4),
                      case when v_total > 1 then round(100.0 * (v_total - v_ahead - 1) / (v_total - 1), 1) end,
                      true, 0, v_total;
end;
$$;
revoke all on function public.get_my_leaderboard_position(uuid, text) from public, anon, authenticated, service_role;
grant execute on function public.get_my_leaderboard_position(uuid, text) to authenticated;
