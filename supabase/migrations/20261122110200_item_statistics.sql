-- Purpose: item analysis for instructors (Moodle-style) and per-student accuracy by organ system.
-- Affected: functions public.get_item_statistics(), public.get_student_system_accuracy().
-- See docs/decisions/007-item-statistics.md.
--
-- Item statistics use each student's FIRST answer to a question (earliest answered_at, then received_at,
-- then id), as Moodle does by default: retakes measure memory of the explanation, not the item.
-- Discrimination is the upper–lower 27 % index (Kelley; Moodle's "discrimination index" family):
--   D = p_upper − p_lower, where, among the n students whose first answer to the item is counted, the
--   upper and lower groups are the k = max(1, round(0.27 n)) students with the highest and lowest
--   overall first-attempt accuracy in the cohort (all items, this one included; ties broken by user id).
--   Groups are formed per item because a question bank has no fixed test form: students answer
--   different subsets, so accuracy (not a raw total that rewards volume) orders them.
-- Flags (only once n ≥ 10; below that the numbers are shown but too noisy to judge):
--   'too_hard' facility < 0.3, 'too_easy' facility > 0.9, 'low_discrimination' D < 0.2.

-- get_item_statistics(cohort) → one row per question a current member of the cohort has answered.
--   facility: share of correct first answers (0–1); discrimination: D above (null when n < 2);
--   a..e: first answers per choice (distractor analysis); mean_time_ms: mean time on first answers.
-- Invoker: the cohort's instructor can read its students' answers and every question under RLS;
-- everyone else is refused by the instructor check (42501).
create function public.get_item_statistics(p_cohort_id uuid)
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
  join public.questions q on q.id = x.question_id
  order by x.question_id;
end;
$$;
revoke all on function public.get_item_statistics(uuid) from public, anon, authenticated, service_role;
grant execute on function public.get_item_statistics(uuid) to authenticated;

-- get_student_system_accuracy(cohort) → one row per member × organ system they have answered: all of
-- their answers (the same numbers the student sees in get_my_stats), accuracy 0–1.
-- Invoker: the cohort's instructor reads members' answers and profiles under RLS; others get 42501.
create function public.get_student_system_accuracy(p_cohort_id uuid)
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
  perform private.require_cohort_instructor(p_cohort_id);
  return query
  select m.user_id, p.display_name, q.organ_system,
         count(*)::integer, count(*) filter (where ans.is_correct)::integer,
         round(count(*) filter (where ans.is_correct)::numeric / count(*), 4)
  from public.cohort_members m
  join public.profiles p on p.id = m.user_id
  join public.answers ans on ans.user_id = m.user_id
  join public.questions q on q.id = ans.question_id
  where m.cohort_id = p_cohort_id
  group by m.user_id, p.display_name, q.organ_system
  order by p.display_name, m.user_id, q.organ_system;
end;
$$;
revoke all on function public.get_student_system_accuracy(uuid) from public, anon, authenticated, service_role;
grant execute on function public.get_student_system_accuracy(uuid) to authenticated;
