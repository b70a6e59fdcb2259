-- Purpose: a student's read of their own attempts and answers is an index scan, not a full scan.
-- Affected: policies on public.attempts and public.answers (select); function private.readable_user_ids().
--
-- The earlier policies said `user_id = me or user_id in (students I instruct)`. An OR with a sub-select
-- cannot be an index condition, so every read that did not filter user_id itself (and every count the
-- policy had to check) scanned the whole table: 36 ms at 300k answers for a student who owns 200 of them.
-- Comparing user_id with ONE array, computed once per statement, lets the planner use the user_id index
-- for students (an array of one) and instructors (themselves and their students) alike.

-- The caller, then the students of every cohort the caller instructs. Definer: reads cohort_members and
-- cohorts regardless of the caller's RLS (the same reason as private.instructed_user_ids()).
create function private.readable_user_ids()
returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  select array[(select auth.uid())] || coalesce(array(
    select distinct m.user_id
    from public.cohort_members m
    join public.cohorts c on c.id = m.cohort_id
    where c.instructor_id = (select auth.uid())
  ), '{}');
$$;
revoke all on function private.readable_user_ids() from public, anon, authenticated, service_role;
grant execute on function private.readable_user_ids() to authenticated;

drop policy "Attempts are readable by their owner and their cohorts' instructors" on public.attempts;
create policy "Attempts are readable by their owner and their cohorts' instructors"
  on public.attempts for select to authenticated
  using (user_id = any ((select private.readable_user_ids())::uuid[]));

drop policy "Answers are readable by their owner and their cohorts' instructors" on public.answers;
create policy "Answers are readable by their owner and their cohorts' instructors"
  on public.answers for select to authenticated
  using (user_id = any ((select private.readable_user_ids())::uuid[]));
