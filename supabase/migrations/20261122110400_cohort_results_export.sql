-- Purpose: the instructor's results export (the client turns these rows into CSV).
-- Affected: function public.export_cohort_results().

-- export_cohort_results(cohort) → one row per member: real name, email, answers, correct answers and
-- accuracy (all time, every answer: the numbers the student sees), and accuracy per organ system as
-- {"<system>": {"answered": n, "correct": n, "accuracy": 0–1}} for the systems they have answered.
-- Definer: e-mail addresses live in auth.users, which no API role may read. Instructor-only (checked first).
create function public.export_cohort_results(p_cohort_id uuid)
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
    join public.questions q on q.id = ans.question_id
    where m.cohort_id = p_cohort_id
    group by ans.user_id, q.organ_system
  ),
  per_user as (
    select s.user_id, sum(s.n)::integer as n, sum(s.c)::integer as c,
           jsonb_object_agg(s.organ_system, jsonb_build_object(
             'answered', s.n, 'correct', s.c, 'accuracy', round(s.c::numeric / s.n, 4))) as systems
    from per_system s group by s.user_id
  )
  select m.user_id, p.display_name, u.email::text, m.joined_at,
         coalesce(pu.n, 0), coalesce(pu.c, 0),
         case when pu.n > 0 then round(pu.c::numeric / pu.n, 4) end,
         coalesce(pu.systems, '{}'::jsonb)
  from public.cohort_members m
  join public.profiles p on p.id = m.user_id
  join auth.users u on u.id = m.user_id
  left join per_user pu on pu.user_id = m.user_id
  where m.cohort_id = p_cohort_id
  order by p.display_name, m.user_id;
end;
$$;
revoke all on function public.export_cohort_results(uuid) from public, anon, authenticated, service_role;
grant execute on function public.export_cohort_results(uuid) to authenticated;
