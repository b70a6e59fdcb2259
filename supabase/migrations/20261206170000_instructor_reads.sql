-- Purpose: the instructor's reads over their students' answers cost what their queries cost, for a
-- cohort of 40 or of 10,000, however many students the instructor teaches elsewhere. Under the answers'
-- select policy (`user_id = any(private.readable_user_ids())`, 20261204090100) an instructor's read tests
-- every answer row against an array of every student they teach, a linear search per row; the roster's
-- "last active" did that per member. Each read is now computed by a security-definer helper in `private`
-- that checks the caller first (the cohort's instructor, private.require_cohort_instructor: 42501
-- otherwise, 22023 for a null cohort) and then reads without RLS, scoped to the cohort by its explicit
-- joins, as private.assignment_results does (20261206090000). The questions a helper reports on are those
-- the caller may read under the questions' own policy (published, or private.can_edit_question: their
-- own and their owners' drafts), written out as private.question_media_access does, so the results are
-- the rows the invoker functions gave. The public functions stay security invoker with their names,
-- arguments, results and errors; the client does not change. scripts/bench-instructor-reads.ts measures
-- each read against the same call without RLS.
-- Affected: public.get_item_statistics(uuid), public.get_student_system_accuracy(uuid),
-- public.export_cohort_results(uuid), public.get_cohort_roster(uuid) (now wrappers); new functions
-- private.cohort_item_statistics(uuid), private.cohort_student_system_accuracy(uuid),
-- private.cohort_results(uuid), private.cohort_roster(uuid).

-- Item statistics (the computation and its rules: 20261122110200, docs/decisions/007-item-statistics.md).
create function private.cohort_item_statistics(p_cohort_id uuid)
returns table (
  question_id bigint,
  organ_system text,
  discipline text,
  correct_choice text,
  n integer,
  correct integer,
  facility numeric,
  discrimination numeric,
  a integer,
  b integer,
  c integer,
  d integer,
  e integer,
  mean_time_ms integer,
  flags text[]
)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_cohort_instructor(p_cohort_id);
  return query
  with firsts as (
    select distinct on (ans.user_id, ans.question_id)
           ans.user_id, ans.question_id, ans.choice, ans.is_correct, ans.time_spent_ms
    from public.answers ans
    join public.cohort_members m on m.user_id = ans.user_id and m.cohort_id = p_cohort_id
    order by ans.user_id, ans.question_id, ans.answered_at, ans.received_at, ans.id
  ),
  scores as (
    select f.user_id, avg(f.is_correct::int) as score
    from firsts f group by f.user_id
  ),
  placed as (
    select f.*, s.score,
           row_number() over (partition by f.question_id order by s.score desc, f.user_id) as from_top,
           row_number() over (partition by f.question_id order by s.score asc, f.user_id desc) as from_bottom,
           count(*) over (partition by f.question_id) as n_item
    from firsts f join scores s on s.user_id = f.user_id
  ),
  stats as (
    select p.question_id,
           count(*)::integer as n,
           count(*) filter (where p.is_correct)::integer as n_correct,
           greatest(1, round(0.27 * count(*)))::integer as k,
           count(*) filter (where p.is_correct and p.from_top <= greatest(1, round(0.27 * p.n_item))) as upper_correct,
           count(*) filter (where p.is_correct and p.from_bottom <= greatest(1, round(0.27 * p.n_item))) as lower_correct,
           count(*) filter (where p.choice = 'A')::integer as n_a,
           count(*) filter (where p.choice = 'B')::integer as n_b,
           count(*) filter (where p.choice = 'C')::integer as n_c,
           count(*) filter (where p.choice = 'D')::integer as n_d,
           count(*) filter (where p.choice = 'E')::integer as n_e,
           round(avg(p.time_spent_ms))::integer as mean_ms
    from placed p
    group by p.question_id
  ),
  measured as (
    select s.*,
           round(s.n_correct::numeric / s.n, 4) as fac,
           case when s.n >= 2 then round((s.upper_correct - s.lower_correct)::numeric / s.k, 4) end as disc
    from stats s
  )
  select x.question_id, q.organ_system, q.discipline, q.correct_choice::text,
         x.n, x.n_correct, x.fac, x.disc, x.n_a, x.n_b, x.n_c, x.n_d, x.n_e, x.mean_ms,
         case when x.n < 10 then '{}'::text[] else array_remove(array[
           case when x.fac < 0.3 then 'too_hard' end,
           case when x.fac > 0.9 then 'too_easy' end,
           case when x.disc < 0.2 then 'low_discrimination' end], null) end
  from measured x
  -- The questions the caller may read (the questions' select policy): a question unpublished by
  -- someone else is not reported, though its answers still place the students, as before.
  join public.questions q on q.id = x.question_id and (q.published or private.can_edit_question(q.created_by))
  order by x.question_id;
end;
$$;
revoke all on function private.cohort_item_statistics(uuid) from public, anon, authenticated, service_role;
grant execute on function private.cohort_item_statistics(uuid) to authenticated;

-- Per-student accuracy by organ system over all their answers (20261122110200).
create function private.cohort_student_system_accuracy(p_cohort_id uuid)
returns table (
  user_id uuid,
  display_name text,
  organ_system text,
  answered integer,
  correct integer,
  accuracy numeric
)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_cohort_instructor(p_cohort_id);
  return query
  select m.user_id, p.display_name, q.organ_system,
         count(*)::integer, count(*) filter (where ans.is_correct)::integer,
         round(count(*) filter (where ans.is_correct)::numeric / count(*), 4)
  from public.cohort_members m
  join public.profiles p on p.id = m.user_id
  join public.answers ans on ans.user_id = m.user_id
  -- Answers to questions the caller may not read are not counted (the questions' select policy).
  join public.questions q on q.id = ans.question_id and (q.published or private.can_edit_question(q.created_by))
  where m.cohort_id = p_cohort_id
  group by m.user_id, p.display_name, q.organ_system
  order by p.display_name, m.user_id, q.organ_system;
end;
$$;
revoke all on function private.cohort_student_system_accuracy(uuid) from public, anon, authenticated, service_role;
grant execute on function private.cohort_student_system_accuracy(uuid) to authenticated;

-- The CSV export's rows: totals and per-system accuracy per member (20261122110400).
create function private.cohort_results(p_cohort_id uuid)
returns table (
  user_id uuid,
  display_name text,
  email text,
  joined_at timestamptz,
  answered integer,
  correct integer,
  accuracy numeric,
  by_system jsonb
)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_cohort_instructor(p_cohort_id);
  return query
  with per_system as (
    select ans.user_id, q.organ_system, count(*)::integer as n, count(*) filter (where ans.is_correct)::integer as c
    from public.cohort_members m
    join public.answers ans on ans.user_id = m.user_id
    -- Answers to questions the caller may not read are not counted (the questions' select policy).
    join public.questions q on q.id = ans.question_id and (q.published or private.can_edit_question(q.created_by))
    where m.cohort_id = p_cohort_id
    group by ans.user_id, q.organ_system
  ),
  per_user as (
    select s.user_id, sum(s.n)::integer as n, sum(s.c)::integer as c,
           jsonb_object_agg(s.organ_system, jsonb_build_object(
             'answered', s.n, 'correct', s.c, 'accuracy', round(s.c::numeric / s.n, 4))) as systems
    from per_system s group by s.user_id
  )
  select m.user_id, p.display_name, e.email, m.joined_at,
         coalesce(pu.n, 0), coalesce(pu.c, 0),
         case when pu.n > 0 then round(pu.c::numeric / pu.n, 4) end,
         coalesce(pu.systems, '{}'::jsonb)
  from public.cohort_members m
  join public.profiles p on p.id = m.user_id
  join private.cohort_member_emails(p_cohort_id) e on e.user_id = m.user_id
  left join per_user pu on pu.user_id = m.user_id
  where m.cohort_id = p_cohort_id
  order by p.display_name, m.user_id;
end;
$$;
revoke all on function private.cohort_results(uuid) from public, anon, authenticated, service_role;
grant execute on function private.cohort_results(uuid) to authenticated;

-- The roster: members, e-mail addresses, all-time rollup and last activity (20261122110000).
create function private.cohort_roster(p_cohort_id uuid)
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
  select m.user_id, p.display_name, e.email, m.joined_at,
         coalesce(l.answered, 0), coalesce(l.correct, 0), last.at
  from public.cohort_members m
  join public.profiles p on p.id = m.user_id
  join private.cohort_member_emails(p_cohort_id) e on e.user_id = m.user_id
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
revoke all on function private.cohort_roster(uuid) from public, anon, authenticated, service_role;
grant execute on function private.cohort_roster(uuid) to authenticated;

-- The public functions: invoker, for the cohort's instructor only (the helper checks the caller before
-- it reads anything). Rows come back in the helper's order.
create or replace function public.get_item_statistics(p_cohort_id uuid)
returns table (
  question_id bigint,
  organ_system text,
  discipline text,
  correct_choice text,
  n integer,
  correct integer,
  facility numeric,
  discrimination numeric,
  a integer,
  b integer,
  c integer,
  d integer,
  e integer,
  mean_time_ms integer,
  flags text[]
)
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  return query select * from private.cohort_item_statistics(p_cohort_id);
end;
$$;
revoke all on function public.get_item_statistics(uuid) from public, anon, authenticated, service_role;
grant execute on function public.get_item_statistics(uuid) to authenticated;

create or replace function public.get_student_system_accuracy(p_cohort_id uuid)
returns table (
  user_id uuid,
  display_name text,
  organ_system text,
  answered integer,
  correct integer,
  accuracy numeric
)
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  return query select * from private.cohort_student_system_accuracy(p_cohort_id);
end;
$$;
revoke all on function public.get_student_system_accuracy(uuid) from public, anon, authenticated, service_role;
grant execute on function public.get_student_system_accuracy(uuid) to authenticated;

create or replace function public.export_cohort_results(p_cohort_id uuid)
returns table (
  user_id uuid,
  display_name text,
  email text,
  joined_at timestamptz,
  answered integer,
  correct integer,
  accuracy numeric,
  by_system jsonb
)
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  return query select * from private.cohort_results(p_cohort_id);
end;
$$;
revoke all on function public.export_cohort_results(uuid) from public, anon, authenticated, service_role;
grant execute on function public.export_cohort_results(uuid) to authenticated;

create or replace function public.get_cohort_roster(p_cohort_id uuid)
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
security invoker
set search_path = ''
as $$
begin
  return query select * from private.cohort_roster(p_cohort_id);
end;
$$;
revoke all on function public.get_cohort_roster(uuid) from public, anon, authenticated, service_role;
grant execute on function public.get_cohort_roster(uuid) to authenticated;
