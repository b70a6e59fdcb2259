-- Purpose: what the student app reads besides tables: marked questions per attempt, the student's own
-- performance (overall, by organ system, by discipline, percentile in each cohort) and the cohort's
-- choice distribution for review.
-- Affected: public.attempts (marked_question_ids), functions get_my_stats(), get_choice_distribution().

alter table public.attempts
  add column marked_question_ids bigint[] not null default '{}'
    check (array_position(marked_question_ids, null) is null and cardinality(marked_question_ids) <= 40);
comment on column public.attempts.marked_question_ids is 'Questions the student marked for review in this block (feeds the "marked" pool).';
grant update (marked_question_ids) on public.attempts to authenticated;

-- The caller's performance. Invoker: it reads only the caller's own rows through RLS, except the
-- percentile, which compares against cohort rollups through a definer helper that returns one number.
create function private.cohort_percentile(p_cohort_id uuid, p_user_id uuid)
returns numeric
language sql
stable
security definer
set search_path = ''
as $$
  -- Share of the cohort's ranked students (at least min_answers_to_rank answers) whose accuracy is
  -- strictly below the caller's, as BoardVitals defines percentile rank. Null while the caller is unranked.
  with me as (
    select l.accuracy_bp from public.leaderboard_all_time l
    join public.cohorts c on c.id = l.cohort_id
    where l.cohort_id = p_cohort_id and l.user_id = p_user_id and l.answered >= c.min_answers_to_rank
  ), peers as (
    select l.accuracy_bp from public.leaderboard_all_time l
    join public.cohorts c on c.id = l.cohort_id
    where l.cohort_id = p_cohort_id and l.answered >= c.min_answers_to_rank and l.user_id <> p_user_id
  )
  select case when (select count(*) from peers) = 0 then null
              else round(100.0 * (select count(*) from peers where accuracy_bp < (select accuracy_bp from me))
                         / (select count(*) from peers), 1) end
  from me;
$$;
revoke all on function private.cohort_percentile(uuid, uuid) from public, anon, authenticated, service_role;
grant execute on function private.cohort_percentile(uuid, uuid) to authenticated;

create function public.get_my_stats()
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
        'percentile', private.cohort_percentile(c.id, (select auth.uid()))) order by c.name)
      from public.cohorts c
      join public.cohort_members m on m.cohort_id = c.id and m.user_id = (select auth.uid())), '[]')
  );
$$;
revoke all on function public.get_my_stats() from public, anon, authenticated, service_role;
grant execute on function public.get_my_stats() to authenticated;

-- For review: how the caller's cohort peers answered these questions, first attempts only, as counts per
-- choice. Never individual answers: a question whose peers number fewer than 5 returns no distribution.
-- Definer: peers' answers are invisible to a student under RLS; only aggregates leave this function.
create function public.get_choice_distribution(p_question_ids bigint[])
returns table (question_id bigint, peers integer, a integer, b integer, c integer, d integer, e integer)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_uid uuid := (select auth.uid());
begin
  if v_uid is null then
    raise exception 'Sign in to see how peers answered.' using errcode = '42501';
  end if;
  if p_question_ids is null or cardinality(p_question_ids) > 200 then
    raise exception 'Ask for at most 200 questions at a time.' using errcode = '22023';
  end if;
  return query
  with peers as (
    select distinct m2.user_id
    from public.cohort_members m1
    join public.cohort_members m2 on m2.cohort_id = m1.cohort_id
    where m1.user_id = v_uid and m2.user_id <> v_uid
  ),
  firsts as (
    select distinct on (a.user_id, a.question_id) a.question_id, a.choice
    from public.answers a
    join peers p on p.user_id = a.user_id
    where a.question_id = any (p_question_ids)
    order by a.user_id, a.question_id, a.answered_at
  )
  select f.question_id, count(*)::integer,
         count(*) filter (where f.choice = 'A')::integer, count(*) filter (where f.choice = 'B')::integer,
         count(*) filter (where f.choice = 'C')::integer, count(*) filter (where f.choice = 'D')::integer,
         count(*) filter (where f.choice = 'E')::integer
  from firsts f
  group by f.question_id
  having count(*) >= 5;
end;
$$;
revoke all on function public.get_choice_distribution(bigint[]) from public, anon, authenticated, service_role;
grant execute on function public.get_choice_distribution(bigint[]) to authenticated;
